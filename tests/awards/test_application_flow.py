"""The applicant's path through the sections: save and continue, confirmation before submitting,
the printable receipt, and the office's return comments where the applicant edits."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import sections, services
from awards.enums import ApplicationStatus, AttachmentKind, EligibilityDecision
from awards.views import EDIT_SECTIONS
from tests.factories.awards import fill_application, pdf_file


def _post_unchanged(client, application, section, button):
    """Post the section's form as it stands (empty fields included), pressing `button`."""
    page = client.get(reverse("awards:section", args=[application.pk, section]))
    form = page.context["form"]
    data = {name: ("" if value is None else value) for name, value in form.initial.items() if name in form.fields}
    data["version"] = application.section_version(section)
    data[button] = ""
    return client.post(reverse("awards:section", args=[application.pk, section]), data)


def test_section_after_follows_the_section_order_and_ends():
    walked = [sections.SECTIONS[0]]
    while (following := sections.section_after(walked[-1])) is not None:
        walked.append(following)
    assert walked == sections.SECTIONS
    assert sections.ATTACHMENTS in walked and walked[-1] == sections.COMMITMENT


@pytest.mark.parametrize("section", EDIT_SECTIONS)
def test_save_and_continue_leads_to_the_following_section(client_for, applicant_a, application_a, section):
    response = _post_unchanged(client_for(applicant_a), application_a, section, "next")
    following = sections.section_after(section)
    if following is None:
        expected = reverse("awards:application", args=[application_a.pk])
    elif following == sections.ATTACHMENTS:
        expected = reverse("awards:attachments", args=[application_a.pk])
    else:
        expected = reverse("awards:section", args=[application_a.pk, following])
    assert response.status_code == 302
    assert response["Location"] == expected


def test_results_continue_to_the_attachments_and_those_to_the_commitment(client_for, applicant_a, application_a):
    client = client_for(applicant_a)
    response = _post_unchanged(client, application_a, sections.RESULTS, "next")
    assert response["Location"] == reverse("awards:attachments", args=[application_a.pk])
    page = client.get(response["Location"])
    assert page.context["next_url"] == reverse("awards:section", args=[application_a.pk, sections.COMMITMENT])
    assert f'href="{page.context["next_url"]}" data-next' in page.content.decode()


def test_the_last_section_says_it_leads_to_the_overview(client_for, applicant_a, application_a):
    client = client_for(applicant_a)
    body = client.get(reverse("awards:section", args=[application_a.pk, sections.COMMITMENT])).content.decode()
    assert "保存并返回概览" in body
    body = client.get(reverse("awards:section", args=[application_a.pk, sections.BASIC])).content.decode()
    assert "保存并继续" in body and "保存并返回概览" not in body


def test_save_without_continue_stays_on_the_section(client_for, applicant_a, application_a):
    response = _post_unchanged(client_for(applicant_a), application_a, sections.BASIC, "save")
    assert response["Location"] == reverse("awards:section", args=[application_a.pk, sections.BASIC])


# --- submitting: confirmation, then the receipt -----------------------------------------------


def test_submit_asks_first_listing_what_will_be_locked(client_for, applicant_a, application_a):
    fill_application(application_a, applicant_a)
    client = client_for(applicant_a)
    url = reverse("awards:submit", args=[application_a.pk])
    body = client.get(url).content.decode()
    assert 'name="confirm"' in body
    for title in sections.SECTION_TITLES.values():
        assert str(title) in body
    for attachment in application_a.attachments.all():
        assert attachment.original_name in body
    # A POST without the confirmation (the old one-click form) shows the question, submits nothing.
    response = client.post(url)
    assert response.status_code == 200 and 'name="confirm"' in response.content.decode()
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.DRAFT and application_a.snapshots.count() == 0


def test_confirming_submits_and_shows_the_printable_receipt(client_for, applicant_a, application_a):
    fill_application(application_a, applicant_a)
    client = client_for(applicant_a)
    response = client.post(reverse("awards:submit", args=[application_a.pk]), {"confirm": "1"})
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.SUBMITTED
    assert response["Location"] == reverse("awards:receipt", args=[application_a.pk])
    body = client.get(response["Location"]).content.decode()
    assert f'<strong class="receipt">{application_a.receipt_number}</strong>' in body
    assert "data-print" in body and "self-assessment.pdf" in body
    assert application_a.enterprise.credit_code in body
    # The confirmation page is no longer offered once submitted.
    again = client.get(reverse("awards:submit", args=[application_a.pk]))
    assert again["Location"] == reverse("awards:application", args=[application_a.pk])


