"""The enterprise's application pages: happy paths, denials per role, cross-enterprise 404s."""

import datetime as dt
import errno
import json
import os
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards import sections, services
from awards.enums import ApplicationStatus, AttachmentKind
from awards.models import Application, ApplicationAttachment, AwardCycle
from tests.factories.awards import fill_application, pdf_file


@pytest.fixture
def attachment_a(application_a, applicant_a):
    return services.attachment_add(
        application=application_a,
        kind=AttachmentKind.OTHER,
        description="补充材料",
        upload=pdf_file("other.pdf"),
        by=applicant_a,
    )


@pytest.fixture
def submitted_a(application_a, applicant_a):
    fill_application(application_a, applicant_a)
    return services.application_submit(application=application_a, by=applicant_a)


def applicant_urls(app, att):
    """Every URL that shows or changes enterprise A's application: (method, url)."""
    pk = app.pk
    urls = [("get", reverse("awards:application", args=[pk])), ("get", reverse("awards:attachments", args=[pk]))]
    for section in ("basic", "eligibility", "self_assessment", "results", "commitment"):
        urls.append(("get", reverse("awards:section", args=[pk, section])))
        urls.append(("post", reverse("awards:section", args=[pk, section])))
    urls += [
        ("post", reverse("awards:attachments", args=[pk])),
        ("get", reverse("awards:attachment", args=[pk, att.pk])),
        ("post", reverse("awards:attachment_remove", args=[pk, att.pk])),
        ("get", reverse("awards:submit", args=[pk])),
        ("post", reverse("awards:submit", args=[pk])),
        ("post", reverse("awards:submit", args=[pk]), {"confirm": "1"}),
        ("get", reverse("awards:receipt", args=[pk])),
        ("get", reverse("awards:withdraw", args=[pk])),
        ("post", reverse("awards:withdraw", args=[pk])),
        ("get", reverse("awards:snapshot", args=[pk, 1])),
        ("get", reverse("awards:review", args=[pk])),
        ("post", reverse("awards:review", args=[pk])),
    ]
    return urls


@pytest.mark.parametrize("role", ["applicant_b", "expert", "conflicted_expert", "committee_member"])
def test_every_url_of_a_is_404_for_others(request, client_for, application_a, attachment_a, role):
    client = client_for(request.getfixturevalue(role))
    for method, url, *data in applicant_urls(application_a, attachment_a):
        response = getattr(client, method)(url, *data)
        assert response.status_code == 404, (method, url, response.status_code)
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.DRAFT
    assert ApplicationAttachment.objects.get(pk=attachment_a.pk).removed_at is None


def test_every_url_of_a_is_404_for_the_secretary_of_another_cycle(client_for, application_a, attachment_a):
    from awards.enums import CycleRole
    from tests.factories.awards import CycleMembershipFactory

    other = CycleMembershipFactory(role=CycleRole.SECRETARY).user
    client = client_for(other)
    for method, url, *data in applicant_urls(application_a, attachment_a):
        assert getattr(client, method)(url, *data).status_code == 404, url


def test_anonymous_is_sent_to_login(anonymous, application_a, attachment_a):
    for method, url, *data in applicant_urls(application_a, attachment_a):
        response = getattr(anonymous, method)(url, *data)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_the_secretary_cannot_act_as_the_enterprise(client_for, secretary, application_a, attachment_a):
    client = client_for(secretary)
    pk = application_a.pk
    for url in [reverse("awards:section", args=[pk, "basic"]), reverse("awards:attachments", args=[pk])]:
        assert client.get(url).status_code == 403
    assert client.get(reverse("awards:submit", args=[pk])).status_code == 403
    assert client.post(reverse("awards:submit", args=[pk]), {"confirm": "1"}).status_code == 403
    assert client.post(reverse("awards:attachment_remove", args=[pk, attachment_a.pk])).status_code == 403
    assert client.get(reverse("awards:withdraw", args=[pk])).status_code == 403
    # ... but may read it and its files.
    assert client.get(reverse("awards:application", args=[pk])).status_code == 302
    assert client.get(reverse("awards:attachment", args=[pk, attachment_a.pk])).status_code == 200


# --- my application / start -----------------------------------------------------------------


def test_my_application_offers_to_start(client_for, applicant_a, cycle):
    response = client_for(applicant_a).get(reverse("awards:mine"))
    assert response.status_code == 200 and cycle.title in response.content.decode()


