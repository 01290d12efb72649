import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation

from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed
from core.models import AuditEvent, User
from enterprises import services
from enterprises.enums import MemberRole
from enterprises.models import Enterprise, EnterpriseMembership, Invitation
from enterprises.tokens import email_verification_token
from enterprises.validators import credit_code_with_check
from tests.factories.core import UserFactory
from tests.factories.enterprises import InvitationFactory, MembershipFactory

CODE = credit_code_with_check("91431003MA4L8888")
PROFILE = {
    "name_zh": "郴州服务测试有限公司",
    "name_en": "Chenzhou Service Test Co., Ltd.",
    "district": "431003",
    "industry": "C",
    "founded_on": dt.date(2012, 3, 4),
    "employees": 88,
    "address": "苏仙区1号",
    "contact_name": "赵六",
    "contact_phone": "0735-1111111",
    "contact_email": "zhao@example.cn",
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def events(event):
    return AuditEvent.objects.filter(event=event)


# --- registration and verification ----------------------------------------------------------------


def test_register_sends_a_verification_link_in_the_users_language(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_register(
            email="Wang@Example.cn", full_name="王五", password="Quality-award-2026", preferred_language="en"
        )
    assert user.email == "wang@example.cn" and not user.email_verified
    assert user.check_password("Quality-award-2026")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["wang@example.cn"]
    assert mail.outbox[0].subject == "Please confirm your e-mail address"
    assert "/accounts/verify/" in mail.outbox[0].body
    assert events("user.registered").count() == 1


def test_register_with_a_known_address_mails_that_account_and_creates_nothing(db, django_capture_on_commit_callbacks):
    known = UserFactory(email="known@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        result = services.user_register(
            email="KNOWN@example.cn", full_name="x", password="Quality-award-2026", preferred_language="en"
        )
    assert result is None
    assert User.objects.filter(email__iexact="known@example.cn").count() == 1
    known.refresh_from_db()
    assert not known.check_password("Quality-award-2026")
    assert [m.to for m in mail.outbox] == [["known@example.cn"]]
    assert mail.outbox[0].subject == "您已有账号"  # in the account's language
    assert events("user.register_existing").count() == 1 and events("user.registered").count() == 0


def test_verify_email_marks_the_user_once(db):
    user = UserFactory(email_verified=False)
    token = email_verification_token(user)
    assert services.user_verify_email(token=token).email_verified
    assert services.user_verify_email(token=token).email_verified  # harmless twice
    assert events("user.email_verified").count() == 1


def test_verify_email_refuses_tampered_and_expired_links(db, settings):
    user = UserFactory(email_verified=False)
    token = email_verification_token(user)
    with pytest.raises(NotAllowed, match="not valid"):
        services.user_verify_email(token=token[:-2] + "xx")
    settings.EMAIL_VERIFICATION_MAX_AGE = -1
    with pytest.raises(NotAllowed, match="expired"):
        services.user_verify_email(token=token)
    user.refresh_from_db()
    assert not user.email_verified


def test_verify_link_stops_working_when_the_address_changes(db):
    user = UserFactory(email_verified=False, email="old@example.cn")
    token = email_verification_token(user)
    User.objects.filter(pk=user.pk).update(email="new@example.cn")
    with pytest.raises(NotAllowed):
        services.user_verify_email(token=token)


def test_resend_is_refused_once_verified(db):
    with pytest.raises(NotAllowed):
        services.email_verification_send(user=UserFactory(email_verified=True))


# --- enterprise profile ---------------------------------------------------------------------------


def test_register_enterprise_makes_the_user_owner(db):
    user = UserFactory()
    enterprise = services.enterprise_register(by=user, credit_code=CODE.lower(), **PROFILE)
    assert enterprise.credit_code == CODE
    assert EnterpriseMembership.objects.get(enterprise=enterprise).user == user
    assert EnterpriseMembership.objects.get(enterprise=enterprise).role == MemberRole.OWNER
    event = events("enterprise.registered").get()
    assert event.actor == user and event.object_id == str(enterprise.pk)


def test_register_enterprise_refuses_unverified_users(db):
    with pytest.raises(NotAllowed, match="verify"):
        services.enterprise_register(by=UserFactory(email_verified=False), credit_code=CODE, **PROFILE)
    assert not Enterprise.objects.exists()


def test_register_enterprise_refuses_a_second_enterprise(db, applicant_a):
    with pytest.raises(PermissionDenied):
        services.enterprise_register(by=applicant_a, credit_code=CODE, **PROFILE)


@pytest.mark.parametrize("role", ["expert", "committee_member", "secretary", "admin_user"])
def test_register_enterprise_refuses_people_who_judge_applicants(request, db, role):
    with pytest.raises(PermissionDenied):
        services.enterprise_register(by=request.getfixturevalue(role), credit_code=CODE, **PROFILE)


def test_register_enterprise_duplicate_code_is_a_conflict_naming_the_masked_owner(db, applicant_a, enterprise_a):
    with pytest.raises(Conflict) as exc:
        services.enterprise_register(by=UserFactory(), credit_code=enterprise_a.credit_code, **PROFILE)
    assert "a***@alpha.example.cn" in exc.value.message
    assert Enterprise.objects.count() == 1


def test_owner_updates_the_profile_with_an_audit_of_what_changed(db, applicant_a, enterprise_a):
    updated = services.enterprise_update(enterprise=enterprise_a, by=applicant_a, employees=999, name_en="New name")
    assert updated.employees == 999
    event = events("enterprise.updated").get()
    assert event.payload["changed"]["employees"] == ["200", "999"]
    services.enterprise_update(enterprise=enterprise_a, by=applicant_a, employees=999)  # no change, no event
    assert events("enterprise.updated").count() == 1


def test_editors_and_others_cannot_update_the_profile(db, enterprise_a, applicant_b):
    editor = MembershipFactory(enterprise=enterprise_a, role=MemberRole.EDITOR).user
    for user in (editor, applicant_b):
        with pytest.raises(PermissionDenied):
            services.enterprise_update(enterprise=enterprise_a, by=user, employees=1)
    owner = MembershipFactory(enterprise=enterprise_a, role=MemberRole.OWNER).user
    with pytest.raises(TypeError):  # the credit code is not a profile field the owner edits
        services.enterprise_update(enterprise=enterprise_a, by=owner, credit_code="x")


# --- invitations ----------------------------------------------------------------------------------


def test_owner_invites_and_the_mail_goes_out_in_the_chosen_language(
    db, applicant_a, enterprise_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.invitation_create(
            enterprise=enterprise_a, by=applicant_a, email="Colleague@Alpha.example.cn", language="zh-hans"
        )
    assert invitation.email == "colleague@alpha.example.cn"
    assert abs(invitation.expires_at - invitation.created_at - dt.timedelta(days=7)) < dt.timedelta(seconds=5)
    assert mail.outbox[0].to == ["colleague@alpha.example.cn"]
    assert "郴州甲企业有限公司" in mail.outbox[0].subject
    assert f"/invitation/{invitation.token}/" in mail.outbox[0].body
    assert "邀请" in mail.outbox[0].body
    event = AuditEvent.objects.get(event=AuditEventType.INVITATION_CREATED)
    assert event.payload["email"] == "colleague@alpha.example.cn"


def test_inviting_again_replaces_the_pending_invitation(db, applicant_a, enterprise_a):
    first = services.invitation_create(enterprise=enterprise_a, by=applicant_a, email="c@example.cn")
    second = services.invitation_create(enterprise=enterprise_a, by=applicant_a, email="c@example.cn")
    first.refresh_from_db()
    assert first.revoked_at is not None and second.revoked_at is None


def test_inviting_a_member_is_refused(db, applicant_a, enterprise_a):
    with pytest.raises(NotAllowed, match="already a member"):
        services.invitation_create(enterprise=enterprise_a, by=applicant_a, email=applicant_a.email.upper())


def test_non_owners_cannot_invite(db, enterprise_a, applicant_b, secretary):
    editor = MembershipFactory(enterprise=enterprise_a, role=MemberRole.EDITOR).user
    for user in (editor, applicant_b, secretary):
        with pytest.raises(PermissionDenied):
            services.invitation_create(enterprise=enterprise_a, by=user, email="x@example.cn")
    assert not Invitation.objects.exists()


def test_owner_revokes_once(db, applicant_a, enterprise_a):
    invitation = InvitationFactory(enterprise=enterprise_a)
    services.invitation_revoke(invitation=invitation, by=applicant_a)
    assert invitation.revoked_at is not None
    assert events("invitation.revoked").count() == 1
    with pytest.raises(NotAllowed):
        services.invitation_revoke(invitation=invitation, by=applicant_a)


def test_others_cannot_revoke(db, enterprise_a, applicant_b):
    invitation = InvitationFactory(enterprise=enterprise_a)
    editor = MembershipFactory(enterprise=enterprise_a, role=MemberRole.EDITOR).user
    for user in (editor, applicant_b):
        with pytest.raises(PermissionDenied):
            services.invitation_revoke(invitation=invitation, by=user)


def test_accepting_creates_the_membership_and_verifies_the_address(db, enterprise_a):
    invitation = InvitationFactory(enterprise=enterprise_a, email="Ming@Example.cn")
    user = UserFactory(email="ming@example.cn", email_verified=False)
    membership = services.invitation_accept(invitation=invitation, user=user)
    assert membership.role == MemberRole.EDITOR and membership.enterprise == enterprise_a
    user.refresh_from_db()
    assert user.email_verified
    assert invitation.accepted_at is not None and invitation.accepted_by == user
    assert events("invitation.accepted").get().event == AuditEventType.INVITATION_ACCEPTED


def test_accepting_an_owner_invitation_makes_an_owner(db, enterprise_a):
    invitation = InvitationFactory(enterprise=enterprise_a, email="boss@example.cn", role=MemberRole.OWNER)
    membership = services.invitation_accept(invitation=invitation, user=UserFactory(email="boss@example.cn"))
    assert membership.role == MemberRole.OWNER


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"expires_at": timezone.now() - dt.timedelta(seconds=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
        ({"accepted_at": timezone.now()}, "already been used"),
    ],
)
def test_closed_invitations_cannot_be_accepted(db, enterprise_a, state, message):
    invitation = InvitationFactory(enterprise=enterprise_a, email="late@example.cn", **state)
    with pytest.raises(NotAllowed, match=message):
        services.invitation_accept(invitation=invitation, user=UserFactory(email="late@example.cn"))
    assert not EnterpriseMembership.objects.filter(user__email="late@example.cn").exists()


def test_an_invitation_for_another_address_cannot_be_accepted(db, enterprise_a, applicant_b):
    invitation = InvitationFactory(enterprise=enterprise_a, email="someone@example.cn")
    with pytest.raises(NotAllowed, match=r"s\*\*\*@example.cn"):
        services.invitation_accept(invitation=invitation, user=applicant_b)
    assert invitation.accepted_at is None


@pytest.mark.parametrize("role", ["expert", "secretary", "committee_member"])
def test_people_who_judge_applicants_cannot_join_an_enterprise(request, db, enterprise_a, role):
    judge = request.getfixturevalue(role)
    invitation = InvitationFactory(enterprise=enterprise_a, email=judge.email)
    assert "cannot join an applicant enterprise" in services.invitation_problem(invitation, judge)
    with pytest.raises(NotAllowed):
        services.invitation_accept(invitation=invitation, user=judge)
    assert not EnterpriseMembership.objects.filter(user=judge).exists()


def test_an_invitation_is_used_only_once_even_when_raced(db, enterprise_a):
    invitation = InvitationFactory(enterprise=enterprise_a, email="twice@example.cn")
    user = UserFactory(email="twice@example.cn")
    stale = Invitation.objects.get(pk=invitation.pk)
    services.invitation_accept(invitation=invitation, user=user)
    with pytest.raises(Conflict):
        services.invitation_accept(invitation=stale, user=user)  # a copy read before the first acceptance
    assert events("invitation.accepted").count() == 1


def test_register_through_an_invitation_joins_at_once(db, enterprise_a, django_capture_on_commit_callbacks):
    invitation = InvitationFactory(enterprise=enterprise_a, email="invited@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        user = services.user_register(
            email="invited@example.cn",
            full_name="受邀者",
            password="Quality-award-2026",
            preferred_language="zh-hans",
            invitation=invitation,
        )
    assert user.email_verified
    assert EnterpriseMembership.objects.filter(user=user, enterprise=enterprise_a).exists()
    assert mail.outbox == []  # no verification needed


# --- members --------------------------------------------------------------------------------------


def test_owner_removes_an_editor(db, applicant_a, enterprise_a):
    membership = MembershipFactory(enterprise=enterprise_a, role=MemberRole.EDITOR)
    services.membership_remove(membership=membership, by=applicant_a)
    assert not EnterpriseMembership.objects.filter(pk=membership.pk).exists()
    assert events("member.removed").get().payload["email"] == membership.user.email


def test_the_last_owner_cannot_be_removed_not_even_by_themselves(db, applicant_a, enterprise_a):
    own = EnterpriseMembership.objects.get(user=applicant_a)
    with pytest.raises(NotAllowed, match="only owner"):
        services.membership_remove(membership=own, by=applicant_a)
    assert EnterpriseMembership.objects.filter(pk=own.pk).exists()


def test_an_owner_can_leave_when_another_owner_remains(db, applicant_a, enterprise_a):
    other = MembershipFactory(enterprise=enterprise_a, role=MemberRole.OWNER)
    services.membership_remove(membership=EnterpriseMembership.objects.get(user=applicant_a), by=applicant_a)
    assert list(EnterpriseMembership.objects.filter(enterprise=enterprise_a)) == [other]


def test_non_owners_cannot_remove_members(db, applicant_a, enterprise_a, applicant_b):
    editor = MembershipFactory(enterprise=enterprise_a, role=MemberRole.EDITOR).user
    own = EnterpriseMembership.objects.get(user=applicant_a)
    for user in (editor, applicant_b):
        with pytest.raises(PermissionDenied):
            services.membership_remove(membership=own, by=user)