def test_receipt_before_any_submission_is_404(client_for, applicant_a, application_a):
    assert client_for(applicant_a).get(reverse("awards:receipt", args=[application_a.pk])).status_code == 404


def test_receipt_is_the_enterprises_own(client_for, applicant_a, applicant_b, secretary, application_a):
    fill_application(application_a, applicant_a)
    services.application_submit(application=application_a, by=applicant_a, notify=False)
    url = reverse("awards:receipt", args=[application_a.pk])
    assert client_for(applicant_b).get(url).status_code == 404
    assert client_for(secretary).get(url).status_code == 403


# --- return comments where the applicant edits ------------------------------------------------


@pytest.fixture
def returned_a(application_a, applicant_a, secretary):
    fill_application(application_a, applicant_a)
    services.application_submit(application=application_a, by=applicant_a, notify=False)
    application_a.refresh_from_db()
    return services.application_decide_eligibility(
        application=application_a,
        by=secretary,
        decision=EligibilityDecision.RETURNED,
        section_comments={sections.RESULTS: "请核对上一年度研发投入。", sections.ATTACHMENTS: "营业执照扫描件不清晰。"},
        resubmit_by=timezone.now() + dt.timedelta(days=7),
        notify=False,
    )


def test_return_comment_shown_on_its_section_and_marked_in_the_list(client_for, applicant_a, returned_a):
    client = client_for(applicant_a)
    body = client.get(reverse("awards:section", args=[returned_a.pk, sections.RESULTS])).content.decode()
    assert 'class="card return-comments"' in body and "请核对上一年度研发投入。" in body
    assert body.count('class="badge badge-commented"') == 2  # results and attachments in the section list
    body = client.get(reverse("awards:section", args=[returned_a.pk, sections.BASIC])).content.decode()
    assert "return-comments" not in body and body.count("badge-commented") == 2
    body = client.get(reverse("awards:attachments", args=[returned_a.pk])).content.decode()
    assert "营业执照扫描件不清晰。" in body
    body = client.get(reverse("awards:application", args=[returned_a.pk])).content.decode()
    assert body.count('class="badge badge-commented"') == 2


def test_return_comment_goes_once_the_section_is_changed(client_for, applicant_a, returned_a):
    results = dict(returned_a.key_results)
    last = str(returned_a.cycle.year - 1)
    results[last] = {**results[last], "rnd": "610"}
    services.application_section_save(
        application=returned_a,
        section=sections.RESULTS,
        data=results,
        version=returned_a.key_results_version,
        by=applicant_a,
    )
    client = client_for(applicant_a)
    body = client.get(reverse("awards:section", args=[returned_a.pk, sections.RESULTS])).content.decode()
    assert "return-comments" not in body and body.count('class="badge badge-commented"') == 1
    # The attachments' comment goes when the set of files changes.
    services.attachment_add(
        application=returned_a,
        kind=AttachmentKind.BUSINESS_LICENCE,
        upload=pdf_file("licence-2.pdf", "x"),
        by=applicant_a,
    )
    body = client.get(reverse("awards:attachments", args=[returned_a.pk])).content.decode()
    assert "return-comments" not in body and "badge-commented" not in body


def test_saving_a_section_unchanged_keeps_the_comment(client_for, applicant_a, returned_a):
    services.application_section_save(
        application=returned_a,
        section=sections.RESULTS,
        data=dict(returned_a.key_results),
        version=returned_a.key_results_version,
        by=applicant_a,
    )
    body = (
        client_for(applicant_a).get(reverse("awards:section", args=[returned_a.pk, sections.RESULTS])).content.decode()
    )
    assert "请核对上一年度研发投入。" in body


def test_no_comment_marks_once_resubmitted(client_for, applicant_a, returned_a):
    services.application_submit(application=returned_a, by=applicant_a, notify=False)
    body = client_for(applicant_a).get(reverse("awards:application", args=[returned_a.pk])).content.decode()
    assert "badge-commented" not in body