def test_my_application_redirects_to_the_started_one(client_for, applicant_a, application_a):
    response = client_for(applicant_a).get(reverse("awards:mine"))
    assert response["Location"] == reverse("awards:application", args=[application_a.pk])


@pytest.mark.parametrize("role", ["secretary", "expert", "committee_member", "admin_user"])
def test_my_application_refused_without_an_enterprise(request, db, client_for, role):
    assert client_for(request.getfixturevalue(role)).get(reverse("awards:mine")).status_code == 403


def test_start(client_for, applicant_a, enterprise_a, cycle):
    response = client_for(applicant_a).post(reverse("awards:start"), {"enterprise": enterprise_a.pk, "cycle": cycle.pk})
    app = Application.objects.get(enterprise=enterprise_a, cycle=cycle)
    assert response["Location"] == reverse("awards:application", args=[app.pk])
    assert app.basic_info["name_zh"] == enterprise_a.name_zh


def test_start_for_another_enterprise_is_404(client_for, applicant_b, enterprise_a, cycle):
    response = client_for(applicant_b).post(reverse("awards:start"), {"enterprise": enterprise_a.pk, "cycle": cycle.pk})
    assert response.status_code == 404 and not Application.objects.exists()


# --- overview and sections ------------------------------------------------------------------


def test_overview_lists_what_is_missing(client_for, applicant_a, application_a):
    response = client_for(applicant_a).get(reverse("awards:application", args=[application_a.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "营业执照" in body or "Business licence" in body
    assert 'max="6" value="0"' in body or 'value="0"' in body


@pytest.mark.parametrize("section", ["basic", "eligibility", "self_assessment", "results", "commitment"])
def test_section_pages_render(client_for, applicant_a, application_a, section):
    response = client_for(applicant_a).get(reverse("awards:section", args=[application_a.pk, section]))
    assert response.status_code == 200
    assert 'name="version"' in response.content.decode()


def test_unknown_section_is_404(client_for, applicant_a, application_a):
    assert client_for(applicant_a).get(reverse("awards:section", args=[application_a.pk, "nope"])).status_code == 404


def test_basic_save_prefilled_and_stored_on_the_application(client_for, applicant_a, application_a, enterprise_a):
    url = reverse("awards:section", args=[application_a.pk, "basic"])
    data = {
        **application_a.basic_info,
        "legal_representative": "王总",
        "version": application_a.basic_info_version,
        "save": "",
    }
    data = {k: v for k, v in data.items() if v is not None}
    response = client_for(applicant_a).post(url, data)
    assert response.status_code == 302
    application_a.refresh_from_db()
    enterprise_a.refresh_from_db()
    assert application_a.basic_info["legal_representative"] == "王总"
    # The names come from the profile (tests/awards/test_identity.py: changing them here is refused).
    assert application_a.basic_info["name_zh"] == enterprise_a.name_zh == "郴州甲企业有限公司"


def test_autosave_returns_the_new_version(client_for, applicant_a, application_a):
    url = reverse("awards:section", args=[application_a.pk, "commitment"])
    response = client_for(applicant_a).post(
        url, {"name": "王总", "version": application_a.commitment_version}, headers={"HX-Request": "true"}
    )
    application_a.refresh_from_db()
    assert response.status_code == 200
    assert json.loads(response["HX-Trigger"]) == {"mqa:saved": {"version": application_a.commitment_version}}
    assert application_a.commitment["name"] == "王总"


def test_stale_edit_gets_a_conflict_and_keeps_the_text(client_for, applicant_a, application_a):
    url = reverse("awards:section", args=[application_a.pk, "commitment"])
    stale = application_a.commitment_version
    services.application_section_save(
        application=application_a,
        section=sections.COMMITMENT,
        data={"name": "同事的版本"},
        version=stale,
        by=applicant_a,
    )
    response = client_for(applicant_a).post(url, {"name": "我的版本", "position": "总经理", "version": stale})
    body = response.content.decode()
    assert response.status_code == 200
    assert "我的版本" in body and "同事的版本" in body
    assert 'class="form-errors conflict"' in body
    application_a.refresh_from_db()
    assert application_a.commitment == {"name": "同事的版本"}
    # The autosave variant says so too, without saving.
    response = client_for(applicant_a).post(url, {"name": "我的版本", "version": stale}, headers={"HX-Request": "true"})
    assert 'class="error"' in response.content.decode()
    application_a.refresh_from_db()
    assert application_a.commitment == {"name": "同事的版本"}


def test_a_colleagues_save_of_another_section_is_no_conflict(client_for, applicant_a, application_a):
    # Both opened the application; the colleague saves the commitment letter first.
    loaded_basic = application_a.basic_info_version
    services.application_section_save(
        application=application_a,
        section=sections.COMMITMENT,
        data={"name": "同事"},
        version=application_a.commitment_version,
        by=applicant_a,
    )
    url = reverse("awards:section", args=[application_a.pk, "basic"])
    data = {"name_zh": "郴州甲企业有限公司", "version": loaded_basic}
    response = client_for(applicant_a).post(url, data, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'class="error"' not in response.content.decode()
    application_a.refresh_from_db()
    assert application_a.basic_info["name_zh"] == "郴州甲企业有限公司"
    assert application_a.commitment == {"name": "同事"}


def test_results_validation(client_for, applicant_a, application_a):
    year = application_a.cycle.year - 1
    url = reverse("awards:section", args=[application_a.pk, "results"])
    response = client_for(applicant_a).post(
        url,
        {
            "version": application_a.key_results_version,
            f"satisfaction_{year}": "120",
            f"revenue_{year}": "-5",
            f"employees_{year}": "12.5",
            f"profit_{year}": "-30",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {f"satisfaction_{year}", f"revenue_{year}", f"employees_{year}"}
    assert 'value="-30"' in response.content.decode()
    application_a.refresh_from_db()
    assert application_a.key_results == {}


def test_self_assessment_hard_maximum(client_for, applicant_a, application_a):
    url = reverse("awards:section", args=[application_a.pk, "self_assessment"])
    response = client_for(applicant_a).post(
        url,
        {
            "version": application_a.self_assessment_version,
            "narrative_4_1": "长" * (sections.NARRATIVE_MAX + 1),
            "score_4_1_2": "57",
        },
    )
    form = response.context["form"]
    assert "narrative_4_1" in form.errors and "score_4_1_2" in form.errors  # 57 is not a 5 % step


def test_self_assessment_saves_narrative_and_scores(client_for, applicant_a, application_a):
    url = reverse("awards:section", args=[application_a.pk, "self_assessment"])
    client_for(applicant_a).post(
        url, {"version": application_a.self_assessment_version, "narrative_4_1": "领导作用", "score_4_1_2": "60"}
    )
    application_a.refresh_from_db()
    assert application_a.self_assessment["4.1"] == {"narrative": "领导作用", "scores": {"4.1.2": 60}}


# --- uploads --------------------------------------------------------------------------------


def _decl_data(app, **extra):
    return {
        "version": app.declarations_version,
        "excellence_since": "2016-03-01",
        "excellence_note": "我们的卓越绩效实践",
        **extra,
    }


@pytest.mark.parametrize(
    ("upload", "needle"),
    [
        (SimpleUploadedFile("setup.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300), "setup.pdf"),
        (SimpleUploadedFile("empty.pdf", b""), "empty.pdf"),
    ],
)
def test_declaration_evidence_rejected_keeps_the_text(client_for, applicant_a, application_a, upload, needle):
    url = reverse("awards:section", args=[application_a.pk, "eligibility"])
    response = client_for(applicant_a).post(url, _decl_data(application_a, evidence_excellence=upload))
    body = response.content.decode()
    assert response.status_code == 200
    assert needle in body and "我们的卓越绩效实践" in body and "2016-03-01" in body
    assert not ApplicationAttachment.objects.exists()


def test_oversized_upload_names_the_file_and_the_limit(client_for, applicant_a, application_a, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    url = reverse("awards:attachments", args=[application_a.pk])
    response = client_for(applicant_a).post(url, {"kind": "other", "file": pdf_file("big.pdf")})
    body = response.content.decode()
    assert response.status_code == 200 and "big.pdf" in body and "100" in body
    assert 'value="other" selected' in body
    assert not ApplicationAttachment.objects.exists()


def test_declaration_evidence_accepted(client_for, applicant_a, application_a):
    url = reverse("awards:section", args=[application_a.pk, "eligibility"])
    response = client_for(applicant_a).post(url, _decl_data(application_a, evidence_excellence=pdf_file("cert.pdf")))
    assert response.status_code == 302
    att = ApplicationAttachment.objects.get()
    assert (att.kind, att.declaration, att.original_name) == ("declaration_evidence", "excellence", "cert.pdf")


def test_upload_download_remove(client_for, applicant_a, application_a):
    client = client_for(applicant_a)
    url = reverse("awards:attachments", args=[application_a.pk])
    assert client.post(url, {"kind": "business_licence", "file": pdf_file("licence.pdf")}).status_code == 302
    att = ApplicationAttachment.objects.get()
    response = client.get(reverse("awards:attachment", args=[application_a.pk, att.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "licence.pdf" in response["Content-Disposition"]
    client.post(reverse("awards:attachment_remove", args=[application_a.pk, att.pk]))
    att.refresh_from_db()
    assert att.removed_at is not None


def test_attachment_of_another_application_under_my_url_is_404(client_for, applicant_a, application_a, application_b):
    other = services.attachment_add(
        application=application_b,
        kind=AttachmentKind.OTHER,
        description="补充材料",
        upload=pdf_file(),
        by=application_b.enterprise.memberships.first().user
        if application_b.enterprise.memberships.exists()
        else _member(application_b),
    )
    url = reverse("awards:attachment", args=[application_a.pk, other.pk])
    assert client_for(applicant_a).get(url).status_code == 404


def _member(app):
    from tests.factories.enterprises import MembershipFactory

    return MembershipFactory(enterprise=app.enterprise).user


# --- submit, read-only, withdraw ------------------------------------------------------------


def test_submit_incomplete_lists_what_is_missing(client_for, applicant_a, application_a):
    client = client_for(applicant_a)
    response = client.get(reverse("awards:submit", args=[application_a.pk]))
    body = response.content.decode()
    assert "form-errors" in body and str(sections.SECTION_TITLES[sections.COMMITMENT]) in body
    assert 'name="confirm"' not in body
    response = client.post(reverse("awards:submit", args=[application_a.pk]), {"confirm": "1"}, follow=True)
    body = response.content.decode()
    assert "message-error" in body and str(sections.SECTION_TITLES[sections.COMMITMENT]) in body
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.DRAFT


def test_submit_then_read_only(client_for, applicant_a, application_a):
    fill_application(application_a, applicant_a)
    client = client_for(applicant_a)
    response = client.post(reverse("awards:submit", args=[application_a.pk]), {"confirm": "1"}, follow=True)
    application_a.refresh_from_db()
    body = response.content.decode()
    assert application_a.status == ApplicationStatus.SUBMITTED
    assert application_a.receipt_number in body
    # Read-only: the section pages send back to the overview; saving is refused.
    response = client.get(reverse("awards:section", args=[application_a.pk, "basic"]))
    assert response.status_code == 302
    response = client.post(
        reverse("awards:section", args=[application_a.pk, "basic"]),
        {"name_zh": "x", "version": application_a.basic_info_version},
    )
    application_a.refresh_from_db()
    assert application_a.basic_info["name_zh"] != "x"
    assert client.post(reverse("awards:attachments", args=[application_a.pk]), {}).status_code == 403
    # A second click changes nothing.
    client.post(reverse("awards:submit", args=[application_a.pk]), {"confirm": "1"})
    assert application_a.snapshots.count() == 1
    assert client.get(reverse("awards:snapshot", args=[application_a.pk, 1])).status_code == 200


def test_submit_after_the_deadline_shows_it(client_for, applicant_a, application_a):
    fill_application(application_a, applicant_a)
    close = timezone.now() - dt.timedelta(seconds=1)
    AwardCycle.objects.filter(pk=application_a.cycle_id).update(
        applications_open_at=close - dt.timedelta(days=30), applications_close_at=close
    )
    client = client_for(applicant_a)
    assert "提交期限已过" in client.get(reverse("awards:submit", args=[application_a.pk])).content.decode()
    response = client.post(reverse("awards:submit", args=[application_a.pk]), {"confirm": "1"}, follow=True)
    assert timezone.localtime(close).strftime("%Y-%m-%d %H:%M") in response.content.decode()
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.DRAFT


def test_withdraw_with_confirmation(client_for, applicant_a, submitted_a):
    client = client_for(applicant_a)
    url = reverse("awards:withdraw", args=[submitted_a.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"reason": "明年再报"})  # not confirmed
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.SUBMITTED
    client.post(url, {"reason": "明年再报", "confirm": "on"})
    submitted_a.refresh_from_db()
    assert submitted_a.status == ApplicationStatus.WITHDRAWN


def test_withdraw_refused_in_material_review(client_for, applicant_a, application_a):
    Application.objects.filter(pk=application_a.pk).update(status=ApplicationStatus.MATERIAL_REVIEW)
    assert client_for(applicant_a).get(reverse("awards:withdraw", args=[application_a.pk])).status_code == 403


def test_dashboard_shows_status_next_step_and_messages(client_for, applicant_a, submitted_a, secretary):
    from awards.enums import EligibilityDecision

    services.application_decide_eligibility(
        application=submitted_a,
        by=secretary,
        decision=EligibilityDecision.RETURNED,
        section_comments={sections.RESULTS: "请补充研发投入数据"},
        resubmit_by=timezone.now() + dt.timedelta(days=5),
    )
    body = client_for(applicant_a).get(reverse("core:dashboard")).content.decode()
    assert "请补充研发投入数据" in body and submitted_a.receipt_number in body
    assert 'class="timeline"' in body


def test_autosave_on_a_submitted_application_says_so(client_for, applicant_a, submitted_a):
    url = reverse("awards:section", args=[submitted_a.pk, "commitment"])
    response = client_for(applicant_a).post(
        url, {"name": "x", "version": submitted_a.commitment_version}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and 'class="error"' in response.content.decode()
    assert "<html" not in response.content.decode()


@pytest.mark.parametrize(
    "upload",
    [
        SimpleUploadedFile("virus.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300),
        SimpleUploadedFile("blank.pdf", b""),
        SimpleUploadedFile("script.png", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
def test_attachment_page_rejects_bad_files(client_for, applicant_a, application_a, upload):
    url = reverse("awards:attachments", args=[application_a.pk])
    response = client_for(applicant_a).post(url, {"kind": "compliance_certificate", "file": upload})
    body = response.content.decode()
    assert response.status_code == 200 and upload.name in body
    assert 'value="compliance_certificate" selected' in body
    assert not ApplicationAttachment.objects.exists()


def test_autosave_with_a_wrong_value_names_the_field_and_the_problem(client_for, applicant_a, application_a):
    url = reverse("awards:section", args=[application_a.pk, "results"])
    year = application_a.cycle.year - 1
    response = client_for(applicant_a).post(
        url,
        {"version": application_a.key_results_version, f"satisfaction_{year}": "120"},
        headers={"HX-Request": "true", "Accept-Language": "en"},
    )
    status = response.content.decode()
    assert "Not saved automatically" in status or "未能自动保存" in status
    assert f'href="#id_satisfaction_{year}"' in status and ("100" in status)  # the field and its problem


def _filling_disk(err=errno.ENOSPC):
    """Patch the media storage's temporary file so that writing to it fails like a full disk."""

    def fdopen(fd, mode):
        os.close(fd)
        raise OSError(err, os.strerror(err))

    return mock.patch("core.storage.os.fdopen", fdopen)


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS])
def test_upload_on_a_full_or_read_only_disk_says_so_and_leaves_nothing(
    client_for, applicant_a, application_a, settings, tmp_path, err
):
    settings.MEDIA_ROOT = str(tmp_path)
    url = reverse("awards:attachments", args=[application_a.pk])
    with _filling_disk(err):
        response = client_for(applicant_a).post(
            url, {"kind": "other", "description": "质量信用报告", "file": pdf_file("report.pdf")}
        )
    body = response.content.decode()
    assert response.status_code == 200 and "report.pdf" in body and "未能保存" in body
    assert "质量信用报告" in body  # what was typed is kept
    assert 'value="other" selected' in body
    assert not ApplicationAttachment.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


def test_attachment_is_stored_under_a_generated_name_and_served_safely(client_for, applicant_a, application_a):
    client = client_for(applicant_a)
    upload = SimpleUploadedFile("../report\u202e.html", pdf_file().read(), content_type="text/html")
    client.post(
        reverse("awards:attachments", args=[application_a.pk]),
        {"kind": "other", "description": "年度报告", "file": upload},
    )
    att = ApplicationAttachment.objects.get()
    assert att.file.name.endswith(".pdf") and "report" not in att.file.name
    response = client.get(reverse("awards:attachment", args=[application_a.pk, att.pk]))
    assert response["Content-Type"] == "application/pdf" and response["X-Content-Type-Options"] == "nosniff"
    assert (
        response["Content-Disposition"].startswith("attachment;")
        and 'filename="report.pdf"' in response["Content-Disposition"]
    )
