import pytest
from django.urls import reverse

from awards.enums import ApplicationStatus
from core.enums import AuditEventType
from tests.factories.awards import ApplicationFactory

ROLES = ["applicant_a", "applicant_b", "expert", "conflicted_expert", "committee_member", "secretary", "admin_user"]


def test_home_is_public_and_shows_the_current_cycle_and_winners(anonymous, cycle, enterprise_a):
    ApplicationFactory(
        cycle=cycle,
        enterprise=enterprise_a,
        status=ApplicationStatus.AWARDED,
        award_level=cycle.levels.get(code="mayor"),
    )
    response = anonymous.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert cycle.title_en in html
    assert "How to apply" in html
    assert "Chenzhou Alpha Co., Ltd." in html  # the English name on an English page
    assert str(cycle.year) in html


def test_home_is_chinese_by_default(anonymous, cycle):
    html = anonymous.get("/").content.decode()
    assert "申报指南" in html or "如何申报" in html
    assert cycle.title_zh in html


def test_home_sends_a_content_security_policy(anonymous, db):
    response = anonymous.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "<script>" not in response.content.decode()  # no inline scripts
    assert " style=" not in response.content.decode()  # no inline styles


def test_dashboard_requires_login(anonymous, db):
    response = anonymous.get(reverse("core:dashboard"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_dashboard_for_each_role(request, client_for, role, application_a, application_b):
    user = request.getfixturevalue(role)
    user.preferred_language = "en"
    user.save()
    response = client_for(user).get(reverse("core:dashboard"))
    assert response.status_code == 200
    html = response.content.decode()
    office = role in ("secretary", "admin_user")
    assert ("Award office" in html) is office
    # An English page names the enterprises by their English names.
    if role == "applicant_a":
        assert "Chenzhou Alpha" in html and "Chenzhou Beta" not in html and "郴州乙企业" not in html
    if role == "applicant_b":
        assert "Chenzhou Beta" in html and "Chenzhou Alpha" not in html and "郴州甲企业" not in html
    if role in ("expert", "conflicted_expert", "committee_member"):
        assert not any(n in html for n in ("郴州甲企业", "郴州乙企业", "Chenzhou Alpha", "Chenzhou Beta"))
        assert "My roles in award cycles" in html


def test_dashboard_query_count_does_not_grow_with_applications(
    client_for, secretary, cycle, django_assert_max_num_queries
):
    client = client_for(secretary)
    client.get(reverse("core:dashboard"))
    ApplicationFactory.create_batch(30, cycle=cycle)
    with django_assert_max_num_queries(20):
        client.get(reverse("core:dashboard"))


def test_language_switch_sets_cookie_and_saves_preference(client_for, applicant_a):
    client = client_for(applicant_a)
    response = client.post(reverse("core:language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    applicant_a.refresh_from_db()
    assert applicant_a.preferred_language == "en"
    assert "Dashboard" in client.get("/").content.decode()


def test_language_switch_for_anonymous(anonymous, db):
    anonymous.post(reverse("core:language"), {"language": "en", "next": "/"})
    assert "How to apply" in anonymous.get("/").content.decode()
    anonymous.post(reverse("core:language"), {"language": "zh-hans", "next": "/"})
    assert "How to apply" not in anonymous.get("/").content.decode()


def test_signed_in_user_sees_their_preferred_language(client_for, applicant_a):
    applicant_a.preferred_language = "en"
    applicant_a.save()
    assert "Log out" in client_for(applicant_a).get("/").content.decode()


def test_language_switch_requires_post(anonymous, db):
    assert anonymous.get(reverse("core:language")).status_code == 405


def test_login_with_email(anonymous, applicant_a):
    response = anonymous.post(reverse("login"), {"username": applicant_a.email, "password": "Correct-horse-42"})
    assert response.status_code == 302 and response.url == reverse("core:dashboard")


def test_login_failure_shows_an_error_and_keeps_the_email(anonymous, applicant_a):
    response = anonymous.post(
        reverse("login"), {"username": applicant_a.email, "password": "wrong"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "correct" in html.lower()
    assert applicant_a.email in html


def test_login_is_throttled_after_five_failures(anonymous, applicant_a):
    for _ in range(5):
        anonymous.post(reverse("login"), {"username": applicant_a.email, "password": "wrong"})
    response = anonymous.post(reverse("login"), {"username": applicant_a.email, "password": "Correct-horse-42"})
    assert response.status_code == 429
    assert "_auth_user_id" not in anonymous.session


def test_logout(client_for, applicant_a):
    client = client_for(applicant_a)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("core:dashboard")).status_code == 302


@pytest.mark.parametrize("name", ["password_reset", "login"])
def test_auth_pages_render(anonymous, db, name):
    assert anonymous.get(reverse(name)).status_code == 200


def test_password_reset_sends_mail(anonymous, applicant_a, mailoutbox):
    anonymous.post(reverse("password_reset"), {"email": applicant_a.email})
    assert len(mailoutbox) == 1 and "/accounts/reset/" in mailoutbox[0].body


def test_password_change_requires_login_and_works(client_for, anonymous, applicant_a):
    assert anonymous.get(reverse("password_change")).status_code == 302
    client = client_for(applicant_a)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Correct-horse-42",
            "new_password1": "Quality-Award-2026!",
            "new_password2": "Quality-Award-2026!",
        },
    )
    assert response.status_code == 302
    applicant_a.refresh_from_db()
    assert applicant_a.check_password("Quality-Award-2026!")


def test_weak_password_is_refused_with_a_message(client_for, applicant_a):
    response = client_for(applicant_a).post(
        reverse("password_change"),
        {"old_password": "Correct-horse-42", "new_password1": "12345678", "new_password2": "12345678"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "too short" in response.content.decode() or "太短" in response.content.decode()


def test_404_page(anonymous, db):
    response = anonymous.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404 and "Page not found" in response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "applicant_a", "expert", "committee_member", "secretary"])
def test_admin_is_for_admins_only(request, db, client_for, role):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    response = client_for(user).get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_admin_index_for_admin(client_for, admin_user):
    assert client_for(admin_user).get("/admin/").status_code == 200


def test_the_admin_names_the_log_in_protection_in_chinese(client_for, admin_user):
    admin_user.preferred_language = "zh-hans"
    admin_user.save()
    page = client_for(admin_user).get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "登录保护" in page and ">Axes<" not in page


def test_healthz(anonymous, db):
    response = anonymous.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_healthz_of_a_draining_replica_says_so(anonymous, db, monkeypatch):
    from core import draining

    monkeypatch.setitem(draining._state, "draining", False)  # put back as it was afterwards
    draining.begin()
    response = anonymous.get("/healthz")
    assert response.status_code == 503 and response.json() == {"status": "draining"}
    assert anonymous.get("/programmes/").status_code == 200  # every other page is still served


def test_prize_money_reads_naturally_in_both_languages(db):
    from django.utils import translation

    from core.templatetags.mqa import yuan

    with translation.override("zh-hans"):
        assert yuan(500000) == "50万元"
        assert yuan("12345.50") == "¥12,345.50"
    with translation.override("en"):
        assert yuan(500000) == "¥500,000"


def test_recent_actions_on_the_dashboard_are_for_administrators_only(client_for, secretary, admin_user, applicant_a):
    from core.audit import audit_record

    audit_record(event=AuditEventType.VOTE_CAST, obj=applicant_a, by=applicant_a, payload={"choice": "approve"})
    audit_record(event=AuditEventType.USER_REGISTERED, obj=applicant_a, by=applicant_a)
    office = client_for(secretary).get(reverse("core:dashboard")).content.decode()
    assert "Recent actions" not in office and "最近操作" not in office
    admin = client_for(admin_user).get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Vote cast" in admin or "投票" in admin
    assert "user.registered" not in admin and "用户已注册" in admin  # the event in words, not its code
    assert "committee.vote" not in admin  # the label, not the stored code
    client = client_for(admin_user)
    client.post(reverse("core:language"), {"language": "en", "next": "/"})
    admin_en = client.get(reverse("core:dashboard")).content.decode()
    assert "User registered" in admin_en and "Vote cast" in admin_en and "user.registered" not in admin_en


def test_events_of_the_system_are_named_in_words(client_for, admin_user, applicant_a):
    from core.audit import audit_record

    audit_record(event=AuditEventType.MEETING_SCHEDULED, obj=applicant_a, by=None)
    admin = client_for(admin_user).get(reverse("core:dashboard")).content.decode()
    assert "会议已安排" in admin and "meeting.scheduled" not in admin
    assert "<td>系统</td>" in admin and "<td>system</td>" not in admin


def test_an_objection_is_named_without_its_objector(db):
    from committee.models import Objection
    from tests.factories.awards import ApplicationFactory

    objection = Objection(pk=7, name="李秘密举报人", contact="x", application=ApplicationFactory())
    assert "李秘密举报人" not in str(objection) and "7" in str(objection)


def test_enterprises_are_named_in_the_readers_language_where_they_gave_both_names(db):
    from django.utils import translation

    from tests.factories.enterprises import EnterpriseFactory

    both = EnterpriseFactory(name_zh="郴州甲企业有限公司", name_en="Chenzhou Alpha Co., Ltd.")
    only_zh = EnterpriseFactory(name_zh="郴州乙企业有限公司", name_en="")
    with translation.override("en"):
        assert (str(both), str(only_zh)) == ("Chenzhou Alpha Co., Ltd.", "郴州乙企业有限公司")
    with translation.override("zh-hans"):
        assert str(both) == "郴州甲企业有限公司"


def test_the_home_timeline_says_by_as_a_deadline_in_chinese(anonymous, cycle):
    import datetime as dt

    from awards.models import CycleStage

    CycleStage.objects.create(cycle=cycle, kind="material_review", order=2, ends_on=dt.date(2027, 2, 13))
    page = anonymous.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "截至 2027-02-13" in page and "操作人" not in page


def test_favicon_ico_leads_to_the_site_icon(anonymous, db):
    response = anonymous.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.svg")
