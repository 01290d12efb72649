"""Who may do what with enterprises: members see their enterprise, only owners change it.

The rules that depend on award roles (the award office sees every enterprise and decides name
changes; reviewers may not join an applicant) are added by awards/rules.py with `rules.set_perm`:
enterprises sits below awards and does not know its roles."""

from __future__ import annotations

import rules

from .enums import MemberRole
from .models import EnterpriseMembership


def _membership_roles(user, enterprise) -> set[str]:
    if not user.is_authenticated or enterprise is None:
        return set()

    return set(EnterpriseMembership.objects.filter(user=user, enterprise=enterprise).values_list("role", flat=True))


@rules.predicate
def is_enterprise_member(user, enterprise) -> bool:
    """An owner or editor of the enterprise."""
    return bool(_membership_roles(user, enterprise))


@rules.predicate
def is_enterprise_owner(user, enterprise) -> bool:
    return MemberRole.OWNER in _membership_roles(user, enterprise)


@rules.predicate
def is_email_verified(user) -> bool:
    return user.is_authenticated and user.email_verified


@rules.predicate
def has_enterprise(user) -> bool:
    return user.is_authenticated and user.enterprise_memberships.exists()


# Names differ from Django's model permissions (view_enterprise, ...) on purpose: those belong to the admin.
rules.add_perm("enterprises.register_enterprise", is_email_verified & ~has_enterprise)  # awards narrows
rules.add_perm("enterprises.join_enterprise", rules.is_authenticated)  # awards narrows
rules.add_perm("enterprises.view_profile", is_enterprise_member)
# Changing anything needs a verified address, as creating does.
rules.add_perm("enterprises.edit_profile", is_enterprise_owner & is_email_verified)
rules.add_perm("enterprises.view_members", is_enterprise_member)
rules.add_perm("enterprises.manage_members", is_enterprise_owner & is_email_verified)
rules.add_perm("enterprises.view_as_office", rules.is_superuser)  # awards widens to the award office
rules.add_perm("enterprises.decide_name_change", rules.is_superuser)  # awards widens to the award office
