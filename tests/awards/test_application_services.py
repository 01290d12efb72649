"""Services of the application: start, section save, attachments, submit, withdraw, eligibility decision."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards import sections, selectors, services
from awards.enums import ApplicationStatus, AttachmentKind, CycleStatus, EligibilityDecision
from awards.models import Application, ApplicationSnapshot, AwardCycle, SnapshotImmutable
from core.errors import Conflict, NotAllowed
from tests.factories.awards import ApplicationFactory, CycleFactory, complete_content, fill_application, pdf_file


@pytest.fixture
def draft(application_a, applicant_a):
    return application_a


@pytest.fixture
def complete(draft, applicant_a):
    return fill_application(draft, applicant_a)


def _submit(app, user):
    return services.application_submit(application=app, by=user)


# --- start -------------------------------------------------------------------------------------


def test_start_copies_the_profile_and_is_harmless_twice(cycle, enterprise_a, applicant_a):
    app = services.application_start(enterprise=enterprise_a, cycle=cycle, by=applicant_a)
    assert app.status == ApplicationStatus.DRAFT
    assert app.basic_info["credit_code"] == enterprise_a.credit_code
    assert app.basic_info["name_zh"] == enterprise_a.name_zh
    again = services.application_start(enterprise=enterprise_a, cycle=cycle, by=applicant_a)
    assert again.pk == app.pk and Application.objects.count() == 1


def test_start_refused_for_a_non_member(cycle, enterprise_a, applicant_b, secretary):
    for user in (applicant_b, secretary):
        with pytest.raises(PermissionDenied):
            services.application_start(enterprise=enterprise_a, cycle=cycle, by=user)


def test_start_refused_when_the_window_is_closed(enterprise_a, applicant_a):
    closed = CycleFactory(
        applications_open_at=timezone.now() - dt.timedelta(days=20),
        applications_close_at=timezone.now() - dt.timedelta(days=1),
    )
    with pytest.raises(NotAllowed):
        services.application_start(enterprise=enterprise_a, cycle=closed, by=applicant_a)


# --- section save (optimistic concurrency) -----------------------------------------------------


def test_section_save_raises_the_section_version_only(draft, applicant_a):
    v, basic = draft.commitment_version, draft.basic_info_version
    app = services.application_section_save(
        application=draft, section=sections.COMMITMENT, data={"name": "王"}, version=v, by=applicant_a
    )
    assert app.commitment_version == v + 1 and app.commitment == {"name": "王"}
    assert app.basic_info_version == basic


def test_colleagues_saving_different_sections_from_the_same_page_load_both_succeed(draft, applicant_a):
    loaded = Application.objects.get(pk=draft.pk)  # both opened the application before either saved
    services.application_section_save(
        application=loaded,
        section=sections.COMMITMENT,
        data={"name": "王"},
        version=loaded.section_version(sections.COMMITMENT),
        by=applicant_a,
    )
    services.application_section_save(
        application=loaded,
        section=sections.BASIC,
        data={"name_zh": "郴州甲企业有限公司"},
        version=loaded.section_version(sections.BASIC),
        by=applicant_a,
    )
    draft.refresh_from_db()
    assert draft.commitment == {"name": "王"}
    # The basic information always carries the profile's names and code (never taken from the form).
    assert draft.basic_info == {"name_zh": "郴州甲企业有限公司", **sections.identity_from_profile(draft.enterprise)}


def test_stale_save_is_a_conflict_and_changes_nothing(draft, applicant_a):
    v = draft.commitment_version
    services.application_section_save(
        application=draft, section=sections.COMMITMENT, data={"name": "first"}, version=v, by=applicant_a
    )
    with pytest.raises(Conflict):
        services.application_section_save(
            application=draft, section=sections.COMMITMENT, data={"name": "second"}, version=v, by=applicant_a
        )
    draft.refresh_from_db()
    assert draft.commitment == {"name": "first"}


@pytest.mark.parametrize("role", ["applicant_b", "secretary", "expert", "committee_member", "admin_user"])
def test_section_save_refused_for_others(request, draft, role):
    user = request.getfixturevalue(role)
    with pytest.raises(PermissionDenied):
        services.application_section_save(
            application=draft,
            section=sections.COMMITMENT,
            data={"name": "x"},
            version=draft.commitment_version,
            by=user,
        )


def test_no_edit_after_submission(complete, applicant_a):
    app = _submit(complete, applicant_a)
    with pytest.raises(NotAllowed):
        services.application_section_save(
            application=app,
            section=sections.BASIC,
            data={"name_zh": "改"},
            version=app.basic_info_version,
            by=applicant_a,
        )
    with pytest.raises(PermissionDenied):
        services.attachment_add(
            application=app, kind=AttachmentKind.OTHER, description="补充材料", upload=pdf_file(), by=applicant_a
        )


# --- attachments ------------------------------------------------------------------------------


def test_attachment_add_records_checksum_and_type(draft, applicant_a):
    att = services.attachment_add(
        application=draft, kind=AttachmentKind.OTHER, description="补充材料", upload=pdf_file(), by=applicant_a
    )
    assert att.mime_type == "application/pdf" and len(att.sha256) == 64 and att.size > 0
    assert att.file.name.startswith(f"applications/{draft.pk}/") and att.file.name.endswith(".pdf")


def test_attachment_executable_renamed_pdf_refused(draft, applicant_a):
    exe = SimpleUploadedFile("report.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            application=draft, kind=AttachmentKind.OTHER, description="补充材料", upload=exe, by=applicant_a
        )
    assert "report.pdf" in str(exc.value)
    assert not draft.attachments.exists()


def test_attachment_total_limit(draft, applicant_a, settings):
    settings.APPLICATION_ATTACHMENTS_MAX_BYTES = 1000
    services.attachment_add(
        application=draft, kind=AttachmentKind.OTHER, description="补充材料", upload=pdf_file(), by=applicant_a
    )
    with pytest.raises(ValidationError) as exc:
        services.attachment_add(
            application=draft,
            kind=AttachmentKind.OTHER,
            description="补充材料",
            upload=pdf_file("second.pdf"),
            by=applicant_a,
        )
    assert "second.pdf" in str(exc.value) and "1000" in str(exc.value)


def test_attachment_remove_hides_but_keeps_the_file(draft, applicant_a, applicant_b):
    att = services.attachment_add(
        application=draft, kind=AttachmentKind.OTHER, description="补充材料", upload=pdf_file(), by=applicant_a
    )
    with pytest.raises(PermissionDenied):
        services.attachment_remove(attachment=att, by=applicant_b)
    services.attachment_remove(attachment=att, by=applicant_a)
    att.refresh_from_db()
    assert att.removed_at is not None and att.file.storage.exists(att.file.name)


# --- submit -------------------------------------------------------------------------------------


def test_submit_creates_snapshot_receipt_and_mail(complete, applicant_a, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = _submit(complete, applicant_a)
    assert app.status == ApplicationStatus.SUBMITTED
    assert app.receipt_number == f"CZMQA-{app.cycle.year}-0001"
    snap = app.snapshots.get()
    assert snap.number == 1 and snap.receipt_number == app.receipt_number
    assert snap.data[sections.BASIC]["legal_representative"] == "王总"
    assert {a["kind"] for a in snap.data[sections.ATTACHMENTS]} == {"business_licence", "self_assessment_report"}
    assert all(len(a["sha256"]) == 64 for a in snap.data[sections.ATTACHMENTS])
    assert len(mail.outbox) == 1 and app.receipt_number in mail.outbox[0].subject


def test_receipt_numbers_are_gapless_per_cycle(cycle, complete, applicant_a, enterprise_b, applicant_b):
    app_b = fill_application(ApplicationFactory(cycle=cycle, enterprise=enterprise_b), applicant_b)
    # A refused submission does not use a number.
    other = ApplicationFactory(cycle=cycle)
    from tests.factories.enterprises import MembershipFactory

    member = MembershipFactory(enterprise=other.enterprise).user
    with pytest.raises(NotAllowed):
        _submit(other, member)
    assert _submit(complete, applicant_a).receipt_number.endswith("-0001")
    assert _submit(app_b, applicant_b).receipt_number.endswith("-0002")
    cycle.refresh_from_db()
    assert cycle.receipts_issued == 2


def test_submit_refused_with_the_list_of_what_is_missing(draft, applicant_a):
    with pytest.raises(NotAllowed) as exc:
        _submit(draft, applicant_a)
    assert exc.value.code == "incomplete"
    assert str(sections.SECTION_TITLES[sections.COMMITMENT]) in exc.value.message
    draft.refresh_from_db()
    assert draft.status == ApplicationStatus.DRAFT and not draft.snapshots.exists()


def _close_at(cycle, when):
    AwardCycle.objects.filter(pk=cycle.pk).update(
        applications_open_at=when - dt.timedelta(days=30), applications_close_at=when
    )


def test_deadline_one_second_before_closing(complete, applicant_a):
    _close_at(complete.cycle, timezone.now() + dt.timedelta(seconds=1))
    complete.refresh_from_db()
    complete.cycle.refresh_from_db()
    assert _submit(complete, applicant_a).status == ApplicationStatus.SUBMITTED


def test_deadline_one_second_after_closing(complete, applicant_a):
    _close_at(complete.cycle, timezone.now() - dt.timedelta(seconds=1))
    with pytest.raises(NotAllowed) as exc:
        _submit(complete, applicant_a)
    assert exc.value.code == "deadline"
    complete.refresh_from_db()
    assert complete.status == ApplicationStatus.DRAFT and complete.commitment["confirmed"] is True


def test_submit_refused_when_cycle_not_open(complete, applicant_a):
    AwardCycle.objects.filter(pk=complete.cycle_id).update(status=CycleStatus.REVIEWING)
    with pytest.raises(NotAllowed):
        _submit(complete, applicant_a)


@pytest.mark.parametrize("role", ["applicant_b", "secretary", "admin_user", "expert"])
def test_submit_refused_for_others(request, complete, role):
    with pytest.raises(PermissionDenied):
        _submit(complete, request.getfixturevalue(role))


def test_double_submit_makes_one_submission(complete, applicant_a):
    stale = Application.objects.get(pk=complete.pk)
    _submit(complete, applicant_a)
    with pytest.raises(NotAllowed) as exc:
        _submit(stale, applicant_a)
    assert exc.value.code == "already_submitted"
    assert ApplicationSnapshot.objects.filter(application=complete).count() == 1
    assert complete.transitions.filter(to_status=ApplicationStatus.SUBMITTED).count() == 1


def test_snapshot_is_immutable_and_unchanged_by_profile_edits(complete, applicant_a):
    app = _submit(complete, applicant_a)
    snap = app.snapshots.get()
    before = dict(snap.data)
    ent = app.enterprise
    ent.name_zh = "改名后的企业"
    ent.address = "新地址"
    ent.save()
    snap.refresh_from_db()
    assert snap.data == before and snap.data["profile"]["name_zh"] != "改名后的企业"
    snap.data["basic"]["name_zh"] = "tampered"
    with pytest.raises(SnapshotImmutable):
        snap.save()
    with pytest.raises(SnapshotImmutable):
        snap.delete()


# --- withdraw ----------------------------------------------------------------------------------


def test_withdraw_allowed_before_material_review(complete, applicant_a):
    app = _submit(complete, applicant_a)
    assert selectors.can_withdraw(app)
    app = services.application_withdraw(application=app, by=applicant_a, reason="改明年再报")
    assert app.status == ApplicationStatus.WITHDRAWN


def test_withdraw_refused_in_material_review_and_for_others(application_a, applicant_a, applicant_b, secretary):
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application_a, by=applicant_b)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application=application_a, by=secretary)
    Application.objects.filter(pk=application_a.pk).update(status=ApplicationStatus.MATERIAL_REVIEW)
    application_a.refresh_from_db()
    assert not selectors.can_withdraw(application_a)
    with pytest.raises(NotAllowed):
        services.application_withdraw(application=application_a, by=applicant_a)


# --- eligibility decision ----------------------------------------------------------------------


@pytest.fixture
def submitted(complete, applicant_a):
    return _submit(complete, applicant_a)


def test_mark_eligible(submitted, secretary, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        app = services.application_decide_eligibility(
            application=submitted, by=secretary, decision=EligibilityDecision.ELIGIBLE
        )
    assert app.status == ApplicationStatus.ELIGIBLE
    decision = mail.outbox[-1]
    assert decision.to == ["alice@alpha.example.cn"] and app.receipt_number in decision.subject


def test_return_with_section_comments_and_resubmission(submitted, secretary, applicant_a):
    when = timezone.now() + dt.timedelta(days=7)
    app = services.application_decide_eligibility(
        application=submitted,
        by=secretary,
        decision=EligibilityDecision.RETURNED,
        section_comments={sections.RESULTS: "请补充2024年研发投入", sections.BASIC: ""},
        resubmit_by=when,
    )
    assert app.status == ApplicationStatus.RETURNED and app.resubmit_by == when
    comments = list(app.transitions.get(to_status=ApplicationStatus.RETURNED).section_comments.all())
    assert [(c.section, c.text) for c in comments] == [(sections.RESULTS, "请补充2024年研发投入")]
    # Editable again; resubmission makes a second snapshot with the same receipt.
    data = dict(app.key_results)
    data[str(app.cycle.year - 1)] = {**data[str(app.cycle.year - 1)], "rnd": "999.00"}
    app = services.application_section_save(
        application=app, section=sections.RESULTS, data=data, version=app.key_results_version, by=applicant_a
    )
    app = _submit(app, applicant_a)
    assert app.status == ApplicationStatus.SUBMITTED and app.resubmit_by is None
    first, second = app.snapshots.order_by("number")
    assert second.number == 2 and second.receipt_number == first.receipt_number
    categories = list(app.cycle.framework.categories.prefetch_related("items"))
    diff = sections.snapshot_diff(first.data, second.data, categories)
    assert [(c.old, c.new) for c in diff[sections.RESULTS]] == [("520.00", "999.00")]
    assert not diff[sections.BASIC] and not diff[sections.SELF_ASSESSMENT]


def test_resubmission_allowed_until_the_return_deadline_after_the_window(submitted, secretary, applicant_a):
    app = services.application_decide_eligibility(
        application=submitted,
        by=secretary,
        decision=EligibilityDecision.RETURNED,
        reason="请完善",
        resubmit_by=timezone.now() + dt.timedelta(days=3),
    )
    _close_at(app.cycle, timezone.now() - dt.timedelta(hours=1))
    app.refresh_from_db()
    assert _submit(app, applicant_a).status == ApplicationStatus.SUBMITTED


def test_return_needs_comments_and_a_future_deadline(submitted, secretary):
    with pytest.raises(NotAllowed):
        services.application_decide_eligibility(
            application=submitted,
            by=secretary,
            decision=EligibilityDecision.RETURNED,
            resubmit_by=timezone.now() + dt.timedelta(days=1),
        )
    with pytest.raises(NotAllowed):
        services.application_decide_eligibility(
            application=submitted,
            by=secretary,
            decision=EligibilityDecision.RETURNED,
            reason="x",
            resubmit_by=timezone.now() - dt.timedelta(days=1),
        )


def test_ineligible_needs_a_reason(submitted, secretary):
    with pytest.raises(NotAllowed):
        services.application_decide_eligibility(
            application=submitted, by=secretary, decision=EligibilityDecision.INELIGIBLE
        )
    app = services.application_decide_eligibility(
        application=submitted, by=secretary, decision=EligibilityDecision.INELIGIBLE, reason="成立不满三年"
    )
    assert app.status == ApplicationStatus.INELIGIBLE


@pytest.mark.parametrize("role", ["applicant_a", "applicant_b", "expert", "committee_member"])
def test_decision_refused_for_non_office(request, submitted, role):
    with pytest.raises(PermissionDenied):
        services.application_decide_eligibility(
            application=submitted, by=request.getfixturevalue(role), decision=EligibilityDecision.ELIGIBLE
        )


def test_decision_refused_on_a_draft(application_a, secretary):
    with pytest.raises(NotAllowed):
        services.application_decide_eligibility(
            application=application_a, by=secretary, decision=EligibilityDecision.ELIGIBLE
        )


def test_complete_content_helper_matches_sections(application_a):
    assert set(complete_content(application_a)) == set(sections.SECTION_FIELDS)


def test_a_returned_application_not_resubmitted_in_time_can_be_closed_as_ineligible(submitted, secretary):
    app = services.application_decide_eligibility(
        application=submitted,
        by=secretary,
        decision=EligibilityDecision.RETURNED,
        reason="请完善",
        resubmit_by=timezone.now() + dt.timedelta(days=3),
        notify=False,
    )
    with pytest.raises(NotAllowed) as exc:  # the enterprise still has time
        services.application_decide_eligibility(
            application=app, by=secretary, decision=EligibilityDecision.INELIGIBLE, reason="逾期未补正", notify=False
        )
    assert exc.value.code == "deadline_running"
    Application.objects.filter(pk=app.pk).update(resubmit_by=timezone.now() - dt.timedelta(minutes=1))
    app.refresh_from_db()
    with pytest.raises(NotAllowed) as exc:  # only ineligible: eligible needs a resubmission first
        services.application_decide_eligibility(
            application=app, by=secretary, decision=EligibilityDecision.ELIGIBLE, notify=False
        )
    assert exc.value.code == "returned"
    app = services.application_decide_eligibility(
        application=app, by=secretary, decision=EligibilityDecision.INELIGIBLE, reason="逾期未补正", notify=False
    )
    assert app.status == ApplicationStatus.INELIGIBLE
    assert app.transitions.order_by("-pk").first().comment == "逾期未补正"
