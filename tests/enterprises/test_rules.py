import pytest
import rules

from enterprises.enums import MemberRole
from tests.factories.core import UserFactory
from tests.factories.enterprises import MembershipFactory

PERMS = ["view_profile", "edit_profile", "view_members", "manage_members"]


@pytest.fixture
def people(request, enterprise_a, applicant_a):
    editor = MembershipFactory(enterprise=enterprise_a, role=MemberRole.EDITOR).user
    return {"owner": applicant_a, "editor": editor}


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("owner", {"view_profile", "edit_profile", "view_members", "manage_members"}),
        ("editor", {"view_profile", "view_members"}),
        ("applicant_b", set()),
        ("expert", set()),
        ("committee_member", set()),
        ("secretary", set()),
        ("admin_user", set()),
    ],
)
def test_enterprise_permissions_by_role(request, db, people, enterprise_a, who, allowed):
    user = people.get(who) or request.getfixturevalue(who)
    granted = {p for p in PERMS if rules.has_perm(f"enterprises.{p}", user, enterprise_a)}
    assert granted == allowed


def test_anonymous_has_no_enterprise_permission(enterprise_a):
    from django.contrib.auth.models import AnonymousUser

    assert not any(rules.has_perm(f"enterprises.{p}", AnonymousUser(), enterprise_a) for p in PERMS)
    assert not rules.has_perm("enterprises.register_enterprise", AnonymousUser())


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("verified", True),
        ("unverified", False),
        ("applicant_a", False),
        ("expert", False),
        ("committee_member", False),
        ("secretary", False),
        ("admin_user", False),
    ],
)
def test_who_may_register_an_enterprise(request, db, who, allowed):
    users = {"verified": lambda: UserFactory(), "unverified": lambda: UserFactory(email_verified=False)}
    user = users[who]() if who in users else request.getfixturevalue(who)
    assert rules.has_perm("enterprises.register_enterprise", user) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"), [("secretary", True), ("admin_user", True), ("applicant_a", False), ("expert", False)]
)
def test_office_view(request, db, who, allowed):
    assert rules.has_perm("enterprises.view_as_office", request.getfixturevalue(who)) is allowed


def test_an_unverified_owner_may_view_but_not_change(enterprise_a):
    owner = MembershipFactory(enterprise=enterprise_a, user=UserFactory(email_verified=False)).user
    granted = {p for p in PERMS if rules.has_perm(f"enterprises.{p}", owner, enterprise_a)}
    assert granted == {"view_profile", "view_members"}
