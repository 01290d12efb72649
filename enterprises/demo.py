"""Demo membership data (see core/demo.py): a second member for one enterprise, a pending invitation
for another, and a change of name waiting for the award office (for an enterprise whose application
is submitted, so the change is a request). Made through the services, so the audit log and e-mails
are real."""

from __future__ import annotations

from core.demo import DemoContext, demo_user

from .enums import MemberRole
from .models import EnterpriseMembership
from .selectors import invitations_pending
from .services import invitation_accept, invitation_create, name_change_request

EDITOR = ("xiangnan", "xiangnan.editor@demo.mqa.cn", "周婷 Zhou Ting")
INVITED = ("yuxin", "chen.xiaoli@yuxin.example.cn")
# Fictional, like the enterprise: its owner asks to add "集团" to the registered names.
RENAMED = ("dongjiang", "资兴东江水务集团有限公司", "Zixing Dongjiang Water Group Co., Ltd.")


def _owner(enterprise):
    return (
        EnterpriseMembership.objects.filter(enterprise=enterprise, role=MemberRole.OWNER).select_related("user")[0].user
    )


def seed(ctx: DemoContext) -> None:
    key, email, name = EDITOR
    enterprise = ctx.enterprises[key]
    editor = demo_user(ctx, f"editor_{key}", email, name, role_label=f"applicant, editor ({enterprise.name_en})")
    if not EnterpriseMembership.objects.filter(enterprise=enterprise, user=editor).exists():
        invitation = invitation_create(enterprise=enterprise, by=_owner(enterprise), email=email)
        invitation_accept(invitation=invitation, user=editor)
        ctx.log(f"  {email} joined {enterprise} as editor")

    key, email = INVITED
    enterprise = ctx.enterprises[key]
    if not invitations_pending(enterprise).filter(email=email).exists():
        invitation_create(enterprise=enterprise, by=_owner(enterprise), email=email, language="zh-hans")
        ctx.log(f"  invitation for {email} to {enterprise} is pending")

    key, name_zh, name_en = RENAMED
    enterprise = ctx.enterprises[key]
    if not enterprise.name_changes.exists():
        name_change_request(
            enterprise=enterprise,
            by=_owner(enterprise),
            name_zh=name_zh,
            name_en=name_en,
            credit_code=enterprise.credit_code,
            reason="经资兴市市场监督管理局核准，企业名称变更为“资兴东江水务集团有限公司”（变更登记通知书附后）。",
        )
        ctx.log(f"  {enterprise} asks the award office to change its name")
