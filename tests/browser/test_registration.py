"""Journey: a person registers, verifies the address from the e-mail, creates the enterprise profile
(after a typing error in the credit code), invites a colleague; the colleague registers through the
invitation and lands as a member. Every new page is photographed in Chinese and English."""

import re

from django.core import mail

from enterprises.models import Enterprise, EnterpriseMembership
from enterprises.validators import credit_code_with_check
from tests.factories.core import UserFactory
from tests.factories.enterprises import InvitationFactory

from .conftest import axe_violations, login, screenshot

CODE = credit_code_with_check("91431002MA4L7777")
WRONG = CODE[:17] + ("0" if CODE[17] != "0" else "1")
PASSWORD = "Quality-award-2026"


def both_languages(page, name):
    """Check accessibility, photograph the page in Chinese, switch to English, photograph, switch back."""
    assert axe_violations(page) == [], name
    screenshot(page, f"{name}-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    assert page.locator("html").get_attribute("lang") == "en"
    assert axe_violations(page) == [], name
    screenshot(page, f"{name}-en")
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state("load")


def link_in(message, pattern):
    found = re.search(rf"https?://\S+{pattern}\S*", message.body)
    assert found, message.body
    return found.group(0)


def test_register_verify_create_profile_and_invite_a_colleague(page, cycle):
    mail.outbox.clear()
    page.goto(page.base + "/")
    page.locator("header").get_by_role("link", name="注册").click()
    page.wait_for_load_state("load")
    assert page.get_by_role("heading", name="注册").is_visible()
    both_languages(page, "register")

    page.get_by_label("电子邮箱").fill("wang.fang@example.cn")
    page.get_by_label("姓名").fill("王芳")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    # The same answer whether or not the address had an account: nobody is logged in yet.
    assert page.url.endswith("/accounts/register/done/")
    assert "wang.fang@example.cn" in page.locator("main").inner_text()
    both_languages(page, "register-done")

    login(page, "wang.fang@example.cn", PASSWORD)
    assert page.url.endswith("/dashboard/")
    assert page.get_by_role("button", name="重新发送链接").is_visible()
    both_languages(page, "dashboard-unverified")

    # Until verified, the profile form is closed with a way to get a new link.
    page.goto(page.base + "/enterprise/new/")
    assert page.get_by_role("button", name="重新发送链接").is_visible()
    both_languages(page, "verify-required")

    assert [m.to for m in mail.outbox] == [["wang.fang@example.cn"]]
    page.goto(link_in(mail.outbox[0], "/accounts/verify/"))
    page.wait_for_load_state("load")
    assert page.url.endswith("/enterprise/new/")
    assert "已验证" in page.content()
    both_languages(page, "enterprise-create")

    form = page.locator("main form")
    form.get_by_label("统一社会信用代码").fill(WRONG.lower())
    form.get_by_label("中文名称").fill("郴州芳华精密制造有限公司")
    form.get_by_label("英文名称").fill("Chenzhou Fanghua Precision Manufacturing Co., Ltd.")
    form.get_by_label("所在县市区").select_option("431002")
    form.get_by_label("所属行业").select_option("C")
    form.get_by_label("成立日期").fill("2013-04-18")
    form.get_by_label("员工人数").fill("260")
    form.get_by_label("地址").fill("郴州市北湖区燕泉路18号")
    form.locator("#id_contact_name").fill("王芳")
    form.get_by_label("联系电话").fill("0735-2888888")
    form.get_by_label("联系邮箱").fill("quality@fanghua.example.cn")
    form.get_by_role("button", name="创建档案").click()
    page.wait_for_load_state("load")
    error = page.locator("#id_credit_code_error")
    assert error.is_visible() and CODE[17] in error.inner_text()
    assert page.get_by_label("中文名称").input_value() == "郴州芳华精密制造有限公司"  # nothing lost
    assert axe_violations(page) == []
    screenshot(page, "enterprise-create-error-zh")

    page.get_by_label("统一社会信用代码").fill(CODE)
    page.get_by_role("button", name="创建档案").click()
    page.wait_for_load_state("load")
    enterprise = Enterprise.objects.get(credit_code=CODE)
    assert page.url.endswith(f"/enterprise/{enterprise.pk}/")
    assert page.get_by_role("heading", name="郴州芳华精密制造有限公司").is_visible()
    both_languages(page, "enterprise-detail")

    page.get_by_role("link", name="编辑档案").click()
    page.wait_for_load_state("load")
    both_languages(page, "enterprise-edit")
    page.go_back()

    page.goto(page.base + "/dashboard/")
    assert CODE in page.content()
    both_languages(page, "dashboard-applicant")

    page.goto(page.base + f"/enterprise/{enterprise.pk}/members/")
    page.get_by_label("同事的电子邮箱").fill("li.lei@example.cn")
    page.get_by_role("button", name="发送邀请").click()
    page.wait_for_load_state("load")
    assert "li.lei@example.cn" in page.locator("#pending-heading + div table").inner_text()
    both_languages(page, "members")

    invitation_mail = mail.outbox[-1]
    assert invitation_mail.to == ["li.lei@example.cn"]
    invitation_link = link_in(invitation_mail, "/invitation/")

    # The colleague, in a fresh session: the link leads to the registration form with the address filled in.
    page.context.clear_cookies()
    page.goto(invitation_link)
    page.wait_for_load_state("load")
    assert "/accounts/register/" in page.url
    assert page.get_by_label("电子邮箱").input_value() == "li.lei@example.cn"
    assert "郴州芳华精密制造有限公司" in page.locator("main").inner_text()
    both_languages(page, "register-invited")

    page.get_by_label("姓名").fill("李雷")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/enterprise/{enterprise.pk}/")
    assert page.get_by_role("heading", name="郴州芳华精密制造有限公司").is_visible()
    assert page.get_by_role("link", name="编辑档案").count() == 0  # an editor, not the owner
    roles = dict(EnterpriseMembership.objects.filter(enterprise=enterprise).values_list("user__email", "role"))
    assert roles == {"wang.fang@example.cn": "owner", "li.lei@example.cn": "editor"}
    screenshot(page, "enterprise-detail-editor-zh")
    assert len(mail.outbox) == 2  # no verification mail for the colleague: the invitation proved the address


def test_invitation_pages_and_the_office_view(page, secretary, applicant_a, enterprise_a):
    known = UserFactory(email="known@alpha.example.cn")
    invitation = InvitationFactory(enterprise=enterprise_a, email=known.email, invited_by=applicant_a)
    used = InvitationFactory(enterprise=enterprise_a, email="x@example.cn", revoked_at=enterprise_a.created_at)

    page.goto(page.base + f"/invitation/{invitation.token}/")
    assert page.get_by_role("link", name="登录").last.is_visible()
    both_languages(page, "invitation-login")

    login(page, known.email)
    page.goto(page.base + f"/invitation/{invitation.token}/")
    both_languages(page, "invitation-accept")
    page.get_by_role("button", name="接受邀请").click()
    page.wait_for_load_state("load")
    assert page.url.endswith(f"/enterprise/{enterprise_a.pk}/")

    page.goto(page.base + f"/invitation/{used.token}/")
    assert "撤回" in page.locator("main").inner_text()
    both_languages(page, "invitation-closed")

    page.context.clear_cookies()
    login(page, secretary.email)
    page.get_by_role("link", name="企业", exact=True).click()
    page.wait_for_load_state("load")
    assert "郴州甲企业有限公司" in page.content()
    both_languages(page, "office-enterprises")
    page.get_by_role("link", name="郴州甲企业有限公司").click()
    page.wait_for_load_state("load")
    assert applicant_a.email in page.content() and known.email in page.content()
    both_languages(page, "office-enterprise-detail")
