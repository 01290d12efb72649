"""Feedback report services: every allowed and refused transition, names, lengths, release, correction."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.enums import AuditEventType
from core.errors import Conflict, NotAllowed
from core.models import AuditEvent, OutboxMessage
from feedback import services
from feedback.enums import ReportStatus
from feedback.models import FeedbackReport, OpportunityResponse
from reviews.enums import SheetStatus
from reviews.models import ScoreSheet
from tests.factories.awards import ApplicationFactory, CycleFactory
from tests.factories.feedback import fill_report, reviewed_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(app_a, leader):
    return services.report_start(application=app_a, by=leader)


def _approve(report, secretary, **kw):
    args = {"accurate": True, "actionable": True, "anonymous": True, "release_on": None, **kw}
    return services.report_approve(report=report, by=secretary, **args)


def _to_review(report, leader):
    fill_report(report, leader)
    return services.report_submit(report=report, by=leader)


def test_it_starts_a_draft_with_every_category_and_the_default_release_date(report, app_a):
    assert report.status == ReportStatus.DRAFT
    assert report.categories.count() == 7
    assert report.release_on == app_a.cycle.public_notice_end + dt.timedelta(days=1)
    assert AuditEvent.objects.filter(event=AuditEventType.FEEDBACK_STARTED).count() == 1


def test_start_twice_gives_the_same_report(report, app_a, leader):
    assert services.report_start(application=app_a, by=leader).pk == report.pk


def test_start_is_refused_to_anyone_else(app_a, experts, applicant_a, committee_member):
    for user in (experts[1], applicant_a, committee_member):
        with pytest.raises(PermissionDenied):
            services.report_start(application=app_a, by=user)


def test_start_is_refused_before_expert_review(cycle, secretary):
    application = ApplicationFactory(cycle=cycle)
    with pytest.raises(NotAllowed):
        services.report_start(application=application, by=secretary)


def test_an_expert_name_in_the_text_is_refused_with_a_message_next_to_the_field(report, leader, experts):
    cat = report.categories.first()
    name = experts[2].full_name
    with pytest.raises(services.ReportTextError) as exc:
        services.report_save(
            report=report,
            by=leader,
            categories={cat.category_id: (f"{name}认为领导作用突出", "")},
            key_themes="",
            site_findings="",
        )
    assert f"strengths_{cat.category_id}" in exc.value.errors
    assert name in exc.value.errors[f"strengths_{cat.category_id}"]
    cat.refresh_from_db()
    assert cat.strengths == ""  # nothing saved


def test_another_applicants_name_is_refused_in_any_language(report, leader, small_cycle):
    other = small_cycle["b"].enterprise
    with pytest.raises(services.ReportTextError) as exc:
        services.report_save(
            report=report,
            by=leader,
            categories={},
            key_themes=f"Unlike {other.name_en.upper()}, the company …",
            site_findings=f"与{other.name_zh}相比",
        )
    assert set(exc.value.errors) == {"key_themes", "site_findings"}


def test_the_own_name_is_allowed_and_length_is_limited(report, leader, app_a):
    cat = report.categories.first()
    services.report_save(
        report=report,
        by=leader,
        categories={cat.category_id: (f"{app_a.enterprise.name_zh}的领导", "x")},
        key_themes="",
        site_findings="",
    )
    with pytest.raises(services.ReportTextError) as exc:
        services.report_save(report=report, by=leader, categories={}, key_themes="长" * 4001, site_findings="")
    assert "4000" in exc.value.errors["key_themes"]


def test_the_consolidated_text_holds_no_expert_and_no_other_applicant_name(report, leader, secretary, small_cycle):
    """The experts' comments name experts and competitors; the material shown is anonymous and the
    approved report holds none of the names."""
    from feedback.selectors import expert_comments, forbidden_names
    from reviews.models import CategoryFeedback

    other = small_cycle["b"].enterprise.name_zh
    CategoryFeedback.objects.filter(sheet__assignment__panel__application=report.application).update(
        strengths=f"张伟和{other}都认为……"
    )
    material = expert_comments(report.application)
    assert all(c.label.isdigit() for comments in material.values() for c in comments)
    assert "张伟" in forbidden_names(report.application) and other in forbidden_names(report.application)
    with pytest.raises(services.ReportTextError):
        services.report_save(
            report=report,
            by=leader,
            categories={
                rc.category_id: (material[rc.category_id][0].strengths, "机会") for rc in report.categories.all()
            },
            key_themes="",
            site_findings="",
        )
    report = _to_review(report, leader)
    report = _approve(report, secretary)
    names = forbidden_names(report.application)
    texts = [report.key_themes, report.site_findings] + [
        t for rc in report.categories.all() for t in (rc.strengths, rc.opportunities)
    ]
    assert not [n for n in names for t in texts if n.casefold() in t.casefold()]


def test_the_whole_workflow(report, leader, secretary, applicant_a, mailoutbox):
    with pytest.raises(NotAllowed):  # empty categories
        services.report_submit(report=report, by=leader)
    report = _to_review(report, leader)
    assert report.status == ReportStatus.REVIEW
    with pytest.raises(PermissionDenied):  # the leader no longer edits
        fill_report(report, leader)
    report = services.report_return(report=report, by=secretary, note="请更具体")
    assert report.status == ReportStatus.DRAFT and report.office_note == "请更具体"
    report = services.report_submit(report=report, by=leader)
    fill_report(report, secretary, text="办公室修改")
    with pytest.raises(services.ReportTextError) as exc:
        _approve(report, secretary, actionable=False)
    assert set(exc.value.errors) == {"actionable"}
    report = _approve(report, secretary)
    assert report.status == ReportStatus.APPROVED and report.approved_by == secretary
    assert report.categories.filter(band__isnull=True).count() == 0  # figures stored
    report = services.report_reopen(report=report, by=secretary)
    assert report.status == ReportStatus.REVIEW
    report = _approve(report, secretary)
    report = services.report_release(report=report, by=secretary)
    assert report.status == ReportStatus.RELEASED and report.released_at
    tasks = OutboxMessage.objects.filter(task_name=services.RENDER_TASK)
    assert tasks.count() == 1 and tasks.get().kwargs == {"report_id": report.pk}
    assert OutboxMessage.objects.filter(template="feedback_released", recipient=applicant_a.email).exists()
    with pytest.raises(NotAllowed):  # released: cannot change
        fill_report(report, secretary)
    with pytest.raises(NotAllowed):
        services.report_reopen(report=report, by=secretary)


@pytest.mark.parametrize("who", ["leader", "other_expert", "applicant", "committee"])
def test_only_the_office_approves_and_releases(report, leader, secretary, experts, applicant_a, committee_member, who):
    user = {"leader": leader, "other_expert": experts[1], "applicant": applicant_a, "committee": committee_member}[who]
    report = _to_review(report, leader)
    with pytest.raises(PermissionDenied):
        _approve(report, user)
    report = _approve(report, secretary)
    with pytest.raises(PermissionDenied):
        services.report_release(report=report, by=user)
    with pytest.raises(PermissionDenied):
        services.report_set_release_date(report=report, by=user, release_on=timezone.localdate())


def test_only_the_leader_submits_the_draft(report, leader, secretary, experts):
    fill_report(report, leader)
    for user in (experts[1], secretary):
        with pytest.raises(PermissionDenied):
            services.report_submit(report=report, by=user)


def test_not_released_before_its_date_but_the_beat_releases_it_then(report, leader, secretary):
    report = _approve(_to_review(report, leader), secretary, release_on=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(NotAllowed):
        services.report_release(report=report, by=secretary)
    assert services.reports_release_due() == 0
    assert services.reports_release_due(today=timezone.localdate() + dt.timedelta(days=2)) == 0
    assert services.reports_release_due(today=timezone.localdate() + dt.timedelta(days=3)) == 1
    report.refresh_from_db()
    assert report.status == ReportStatus.RELEASED


def test_not_released_while_the_panel_is_not_complete(report, leader, secretary):
    report = _to_review(report, leader)
    ScoreSheet.objects.filter(assignment__panel__application=report.application).filter(
        pk=ScoreSheet.objects.filter(assignment__panel__application=report.application).values("pk")[:1]
    ).update(status=SheetStatus.DRAFT)
    with pytest.raises(NotAllowed) as exc:
        _approve(report, secretary)
    assert exc.value.code == "incomplete"


def test_not_released_with_an_empty_category(report, leader, secretary):
    report = _approve(_to_review(report, leader), secretary)
    report.categories.filter(pk=report.categories.first().pk).update(opportunities="")
    with pytest.raises(NotAllowed) as exc:
        services.report_release(report=report, by=secretary)
    assert exc.value.code == "incomplete" and "4.1" in str(exc.value.message)


def test_a_correction_supersedes_the_released_version_and_tells_the_enterprise(report, leader, secretary):
    released = services.report_release(report=_approve(_to_review(report, leader), secretary), by=secretary)
    with pytest.raises(services.ReportTextError):
        services.report_correct(report=released, by=secretary, reason=" ")
    with pytest.raises(PermissionDenied):
        services.report_correct(report=released, by=leader, reason="x")
    new = services.report_correct(report=released, by=secretary, reason="4.2 的描述有误")
    assert new.version == 2 and new.status == ReportStatus.REVIEW and new.supersedes == released
    with pytest.raises(Conflict):
        services.report_correct(report=released, by=secretary, reason="again")
    released.refresh_from_db()
    assert released.status == ReportStatus.RELEASED  # the enterprise keeps reading it meanwhile
    new = services.report_release(report=_approve(new, secretary, release_on=timezone.localdate()), by=secretary)
    released.refresh_from_db()
    assert (released.status, new.status) == (ReportStatus.SUPERSEDED, ReportStatus.RELEASED)
    mails = OutboxMessage.objects.filter(template="feedback_released")
    assert mails.count() == 2 and mails.filter(kwargs__context__corrected=True).exists()


def test_a_returning_applicant_answers_each_opportunity_and_sees_the_change(
    report, leader, secretary, enterprise_a, applicant_a, experts
):
    services.report_release(report=_approve(_to_review(report, leader), secretary), by=secretary)
    later = CycleFactory(year=report.application.cycle.year + 1)
    from awards.enums import ApplicationStatus
    from feedback.selectors import previous_opportunities

    new_app = ApplicationFactory(cycle=later, enterprise=enterprise_a, status=ApplicationStatus.DRAFT)
    previous, items = previous_opportunities(new_app)
    assert previous == report and len(items) == 14  # two lines in each of 7 categories
    answers = {(o.source.pk, o.number): f"做了 {o.number}" for o in items}
    assert services.opportunity_responses_save(application=new_app, by=applicant_a, answers=answers) == 14
    assert OpportunityResponse.objects.filter(application=new_app).count() == 14
    with pytest.raises(PermissionDenied):
        services.opportunity_responses_save(application=new_app, by=leader, answers=answers)
    # the next cycle's review: 4.1 scored higher → the new report shows the change
    new_app.delete()
    reviewed = reviewed_application(later, experts, 85, enterprise=enterprise_a)
    new_report = services.report_start(application=reviewed, by=leader)
    leadership = new_report.categories.get(category__code="4.1")
    assert (leadership.previous_band, leadership.band) == (4, 4)
    strategy = new_report.categories.get(category__code="4.2")
    assert (strategy.previous_band, strategy.band) == (2, 4)


def test_of_two_concurrent_moves_one_wins(report, leader, secretary):
    report = _to_review(report, leader)
    stale = FeedbackReport.objects.get(pk=report.pk)
    _approve(report, secretary)
    with pytest.raises(Conflict):
        services.report_return(report=stale, by=secretary, note="太迟了")
    assert FeedbackReport.objects.get(pk=report.pk).status == ReportStatus.APPROVED


def test_the_release_mail_reads_well_in_both_languages(report, leader, secretary, applicant_a):
    from core.mail import mail_render

    services.report_release(report=_approve(_to_review(report, leader), secretary), by=secretary)
    message = OutboxMessage.objects.get(template="feedback_released")
    context = message.kwargs["context"]
    zh = mail_render(template="feedback_released", context=context, language="zh-hans", recipient=applicant_a)
    en = mail_render(template="feedback_released", context=context, language="en", recipient=applicant_a)
    assert "反馈报告" in zh.subject and "feedback report" in en.subject
    assert report.application.cycle.title_zh in zh.text and report.application.cycle.title_en in en.text
    assert context["link"].endswith(f"/feedback/reports/{report.pk}/") and context["link"] in en.text
    assert "&amp;" not in en.text


def test_the_system_makes_only_the_moves_the_table_gives_it(report, leader):
    # Only the dated release is the system's; any other move it is asked to make is refused, nothing changes.
    fill_report(report, leader)
    with pytest.raises(NotAllowed) as refused:
        services._move(report, to=ReportStatus.REVIEW, by=None, system=True)
    assert refused.value.code == "transition"
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
