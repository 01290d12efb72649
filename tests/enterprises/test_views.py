import datetime as dt
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import User
from enterprises.enums import MemberRole
from enterprises.models import Enterprise, EnterpriseMembership, Invitation
from enterprises.tokens import email_verification_token
from enterprises.validators import credit_code_with_check
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory, InvitationFactory, MembershipFactory

VALID = credit_code_with_check("91431002MA4L7777")
OUTSIDE = credit_code_with_check("91430104MA4L7777")  # Yuelu District, Changsha: Hunan, not Chenzhou
OUTSIDE_HUNAN = credit_code_with_check("91110105MA4L7777")
REVIEWERS = ["expert", "committee_member", "secretary", "admin_user"]


@pytest.fixture
def en(client_for):
    """client_for with English pages, so assertions read the English messages."""

    def make(user):
        client = client_for(user)
        client.cookies["django_language"] = "en"
        return client

    return make


@pytest.fixture
def editor_a(enterprise_a):
    return MembershipFactory(
        enterprise=enterprise_a, role=MemberRole.EDITOR, user=UserFactory(email="ed@alpha.example.cn")
    ).user


@pytest.fixture
def mails(django_capture_on_commit_callbacks):
    """`with mails():` runs the on-commit callbacks (queued e-mails) of the requests inside it."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def profile(**overrides):
    data = {
        "credit_code": VALID,
        "name_zh": "郴州新企业有限公司",
        "name_en": "Chenzhou New Co., Ltd.",
        "district": "431002",
        "industry": "C",
        "founded_on": "2015-06-01",
        "employees": "120",
        "address": "北湖区人民路1号",
        "contact_name": "王五",
        "contact_phone": "0735-7654321",
        "contact_email": "wang@new.example.cn",
    }
    data.update(overrides)
    return data


def html(response):
    return response.content.decode()


# --- registration and verification ----------------------------------------------------------------


def test_register_page_is_for_anonymous_visitors(en, applicant_a):
    assert en(None).get(reverse("enterprises:register")).status_code == 200
    response = en(applicant_a).get(reverse("enterprises:register"))
    assert response.status_code == 302 and response.url == reverse("core:dashboard")


REGISTRATION = {
    "full_name": "李四",
    "preferred_language": "en",
    "password1": "Quality-award-2026",
    "password2": "Quality-award-2026",
}


def test_register_creates_an_unverified_account_and_sends_the_link(en, db, mails):
    client = en(None)
    with mails():
        response = client.post(
            reverse("enterprises:register"), {"email": "Li.Si@Example.cn", **REGISTRATION}, follow=True
        )
    user = User.objects.get(email="li.si@example.cn")
    assert not user.email_verified and user.preferred_language == "en"
    assert response.redirect_chain == [(reverse("enterprises:register_done"), 302)]
    assert not response.context["user"].is_authenticated  # the address is proved before anyone logs in
    assert "We have sent a message to li.si@example.cn" in html(response)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["li.si@example.cn"]
    assert "/accounts/verify/" in mail.outbox[0].body


def test_register_answers_the_same_for_a_known_address_and_mails_its_owner(en, db, mails, applicant_a):
    with mails():
        new = en(None).post(reverse("enterprises:register"), {"email": "fresh@example.cn", **REGISTRATION}, follow=True)
        known = en(None).post(
            reverse("enterprises:register"), {"email": applicant_a.email.upper(), **REGISTRATION}, follow=True
        )
    assert new.status_code == known.status_code == 200
    assert new.redirect_chain == known.redirect_chain

    # The pages differ only by the address typed in (and the CSRF token of the log-out form).
    def page(response, email):
        return re.sub(r'value="[A-Za-z0-9]{64}"', "", html(response)).replace(email, "X")

    assert page(new, "fresh@example.cn") == page(known, applicant_a.email)
    assert "already exists" not in html(known)
    assert User.objects.filter(email__iexact=applicant_a.email).count() == 1
    to_known = [m for m in mail.outbox if m.to == [applicant_a.email]]
    assert len(to_known) == 1 and to_known[0].subject == "您已有账号"
    assert "/accounts/password_reset/" in to_known[0].body and "/accounts/verify/" not in to_known[0].body
    applicant_a.refresh_from_db()
    assert not applicant_a.check_password("Quality-award-2026")


def test_registrations_are_rate_limited_per_address_and_keep_what_was_typed(en, db, settings, mails):
    settings.REGISTRATION_RATE_LIMIT = 2
    url = reverse("enterprises:register")

    def attempt(i, **extra):
        data = {
            "email": f"person{i}@example.cn",
            "full_name": f"申报人{i}",
            "preferred_language": "en",
            "password1": "Quality-award-2026",
            "password2": "Quality-award-2026",
        }
        return en(None).post(url, data, **extra)

    with mails():
        assert [attempt(i).status_code for i in range(2)] == [302, 302]
        refused = attempt(2)
    assert refused.status_code == 429
    body = html(refused)
    assert "Too many registrations from your network address" in body
    assert 'value="person2@example.cn"' in body and 'value="申报人2"' in body
    assert not User.objects.filter(email="person2@example.cn").exists()
    assert len(mail.outbox) == 2
    # Another address is not affected.
    assert attempt(3, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_once_throttled_the_form_refuses_without_creating_or_mailing(en, db, settings, mails, applicant_a):
    settings.REGISTRATION_RATE_LIMIT = 3
    url = reverse("enterprises:register")
    data = {"email": applicant_a.email, **REGISTRATION}
    with mails():
        answers = [en(None).post(url, data) for _ in range(4)]
    assert [a.status_code for a in answers] == [302, 302, 302, 429]
    assert "Too many registrations" in html(answers[3]) and "already exists" not in html(answers[3])
    assert len(mail.outbox) == 3  # the known account was told three times, then the address was throttled


def test_register_errors_keep_what_was_typed(en, db):
    response = en(None).post(
        reverse("enterprises:register"),
        {
            "email": "keep@example.cn",
            "full_name": "保留",
            "preferred_language": "en",
            "password1": "short",
            "password2": "short",
        },
    )
    assert response.status_code == 200
    page = html(response)
    assert 'value="keep@example.cn"' in page and 'value="保留"' in page
    assert "too short" in page
    assert not User.objects.filter(email="keep@example.cn").exists()


def test_verify_link_verifies_and_leads_to_the_profile_form(en, db):
    user = UserFactory(email_verified=False)
    client = en(user)
    response = client.get(reverse("enterprises:verify_email", args=[email_verification_token(user)]))
    assert response.status_code == 302 and response.url == reverse("enterprises:create")
    user.refresh_from_db()
    assert user.email_verified


def test_verify_link_works_signed_out_and_asks_to_log_in(en, db):
    user = UserFactory(email_verified=False)
    response = en(None).get(reverse("enterprises:verify_email", args=[email_verification_token(user)]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    user.refresh_from_db()
    assert user.email_verified


def test_a_bad_verify_link_says_so_and_offers_a_new_one(en, db):
    user = UserFactory(email_verified=False)
    response = en(user).get(reverse("enterprises:verify_email", args=["nonsense"]))
    assert response.status_code == 400
    assert "not valid" in html(response) and "Resend the link" in html(response)


def test_resend_sends_a_new_link_at_most_once_a_minute(en, db, mails):
    user = UserFactory(email_verified=False)
    client = en(user)
    with mails():
        first = client.post(reverse("enterprises:verify_resend"), follow=True)
    assert "We have sent a new link" in html(first)
    with mails():
        second = client.post(reverse("enterprises:verify_resend"), follow=True)
    assert "less than a minute ago" in html(second)
    assert len(mail.outbox) == 1


def test_the_resend_limit_is_kept_outside_the_web_process(en, db, mails):
    """Counted in the shared rate-limit store, so another replica (a process with its own empty
    memory) refuses the second e-mail too."""
    from django.core.cache import cache

    from core.models import RateLimitCounter

    user = UserFactory(email_verified=False)
    with mails():
        en(user).post(reverse("enterprises:verify_resend"))
    assert RateLimitCounter.objects.filter(key=f"ratelimit:verify-resend:{user.pk}", count=1).exists()
    cache.clear()  # what a second replica's local memory holds: nothing
    with mails():
        second = en(user).post(reverse("enterprises:verify_resend"), follow=True)
    assert "less than a minute ago" in html(second)
    assert len(mail.outbox) == 1


def test_resend_for_a_verified_user_sends_nothing(en, applicant_a):
    response = en(applicant_a).post(reverse("enterprises:verify_resend"), follow=True)
    assert "already verified" in html(response) and mail.outbox == []


def test_resend_requires_login_and_post(en, db):
    response = en(None).post(reverse("enterprises:verify_resend"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert en(UserFactory()).get(reverse("enterprises:verify_resend")).status_code == 405


# --- creating the profile -------------------------------------------------------------------------


def test_create_requires_login(en, db):
    response = en(None).get(reverse("enterprises:create"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_unverified_users_are_told_to_verify_first(en, db):
    response = en(UserFactory(email_verified=False)).get(reverse("enterprises:create"))
    assert response.status_code == 403
    assert "Please confirm your e-mail address" in html(response) and "Resend the link" in html(response)


@pytest.mark.parametrize("role", REVIEWERS)
def test_people_who_judge_applicants_may_not_create_an_enterprise(request, db, en, role):
    assert en(request.getfixturevalue(role)).get(reverse("enterprises:create")).status_code == 403


def test_members_already_have_an_enterprise(en, applicant_a, enterprise_a):
    response = en(applicant_a).get(reverse("enterprises:create"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("enterprises:detail", args=[enterprise_a.pk])


def test_a_verified_user_creates_the_profile_and_becomes_owner(en, db):
    user = UserFactory()
    client = en(user)
    assert client.get(reverse("enterprises:create")).status_code == 200
    response = client.post(reverse("enterprises:create"), profile(credit_code=VALID.lower()))
    enterprise = Enterprise.objects.get(credit_code=VALID)
    assert response.status_code == 302 and response.url == reverse("enterprises:detail", args=[enterprise.pk])
    assert EnterpriseMembership.objects.get(enterprise=enterprise).role == MemberRole.OWNER
    page = html(client.get(response.url))
    assert "Chenzhou New Co., Ltd." in page and VALID in page and "Edit the profile" in page


def test_a_wrong_check_character_is_shown_next_to_the_field_and_input_is_kept(en, db):
    wrong = VALID[:17] + ("0" if VALID[17] != "0" else "1")
    response = en(UserFactory()).post(reverse("enterprises:create"), profile(credit_code=wrong))
    assert response.status_code == 200
    page = html(response)
    assert f"should be {VALID[17]}" in page and 'id="id_credit_code_error"' in page
    assert f'value="{wrong}"' in page and 'value="郴州新企业有限公司"' in page and 'value="2015-06-01"' in page
    assert not Enterprise.objects.exists()


def test_a_registered_code_tells_to_ask_the_owner(en, applicant_a, enterprise_a):
    response = en(UserFactory()).post(reverse("enterprises:create"), profile(credit_code=enterprise_a.credit_code))
    page = html(response)
    assert "already registered" in page and "a***@alpha.example.cn" in page
    assert "alice@alpha.example.cn" not in page


def test_a_code_from_outside_chenzhou_is_accepted_with_a_clear_warning(en, db):
    # Only Chenzhou's programme (migration awards/0015) runs: none is open to Changsha's enterprises.
    client = en(UserFactory())
    response = client.post(reverse("enterprises:create"), profile(credit_code=OUTSIDE, district="430104"), follow=True)
    page = html(response)
    # shown once, not also as a message
    assert page.count("Registered in Yuelu District: no award programme of this site is open to") == 1
    assert Enterprise.objects.filter(credit_code=OUTSIDE, district="430104").exists()


def test_a_code_from_outside_hunan_is_refused_next_to_the_field(en, db):
    response = en(UserFactory()).post(reverse("enterprises:create"), profile(credit_code=OUTSIDE_HUNAN))
    form = response.context["form"]
    assert list(form.errors) == ["credit_code"]
    assert "(110105) are not the division code of Hunan province" in form.errors["credit_code"][0]
    assert not Enterprise.objects.exists()


def test_the_registration_page_offers_all_of_hunan_by_city(en, db):
    page = html(en(UserFactory()).get(reverse("enterprises:create")))
    assert page.count("<optgroup") == 14
    assert '<optgroup label="Chenzhou City">' in page and '<optgroup label="Changsha City">' in page
    assert '<option value="433130">Longshan County</option>' in page
    assert '<option value="431002">Beihu District</option>' in page


def test_a_district_not_in_the_data_is_refused_next_to_the_field(en, db):
    response = en(UserFactory()).post(reverse("enterprises:create"), profile(district="431071"))
    form = response.context["form"]
    assert form.errors["district"] == [
        "431071 is not a district or county of Hunan province: please choose one from the list."
    ]
    assert not Enterprise.objects.exists()


def test_a_district_of_another_city_is_refused_with_the_codes_division(en, db):
    response = en(UserFactory()).post(reverse("enterprises:create"), profile(district="430104"))
    form = response.context["form"]
    assert form.errors["district"] == [
        "The credit code was registered in Beihu District, Chenzhou City (division code 431002), not in "
        "Changsha City: choose that district, or check the code."
    ]


# --- profile pages --------------------------------------------------------------------------------


def test_detail_for_owner_and_editor(en, applicant_a, editor_a, enterprise_a):
    url = reverse("enterprises:detail", args=[enterprise_a.pk])
    owner_page = html(en(applicant_a).get(url))
    assert "郴州甲企业有限公司" in owner_page and "Edit the profile" in owner_page and "2 members" in owner_page
    editor_page = html(en(editor_a).get(url))
    assert "郴州甲企业有限公司" in editor_page and "Edit the profile" not in editor_page


@pytest.mark.parametrize("name", ["detail", "edit", "members"])
def test_applicant_pages_need_login(en, enterprise_a, name):
    response = en(None).get(reverse(f"enterprises:{name}", args=[enterprise_a.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["detail", "edit", "members"])
@pytest.mark.parametrize("role", ["applicant_b", *REVIEWERS])
def test_other_people_get_404_for_an_enterprises_pages(request, db, en, enterprise_a, name, role):
    response = en(request.getfixturevalue(role)).get(reverse(f"enterprises:{name}", args=[enterprise_a.pk]))
    assert response.status_code == 404


def test_a_missing_enterprise_is_404_too(en, applicant_a):
    assert en(applicant_a).get(reverse("enterprises:detail", args=[999999])).status_code == 404


def test_my_enterprise_leads_to_the_profile_or_the_form(en, applicant_a, enterprise_a):
    assert en(applicant_a).get(reverse("enterprises:mine")).url == reverse("enterprises:detail", args=[enterprise_a.pk])
    assert en(UserFactory()).get(reverse("enterprises:mine")).url == reverse("enterprises:create")


def test_owner_edits_the_profile(en, applicant_a, enterprise_a):
    client = en(applicant_a)
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    page = html(client.get(url))
    assert 'name="credit_code"' not in page and 'value="郴州甲企业有限公司"' in page
    data = profile(name_zh="郴州甲企业集团有限公司", employees="345")
    response = client.post(url, data)
    assert response.status_code == 302
    enterprise_a.refresh_from_db()
    assert enterprise_a.name_zh == "郴州甲企业集团有限公司" and enterprise_a.employees == 345
    assert enterprise_a.credit_code != VALID  # the code does not change through the form


def test_edit_errors_keep_input(en, applicant_a, enterprise_a):
    response = en(applicant_a).post(
        reverse("enterprises:edit", args=[enterprise_a.pk]), profile(employees="many", address="新地址")
    )
    assert response.status_code == 200
    assert 'value="新地址"' in html(response) and 'id="id_employees_error"' in html(response)


def test_editors_may_not_edit(en, editor_a, enterprise_a):
    url = reverse("enterprises:edit", args=[enterprise_a.pk])
    assert en(editor_a).get(url).status_code == 403
    assert en(editor_a).post(url, profile()).status_code == 403


# --- members and invitations ----------------------------------------------------------------------


def test_owner_sees_members_and_pending_invitations(en, applicant_a, editor_a, enterprise_a):
    InvitationFactory(enterprise=enterprise_a, email="pending@example.cn")
    InvitationFactory(enterprise=enterprise_a, email="old@example.cn", revoked_at=timezone.now())
    page = html(en(applicant_a).get(reverse("enterprises:members", args=[enterprise_a.pk])))
    assert "ed@alpha.example.cn" in page and "pending@example.cn" in page and "old@example.cn" not in page
    assert "Invite a colleague" in page and "only owner" in page


def test_editor_sees_members_but_not_invitations(en, applicant_a, editor_a, enterprise_a):
    InvitationFactory(enterprise=enterprise_a, email="pending@example.cn")
    page = html(en(editor_a).get(reverse("enterprises:members", args=[enterprise_a.pk])))
    assert "alice@alpha.example.cn" in page
    assert "pending@example.cn" not in page and "Invite a colleague" not in page


def test_members_page_queries_do_not_grow_with_rows(en, applicant_a, enterprise_a, django_assert_max_num_queries):
    client = en(applicant_a)
    url = reverse("enterprises:members", args=[enterprise_a.pk])
    client.get(url)
    for _ in range(15):
        MembershipFactory(enterprise=enterprise_a, role=MemberRole.EDITOR)
        InvitationFactory(enterprise=enterprise_a)
    with django_assert_max_num_queries(14):
        response = client.get(url)
    assert response.content.decode().count("colleague") >= 15


def test_owner_invites_a_colleague(en, applicant_a, enterprise_a, mails):
    with mails():
        response = en(applicant_a).post(
            reverse("enterprises:invite", args=[enterprise_a.pk]),
            {"email": "new@alpha.example.cn", "role": "editor", "language": "en"},
            follow=True,
        )
    assert "An invitation is on its way to new@alpha.example.cn" in html(response)
    invitation = Invitation.objects.get(email="new@alpha.example.cn")
    assert invitation.invited_by == applicant_a and invitation.language == "en"
    assert mail.outbox[0].to == ["new@alpha.example.cn"] and "Invitation to join" in mail.outbox[0].subject


def test_invite_errors_are_shown_next_to_the_field(en, applicant_a, enterprise_a):
    client = en(applicant_a)
    url = reverse("enterprises:invite", args=[enterprise_a.pk])
    bad = client.post(url, {"email": "not-an-address", "role": "editor", "language": "en"})
    assert bad.status_code == 400 and 'value="not-an-address"' in html(bad) and 'id="id_email_error"' in html(bad)
    member = client.post(url, {"email": applicant_a.email, "role": "editor", "language": "en"})
    assert member.status_code == 400 and "already a member" in html(member)


@pytest.mark.parametrize("role", ["applicant_b", *REVIEWERS])
def test_others_cannot_invite_revoke_or_remove(request, db, en, applicant_a, enterprise_a, role):
    client = en(request.getfixturevalue(role))
    invitation = InvitationFactory(enterprise=enterprise_a)
    membership = EnterpriseMembership.objects.get(user=applicant_a)
    pk = enterprise_a.pk
    assert (
        client.post(
            reverse("enterprises:invite", args=[pk]), {"email": "x@example.cn", "role": "editor", "language": "en"}
        ).status_code
        == 404
    )
    assert client.post(reverse("enterprises:revoke", args=[pk, invitation.pk])).status_code == 404
    assert client.post(reverse("enterprises:remove_member", args=[pk, membership.pk])).status_code == 404
    assert Invitation.objects.count() == 1 and EnterpriseMembership.objects.filter(pk=membership.pk).exists()


def test_editors_cannot_invite_revoke_or_remove(en, applicant_a, editor_a, enterprise_a):
    client = en(editor_a)
    invitation = InvitationFactory(enterprise=enterprise_a)
    membership = EnterpriseMembership.objects.get(user=applicant_a)
    pk = enterprise_a.pk
    assert (
        client.post(
            reverse("enterprises:invite", args=[pk]), {"email": "x@example.cn", "role": "editor", "language": "en"}
        ).status_code
        == 403
    )
    assert client.post(reverse("enterprises:revoke", args=[pk, invitation.pk])).status_code == 403
    assert client.post(reverse("enterprises:remove_member", args=[pk, membership.pk])).status_code == 403


def test_management_urls_need_login_and_post(en, applicant_a, enterprise_a):
    url = reverse("enterprises:invite", args=[enterprise_a.pk])
    assert en(None).post(url).url.startswith(reverse("login"))
    revoke = reverse("enterprises:revoke", args=[enterprise_a.pk, 1])
    assert en(applicant_a).get(revoke).status_code == 405


def test_owner_revokes_an_invitation(en, applicant_a, enterprise_a):
    invitation = InvitationFactory(enterprise=enterprise_a, email="gone@example.cn")
    response = en(applicant_a).post(reverse("enterprises:revoke", args=[enterprise_a.pk, invitation.pk]), follow=True)
    assert "withdrawn" in html(response)
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_an_invitation_of_another_enterprise_is_404_through_ones_own_url(en, applicant_a, enterprise_a, enterprise_b):
    other = InvitationFactory(enterprise=enterprise_b)
    response = en(applicant_a).post(reverse("enterprises:revoke", args=[enterprise_a.pk, other.pk]))
    assert response.status_code == 404
    member_b = MembershipFactory(enterprise=enterprise_b)
    response = en(applicant_a).post(reverse("enterprises:remove_member", args=[enterprise_a.pk, member_b.pk]))
    assert response.status_code == 404


def test_owner_removes_a_member_but_not_the_last_owner(en, applicant_a, editor_a, enterprise_a):
    client = en(applicant_a)
    editor_membership = EnterpriseMembership.objects.get(user=editor_a)
    response = client.post(
        reverse("enterprises:remove_member", args=[enterprise_a.pk, editor_membership.pk]), follow=True
    )
    assert "is no longer a member" in html(response)
    assert not EnterpriseMembership.objects.filter(pk=editor_membership.pk).exists()
    own = EnterpriseMembership.objects.get(user=applicant_a)
    response = client.post(reverse("enterprises:remove_member", args=[enterprise_a.pk, own.pk]), follow=True)
    assert "only owner and cannot be removed" in html(response)
    assert EnterpriseMembership.objects.filter(pk=own.pk).exists()


# --- accepting invitations ------------------------------------------------------------------------


def test_unknown_invitation_is_404(en, db):
    assert en(None).get(reverse("enterprises:invitation", args=["nope"])).status_code == 404


@pytest.mark.parametrize(
    ("state", "message"),
    [
        ({"expires_at": timezone.now() - dt.timedelta(days=1)}, "expired"),
        ({"revoked_at": timezone.now()}, "withdrawn"),
        ({"accepted_at": timezone.now()}, "already been used"),
    ],
)
def test_closed_invitation_links_say_why(en, enterprise_a, state, message):
    invitation = InvitationFactory(enterprise=enterprise_a, **state)
    response = en(None).get(reverse("enterprises:invitation", args=[invitation.token]))
    assert response.status_code == 410 and message in html(response)


def test_a_new_person_is_sent_to_the_prefilled_registration_and_joins(en, enterprise_a):
    invitation = InvitationFactory(enterprise=enterprise_a, email="newbie@example.cn")
    client = en(None)
    response = client.get(reverse("enterprises:invitation", args=[invitation.token]), follow=True)
    page = html(response)
    assert response.redirect_chain[-1][0].startswith(reverse("enterprises:register"))
    assert 'value="newbie@example.cn"' in page and "You were invited to join Chenzhou Alpha Co., Ltd." in page
    response = client.post(
        reverse("enterprises:register"),
        {
            "email": "newbie@example.cn",
            "full_name": "新同事",
            "preferred_language": "en",
            "password1": "Quality-award-2026",
            "password2": "Quality-award-2026",
        },
        follow=True,
    )
    user = User.objects.get(email="newbie@example.cn")
    assert user.email_verified
    assert EnterpriseMembership.objects.get(user=user).enterprise == enterprise_a
    assert response.redirect_chain[-1][0] == reverse("enterprises:detail", args=[enterprise_a.pk])
    assert mail.outbox == []


def test_a_registered_person_is_asked_to_log_in(en, enterprise_a):
    UserFactory(email="known@example.cn")
    invitation = InvitationFactory(enterprise=enterprise_a, email="known@example.cn")
    url = reverse("enterprises:invitation", args=[invitation.token])
    response = en(None).get(url)
    assert response.status_code == 200 and f"{reverse('login')}?next={url}" in html(response)


def test_the_invited_person_accepts_when_logged_in(en, enterprise_a):
    user = UserFactory(email="known@example.cn")
    invitation = InvitationFactory(enterprise=enterprise_a, email="known@example.cn")
    client = en(user)
    url = reverse("enterprises:invitation", args=[invitation.token])
    assert "Accept the invitation" in html(client.get(url))
    assert not EnterpriseMembership.objects.filter(user=user).exists()  # GET changes nothing
    response = client.post(url)
    assert response.status_code == 302 and response.url == reverse("enterprises:detail", args=[enterprise_a.pk])
    assert EnterpriseMembership.objects.filter(user=user, enterprise=enterprise_a).exists()
    assert client.post(url).status_code == 410  # used


def test_someone_else_logged_in_cannot_accept(en, enterprise_a, applicant_b):
    invitation = InvitationFactory(enterprise=enterprise_a, email="known@example.cn")
    url = reverse("enterprises:invitation", args=[invitation.token])
    response = en(applicant_b).post(url)
    assert response.status_code == 403 and "you are logged in as bob@beta.example.cn" in html(response)
    assert not EnterpriseMembership.objects.filter(user=applicant_b, enterprise=enterprise_a).exists()


# --- award office ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["secretary", "admin_user"])
def test_office_lists_and_views_profiles_read_only(request, db, en, applicant_a, enterprise_a, enterprise_b, role):
    client = en(request.getfixturevalue(role))
    page = html(client.get(reverse("enterprises:office_list")))
    assert "郴州甲企业有限公司" in page and "郴州乙企业有限公司" in page
    filtered = html(client.get(reverse("enterprises:office_list"), {"q": enterprise_b.credit_code.lower()}))
    assert "郴州乙企业有限公司" in filtered and "郴州甲企业有限公司" not in filtered
    detail = html(client.get(reverse("enterprises:office_detail", args=[enterprise_a.pk])))
    assert "alice@alpha.example.cn" in detail and "read-only" in detail and "Edit the profile" not in detail


@pytest.mark.parametrize("role", ["applicant_a", "applicant_b", "expert", "committee_member"])
def test_office_views_are_for_the_office_only(request, db, en, enterprise_a, role):
    client = en(request.getfixturevalue(role))
    assert client.get(reverse("enterprises:office_list")).status_code == 403
    assert client.get(reverse("enterprises:office_detail", args=[enterprise_a.pk])).status_code == 403


def test_office_views_need_login(en, enterprise_a):
    assert en(None).get(reverse("enterprises:office_list")).url.startswith(reverse("login"))


def test_office_list_filters_by_city(en, secretary, cycle, enterprise_a):
    # An office whose programme takes the whole province sees enterprises of every city.
    programme = cycle.programme
    programme.divisions = ["43"]
    programme.save(update_fields=["divisions"])
    yuelu = EnterpriseFactory(credit_code=credit_code_with_check("91430104MA4Q0002"), district="430104")
    page = html(en(secretary).get(reverse("enterprises:office_list"), {"city": "430100"}))
    assert yuelu.credit_code in page and enterprise_a.credit_code not in page
    # The only programme takes the whole province: no note that it is closed to Changsha.
    assert "Yuelu District" in page and "not for the" not in page and "no programme of this site" not in page
    page = html(en(secretary).get(reverse("enterprises:office_list"), {"city": "431000"}))
    assert enterprise_a.credit_code in page and yuelu.credit_code not in page


def test_office_list_queries_do_not_grow_with_rows(en, secretary):
    client = en(secretary)
    MembershipFactory(enterprise=EnterpriseFactory())
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("enterprises:office_list"), {"district": "431002"})
    for _ in range(20):
        MembershipFactory(enterprise=EnterpriseFactory())
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("enterprises:office_list"), {"district": "431002"})
    assert response.content.decode().count("/office/enterprises/") >= 20
    # the same queries for 21 rows as for one, and few (the request's programme scope is one of them)
    assert len(many) == len(one) <= 11


# --- dashboard, navigation, home ------------------------------------------------------------------


def test_dashboard_card_for_an_applicant(en, applicant_a, editor_a, enterprise_a):
    page = html(en(applicant_a).get(reverse("core:dashboard")))
    assert "My enterprise" in page and enterprise_a.credit_code in page and "2 members" in page
    assert reverse("enterprises:members", args=[enterprise_a.pk]) in page
    assert reverse("enterprises:mine") in page  # navigation link


def test_dashboard_invites_a_verified_user_without_enterprise_to_create_one(en, db):
    page = html(en(UserFactory()).get(reverse("core:dashboard")))
    assert "Create your enterprise profile" in page and "Resend the link" not in page


def test_dashboard_tells_an_unverified_user_to_verify(en, db):
    page = html(en(UserFactory(email_verified=False)).get(reverse("core:dashboard")))
    assert "Please confirm your e-mail address" in page and "Resend the link" in page
    assert "Create your enterprise profile" not in page


@pytest.mark.parametrize("role", ["expert", "committee_member", "secretary"])
def test_dashboard_has_no_enterprise_card_for_reviewers(request, db, en, role):
    page = html(en(request.getfixturevalue(role)).get(reverse("core:dashboard")))
    assert "My enterprise" not in page and "Create your enterprise profile" not in page


def test_office_gets_the_enterprises_nav_link(en, secretary):
    assert reverse("enterprises:office_list") in html(en(secretary).get(reverse("core:dashboard")))


def test_anonymous_visitors_see_register_links(en, db):
    page = html(en(None).get(reverse("core:home")))
    assert page.count(reverse("enterprises:register")) == 2


def test_an_unverified_owner_is_asked_to_verify_before_changing_anything(en, enterprise_a):
    owner = MembershipFactory(enterprise=enterprise_a, user=UserFactory(email_verified=False)).user
    client = en(owner)
    assert client.get(reverse("enterprises:detail", args=[enterprise_a.pk])).status_code == 200
    for response in (
        client.get(reverse("enterprises:edit", args=[enterprise_a.pk])),
        client.post(reverse("enterprises:invite", args=[enterprise_a.pk]), {"email": "x@example.cn"}),
    ):
        assert response.status_code == 403 and "Resend the link" in html(response)
    assert not Invitation.objects.exists()


def test_the_invitation_address_answers_a_get_with_the_members_page(client_for, applicant_a, enterprise_a):
    # After a form error the page is shown at this POST address; a reload or the language switch GETs it.
    response = client_for(applicant_a).get(reverse("enterprises:invite", args=[enterprise_a.pk]))
    assert response.status_code == 302 and response.url == reverse("enterprises:members", args=[enterprise_a.pk])


@pytest.mark.parametrize("persona", ["applicant_b", "expert", "secretary"])
def test_the_invitation_address_is_not_found_for_non_members(request, client_for, enterprise_a, persona):
    response = client_for(request.getfixturevalue(persona)).get(reverse("enterprises:invite", args=[enterprise_a.pk]))
    assert response.status_code == 404


def test_the_invitation_address_sends_anonymous_visitors_to_log_in(anonymous, enterprise_a):
    response = anonymous.get(reverse("enterprises:invite", args=[enterprise_a.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
