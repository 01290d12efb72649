from urllib.parse import quote

import pytest
from django.urls import reverse

from certificates.enums import CertificateStatus
from certificates.models import Certificate
from certificates.services import certificate_revoke
from core.enums import AuditEventType
from core.models import AuditEvent
from tests.factories.certificates import awarded_application

pytestmark = pytest.mark.django_db

NOT_OFFICE = ["applicant_a", "applicant_b", "expert", "committee_member"]


def _login(request, client_for, persona):
    return client_for(request.getfixturevalue(persona))


# ---- office pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["secretary", "admin_user"])
def test_the_office_sees_the_cycle_list(request, client_for, ready_cert_a, persona):
    response = _login(request, client_for, persona).get(reverse("certificates:index"))
    assert response.status_code == 200
    assert ready_cert_a.cycle.title_zh in response.content.decode()


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_others_may_not_see_the_cycle_list(request, client_for, cycle, persona):
    assert _login(request, client_for, persona).get(reverse("certificates:index")).status_code == 403


def test_the_cycle_list_needs_a_login(anonymous):
    response = anonymous.get(reverse("certificates:index"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["secretary", "admin_user"])
def test_the_office_sees_the_cycle_page_with_progress(request, client_for, ready_cert_a, ready_cert_b, persona):
    Certificate.objects.filter(pk=ready_cert_b.pk).update(
        status=CertificateStatus.FAILED, error="ValueError: broken font"
    )
    response = _login(request, client_for, persona).get(reverse("certificates:cycle", args=[ready_cert_a.cycle_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert ready_cert_a.serial in html and ready_cert_b.serial in html
    assert '<progress class="progress" id="cert-progress" max="2" value="2"' in html
    assert "ValueError: broken font" in html
    assert reverse("certificates:retry", args=[ready_cert_b.pk]) in html
    assert reverse("certificates:retry", args=[ready_cert_a.pk]) not in html
    assert 'hx-trigger="every 2s"' not in html  # nothing is running


def test_the_board_polls_while_a_batch_runs(client_for, secretary, cert_a):
    response = client_for(secretary).get(reverse("certificates:progress", args=[cert_a.cycle_id]))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in html
    assert reverse("certificates:progress", args=[cert_a.cycle_id]) in html
    assert 'max="1" value="0"' in html
    assert "<html" not in html  # a fragment


@pytest.mark.parametrize("persona", NOT_OFFICE)
@pytest.mark.parametrize("name", ["certificates:cycle", "certificates:progress"])
def test_others_may_not_see_the_cycle_page(request, client_for, cycle, persona, name):
    assert _login(request, client_for, persona).get(reverse(name, args=[cycle.pk])).status_code == 404


def test_the_cycle_page_lists_a_bounded_number_of_queries(client_for, secretary, cycle, django_assert_max_num_queries):
    from certificates.services import certificates_issue_for_cycle

    for _ in range(8):
        awarded_application(cycle=cycle)
    certificates_issue_for_cycle(cycle=cycle, by=secretary)
    client = client_for(secretary)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("certificates:cycle", args=[cycle.pk]))
    assert response.content.decode().count("CZMQA-") >= 8


def test_issuing_from_the_page(client_for, secretary, cycle, django_capture_on_commit_callbacks):
    awarded_application(cycle=cycle)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("certificates:issue", args=[cycle.pk]), follow=True)
    assert response.status_code == 200
    cert = Certificate.objects.get(cycle=cycle)
    assert cert.status == CertificateStatus.READY
    assert "1 certificate issued" in response.content.decode() or "已颁发 1 份证书" in response.content.decode()


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_others_may_not_issue(request, client_for, cycle, persona):
    awarded_application(cycle=cycle)
    assert _login(request, client_for, persona).post(reverse("certificates:issue", args=[cycle.pk])).status_code == 404
    assert not Certificate.objects.exists()


def test_issue_needs_post(client_for, secretary, cycle):
    assert client_for(secretary).get(reverse("certificates:issue", args=[cycle.pk])).status_code == 405


def test_regenerating_from_the_page(client_for, secretary, ready_cert_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("certificates:regenerate", args=[ready_cert_a.cycle_id]))
    assert response.status_code == 302
    ready_cert_a.refresh_from_db()
    assert ready_cert_a.status == CertificateStatus.READY and ready_cert_a.attempts == 2


def test_regenerating_while_a_batch_runs_is_refused_with_a_message(client_for, secretary, cert_a):
    response = client_for(secretary).post(reverse("certificates:regenerate", args=[cert_a.cycle_id]), follow=True)
    assert response.status_code == 200
    assert "message-error" in response.content.decode()
    cert_a.refresh_from_db()
    assert cert_a.status == CertificateStatus.PENDING and cert_a.attempts == 0


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_others_may_not_regenerate(request, client_for, ready_cert_a, persona):
    url = reverse("certificates:regenerate", args=[ready_cert_a.cycle_id])
    assert _login(request, client_for, persona).post(url).status_code == 404
    assert Certificate.objects.get(pk=ready_cert_a.pk).status == CertificateStatus.READY


def test_retrying_a_failed_certificate(client_for, secretary, cert_a, django_capture_on_commit_callbacks):
    Certificate.objects.filter(pk=cert_a.pk).update(status=CertificateStatus.FAILED, error="boom")
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("certificates:retry", args=[cert_a.pk]))
    assert response.status_code == 302
    assert Certificate.objects.get(pk=cert_a.pk).status == CertificateStatus.READY


def test_retrying_a_ready_certificate_shows_an_error(client_for, secretary, ready_cert_a):
    response = client_for(secretary).post(reverse("certificates:retry", args=[ready_cert_a.pk]), follow=True)
    assert "message-error" in response.content.decode()


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_others_may_not_retry(request, client_for, cert_a, persona):
    Certificate.objects.filter(pk=cert_a.pk).update(status=CertificateStatus.FAILED)
    # The winning enterprise sees its certificate but may not act on it; the others may not see it.
    expected = 403 if persona == "applicant_a" else 404
    assert (
        _login(request, client_for, persona).post(reverse("certificates:retry", args=[cert_a.pk])).status_code
        == expected
    )
    assert Certificate.objects.get(pk=cert_a.pk).status == CertificateStatus.FAILED


def test_revoking_with_a_reason(client_for, secretary, ready_cert_a):
    url = reverse("certificates:revoke", args=[ready_cert_a.pk])
    assert client_for(secretary).get(url).status_code == 200
    response = client_for(secretary).post(url, {"reason": "Falsified results"})
    assert response.status_code == 302
    ready_cert_a.refresh_from_db()
    assert ready_cert_a.status == CertificateStatus.REVOKED and ready_cert_a.revoke_reason == "Falsified results"
    assert AuditEvent.objects.filter(event=AuditEventType.CERTIFICATE_REVOKED).exists()


def test_revoking_without_a_reason_shows_the_error_next_to_the_field(client_for, secretary, ready_cert_a):
    response = client_for(secretary).post(reverse("certificates:revoke", args=[ready_cert_a.pk]), {"reason": "  "})
    assert response.status_code == 200
    assert 'class="field field-error required"' in response.content.decode()
    assert Certificate.objects.get(pk=ready_cert_a.pk).status == CertificateStatus.READY


def test_revoking_twice_shows_a_form_error(client_for, secretary, ready_cert_a):
    certificate_revoke(certificate=ready_cert_a, by=secretary, reason="x")
    response = client_for(secretary).post(reverse("certificates:revoke", args=[ready_cert_a.pk]), {"reason": "y"})
    assert response.status_code == 200 and "form-errors" in response.content.decode()


@pytest.mark.parametrize("persona", NOT_OFFICE)
def test_others_may_not_revoke(request, client_for, ready_cert_a, persona):
    url = reverse("certificates:revoke", args=[ready_cert_a.pk])
    client = _login(request, client_for, persona)
    expected = 403 if persona == "applicant_a" else 404  # the winner sees it; the others do not
    assert client.get(url).status_code == expected
    assert client.post(url, {"reason": "x"}).status_code == expected
    assert Certificate.objects.get(pk=ready_cert_a.pk).status == CertificateStatus.READY


# ---- download ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["applicant_a", "secretary", "admin_user"])
def test_download_by_the_winner_and_the_office(request, client_for, ready_cert_a, persona):
    response = _login(request, client_for, persona).get(reverse("certificates:download", args=[ready_cert_a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = b"".join(response.streaming_content)
    assert body.startswith(b"%PDF") and len(body) == ready_cert_a.size_bytes
    name = f"{ready_cert_a.cycle.year}-市长质量奖-郴州甲企业有限公司-{ready_cert_a.serial}.pdf"
    assert f"filename*=UTF-8''{quote(name)}" in response["Content-Disposition"]
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("persona", ["applicant_b", "expert", "committee_member"])
def test_download_by_anyone_else_is_not_found(request, client_for, ready_cert_a, persona):
    response = _login(request, client_for, persona).get(reverse("certificates:download", args=[ready_cert_a.pk]))
    assert response.status_code == 404


def test_download_needs_a_login(anonymous, ready_cert_a):
    assert anonymous.get(reverse("certificates:download", args=[ready_cert_a.pk])).status_code == 302


def test_no_download_before_rendering_or_after_revocation(client_for, applicant_a, secretary, cert_a):
    url = reverse("certificates:download", args=[cert_a.pk])
    assert client_for(applicant_a).get(url).status_code == 404
    from certificates.services import certificate_render

    certificate_render(certificate_id=cert_a.pk)
    assert client_for(applicant_a).get(url).status_code == 200
    cert_a.refresh_from_db()
    certificate_revoke(certificate=cert_a, by=secretary, reason="x")
    assert client_for(applicant_a).get(url).status_code == 404


def test_no_download_once_the_award_itself_was_revoked_through_the_workflow(client_for, applicant_a, ready_cert_a):
    from awards.enums import ApplicationStatus
    from awards.services import application_transition

    url = reverse("certificates:download", args=[ready_cert_a.pk])
    assert client_for(applicant_a).get(url).status_code == 200
    application_transition(
        application=ready_cert_a.application,
        to_status=ApplicationStatus.REVOKED,
        by=None,
        system=True,
        comment="Falsified results",
    )
    assert client_for(applicant_a).get(url).status_code == 404
    dashboard = client_for(applicant_a).get(reverse("core:dashboard")).content.decode()
    assert url not in dashboard


def test_media_files_are_not_served(anonymous, ready_cert_a):
    assert anonymous.get("/media/" + ready_cert_a.file.name).status_code == 404
    assert anonymous.get("/media-not-served/" + ready_cert_a.file.name).status_code == 404


# ---- dashboard -----------------------------------------------------------------------------------


def test_the_winners_dashboard_shows_the_certificate(client_for, applicant_a, ready_cert_a):
    html = client_for(applicant_a).get(reverse("core:dashboard")).content.decode()
    assert ready_cert_a.serial in html
    assert reverse("certificates:download", args=[ready_cert_a.pk]) in html


def test_the_dashboard_says_when_the_certificate_is_still_being_prepared(client_for, applicant_a, cert_a):
    html = client_for(applicant_a).get(reverse("core:dashboard")).content.decode()
    assert cert_a.serial in html
    assert reverse("certificates:download", args=[cert_a.pk]) not in html


def test_another_enterprises_dashboard_does_not_show_it(client_for, applicant_b, ready_cert_a):
    html = client_for(applicant_b).get(reverse("core:dashboard")).content.decode()
    assert ready_cert_a.serial not in html


def test_the_secretary_has_a_nav_link(client_for, secretary, applicant_a):
    assert reverse("certificates:index") in client_for(secretary).get(reverse("core:dashboard")).content.decode()
    assert reverse("certificates:index") not in client_for(applicant_a).get(reverse("core:dashboard")).content.decode()


# ---- public verification -------------------------------------------------------------------------


def test_verification_of_a_valid_certificate(anonymous, ready_cert_a):
    response = anonymous.get(reverse("certificates:verify", args=[ready_cert_a.verification_code]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "郴州甲企业有限公司" in html and "Chenzhou Alpha Co., Ltd." in html
    assert ready_cert_a.cycle.title_zh in html and "市长质量奖" in html
    assert str(ready_cert_a.cycle.year) in html and ready_cert_a.serial in html
    assert "badge-valid" in html and "badge-revoked" not in html
    assert response["X-Robots-Tag"] == "noindex"


def test_verification_of_a_revoked_certificate_shows_the_date(anonymous, ready_cert_a, secretary):
    certificate_revoke(certificate=ready_cert_a, by=secretary, reason="Secret internal reason")
    ready_cert_a.refresh_from_db()
    html = anonymous.get(reverse("certificates:verify", args=[ready_cert_a.verification_code])).content.decode()
    assert "badge-revoked" in html and "badge-valid" not in html
    from django.utils import timezone

    assert timezone.localtime(ready_cert_a.revoked_at).strftime("%Y-%m-%d") in html
    assert "Secret internal reason" not in html


def test_a_verification_seen_before_comes_from_the_cache_until_the_revocation(
    anonymous, ready_cert_a, secretary, django_assert_max_num_queries
):
    url = reverse("certificates:verify", args=[ready_cert_a.verification_code])
    assert "badge-valid" in anonymous.get(url).content.decode()
    with django_assert_max_num_queries(6) as queries:  # the rate limit's count and the last change
        assert "badge-valid" in anonymous.get(url).content.decode()
    assert not [q for q in queries.captured_queries if "certificates_certificate" in q["sql"]]
    certificate_revoke(certificate=ready_cert_a, by=secretary, reason="Secret internal reason")
    html = anonymous.get(url).content.decode()
    assert "badge-revoked" in html and "badge-valid" not in html


@pytest.mark.parametrize("code", ["A" * 32, "short", "A" * 33, "bad$code" * 4])
def test_verification_of_an_unknown_or_malformed_code_is_a_plain_not_found(anonymous, ready_cert_a, code):
    # A malformed code never reaches the view (the path converter refuses it); both answer 404.
    response = anonymous.get(f"/verify/{code}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert ready_cert_a.serial not in html and "郴州甲企业" not in html
    assert "badge" not in html


def test_verification_is_rate_limited_per_address(anonymous, ready_cert_a, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 3
    url = reverse("certificates:verify", args=[ready_cert_a.verification_code])
    assert [anonymous.get(url).status_code for _ in range(3)] == [200, 200, 200]
    limited = anonymous.get(url)
    assert limited.status_code == 429 and limited["Retry-After"] == "60"
    assert ready_cert_a.serial not in limited.content.decode()
    # Another address is not affected.
    assert anonymous.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


def test_guessing_codes_counts_against_the_limit_too(anonymous, settings):
    settings.CERTIFICATE_VERIFY_RATE_LIMIT = 2
    codes = ["B" * 32, "C" * 32, "D" * 32]
    assert [anonymous.get(reverse("certificates:verify", args=[c])).status_code for c in codes] == [404, 404, 429]


# ---- counted in the database ---------------------------------------------------------------------


def test_the_index_counts_each_cycle_with_grouped_queries(client_for, admin_user, cycle):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories.awards import ApplicationFactory, CycleFactory
    from tests.factories.certificates import issued_certificate

    other = CycleFactory()
    for _ in range(3):
        issued_certificate(cycle=cycle)
    ready = issued_certificate(cycle=other)
    Certificate.objects.filter(pk=ready.pk).update(status=CertificateStatus.READY)
    ApplicationFactory.create_batch(4, cycle=cycle)  # applications without awards count nowhere
    c = client_for(admin_user)
    c.get(reverse("certificates:index"))
    with CaptureQueriesContext(connection) as before:
        html = c.get(reverse("certificates:index")).content.decode()
    rows = {cycle.title_zh: ["3", "3", "0"], other.title_zh: ["1", "1", "1"]}
    for title, numbers in rows.items():
        row = html.split(title, 1)[1].split("</tr>", 1)[0]
        assert [cell.split("</td>")[0] for cell in row.split('<td class="num">')[1:]] == numbers
    for _ in range(3):
        issued_certificate(cycle=other)
    ApplicationFactory.create_batch(4, cycle=other)
    with CaptureQueriesContext(connection) as after:
        c.get(reverse("certificates:index"))
    assert len(after) == len(before)
    # One grouped query per table: no query joins certificates to applications.
    assert not any(
        "certificates_certificate" in q["sql"] and "awards_application" in q["sql"] for q in after.captured_queries
    )


def test_the_poll_returns_only_the_counts(client_for, secretary, cert_a, cycle):
    for _ in range(3):
        issued_certificate_for(cycle)
    response = client_for(secretary).get(reverse("certificates:progress", args=[cycle.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200 and "HX-Refresh" not in response
    assert 'max="4" value="0"' in html and 'hx-trigger="every 2s"' in html
    assert cert_a.serial not in html and "<table" not in html  # no list: the counts only


def test_the_poll_reloads_the_page_once_the_batch_is_done(client_for, secretary, ready_cert_a, cycle):
    response = client_for(secretary).get(reverse("certificates:progress", args=[cycle.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    assert "hx-trigger" not in response.content.decode()


def issued_certificate_for(cycle):
    from tests.factories.certificates import issued_certificate

    return issued_certificate(cycle=cycle)
