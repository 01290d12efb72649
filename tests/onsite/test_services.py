"""The on-site workbench's services: each allowed and refused transition, with its audit event."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from awards.enums import ApplicationStatus
from core.errors import NotAllowed
from core.models import AuditEvent
from onsite import selectors, services
from onsite.enums import Finding, IssueKind, LogKind, PlanEntryKind, VisitStatus
from onsite.models import ItemConsensus, LogEvidence, SiteVisit, VisitLog
from reviews.enums import AssignmentStatus
from tests.factories.enterprises import MembershipFactory
from tests.factories.files import pdf_upload, png_upload
from tests.factories.onsite import shortlisted

pytestmark = pytest.mark.django_db


def _events(name):
    return AuditEvent.objects.filter(event=name).count()


@pytest.fixture
def s(cycle):
    return shortlisted(cycle)


@pytest.fixture
def visit(s, secretary):
    return services.visit_open(application=s.application, by=secretary)


def test_opening_turns_each_experts_flags_into_issues(s, secretary):
    visit = services.visit_open(application=s.application, by=secretary)
    issues = list(visit.issues.order_by("pk"))
    assert [(i.item_id, i.kind, i.raised_by_id) for i in issues] == [
        (s.items[0].pk, IssueKind.VERIFY, s.material[0].expert_id),
        (s.items[0].pk, IssueKind.CLARIFY, s.material[1].expert_id),
        (s.items[5].pk, IssueKind.VERIFY, s.material[1].expert_id),
    ]
    assert visit.panel == s.onsite[0].panel
    assert _events("onsite.visit_opened") == 1


def test_opening_twice_returns_the_same_visit(s, secretary):
    first = services.visit_open(application=s.application, by=secretary)
    again = services.visit_open(application=s.application, by=s.leader)
    assert first.pk == again.pk and SiteVisit.objects.count() == 1 and first.issues.count() == 3


def test_a_released_experts_flags_are_not_carried_over(s, secretary):
    s.material[1].status = AssignmentStatus.CONFLICT
    s.material[1].save()
    visit = services.visit_open(application=s.application, by=secretary)
    assert visit.issues.count() == 1


def test_the_leader_may_open_but_a_member_and_an_outsider_may_not(s):
    for user in (s.member, s.outsider, s.material[0].expert):
        with pytest.raises(PermissionDenied):
            services.visit_open(application=s.application, by=user)
    assert services.visit_open(application=s.application, by=s.leader).pk


def test_an_application_not_shortlisted_has_no_visit(s, secretary):
    type(s.application).objects.filter(pk=s.application.pk).update(status=ApplicationStatus.MATERIAL_REVIEW)
    s.application.refresh_from_db()
    with pytest.raises(NotAllowed) as refused:
        services.visit_open(application=s.application, by=secretary)
    assert refused.value.code == "wrong_status"


def test_flags_are_saved_changed_and_removed_by_their_expert_only(s, expert):
    a = s.material[2]
    item = s.items[3]
    flag = services.item_flag_save(assignment=a, item=item, kind=IssueKind.CLARIFY, note="看现场", by=a.expert)
    assert flag.kind == IssueKind.CLARIFY
    services.item_flag_save(assignment=a, item=item, kind=IssueKind.VERIFY, note="核实", by=a.expert)
    flag.refresh_from_db()
    assert flag.kind == IssueKind.VERIFY
    assert services.item_flag_save(assignment=a, item=item, kind="", note="", by=a.expert) is None
    assert not a.item_flags.exists()
    for other in (s.material[0].expert, s.leader, expert):
        with pytest.raises(PermissionDenied):
            services.item_flag_save(assignment=a, item=item, kind=IssueKind.VERIFY, note="x", by=other)
    with pytest.raises(ValidationError):
        services.item_flag_save(assignment=a, item=item, kind=IssueKind.VERIFY, note="  ", by=a.expert)
    assert _events("onsite.flag_saved") == 2 and _events("onsite.flag_removed") == 1


def test_flags_are_fixed_once_the_visit_is_open(s, visit):
    a = s.material[0]
    with pytest.raises(NotAllowed):
        services.item_flag_save(assignment=a, item=s.items[2], kind=IssueKind.VERIFY, note="x", by=a.expert)


def test_an_onsite_assignment_cannot_be_flagged(s):
    with pytest.raises(PermissionDenied):
        services.item_flag_save(assignment=s.onsite[0], item=s.items[0], kind="verify", note="x", by=s.leader)


def test_the_leader_builds_the_plan_and_a_member_may_not(s, visit):
    entry = services.plan_entry_add(
        visit=visit, kind=PlanEntryKind.SITE, title="一号车间", detail="生产部 李主任", by=s.leader
    )
    services.visit_dates_set(visit=visit, starts_on=dt.date(2026, 12, 8), ends_on=dt.date(2026, 12, 9), by=s.leader)
    with pytest.raises(PermissionDenied):
        services.plan_entry_add(visit=visit, kind=PlanEntryKind.AGENDA, title="首次会议", by=s.member)
    with pytest.raises(ValidationError):
        services.visit_dates_set(visit=visit, starts_on=dt.date(2026, 12, 9), ends_on=dt.date(2026, 12, 8), by=s.leader)
    services.plan_entry_remove(entry=entry, by=s.leader)
    assert visit.plan.count() == 0
    assert _events("onsite.plan_added") == 1 and _events("onsite.plan_removed") == 1
    assert _events("onsite.visit_dates") == 1


def test_a_member_logs_an_interview_with_a_photo_and_a_file(s, visit):
    issue = visit.issues.first()
    log = services.log_add(
        visit=visit,
        issue=issue,
        kind=LogKind.INTERVIEW,
        subject="质量部 王经理",
        notes="述职记录齐全",
        files=[png_upload("车间.png"), pdf_upload("记录.pdf")],
        by=s.member,
    )
    evidence = list(log.evidence.order_by("pk"))
    assert [e.mime_type for e in evidence] == ["image/png", "application/pdf"]
    assert all(len(e.sha256) == 64 and e.file.name.startswith(f"onsite/{visit.pk}/") for e in evidence)
    assert evidence[0].file.name.endswith(".png") and "车间" not in evidence[0].file.name
    assert _events("onsite.log_added") == 1


def test_a_file_that_is_not_what_it_claims_is_refused_and_nothing_is_kept(s, visit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    with pytest.raises(ValidationError, match="photo.png"):
        services.log_add(
            visit=visit,
            issue=visit.issues.first(),
            kind=LogKind.DOCUMENT,
            subject="x",
            notes="y",
            files=[fake],
            by=s.member,
        )
    assert VisitLog.objects.count() == 0 and LogEvidence.objects.count() == 0


def test_an_expert_not_on_the_team_cannot_log(s, visit, expert, secretary):
    for user in (s.outsider, s.material[0].expert, expert, secretary):
        with pytest.raises(PermissionDenied):
            services.log_add(
                visit=visit, issue=visit.issues.first(), kind=LogKind.DOCUMENT, subject="x", notes="y", by=user
            )


def test_a_released_team_member_cannot_log(s, visit):
    s.onsite[1].status = AssignmentStatus.CONFLICT
    s.onsite[1].save()
    with pytest.raises(PermissionDenied):
        services.log_add(
            visit=visit, issue=visit.issues.first(), kind=LogKind.DOCUMENT, subject="x", notes="y", by=s.member
        )


def test_an_issue_of_another_visit_is_refused(s, visit, cycle, secretary):
    other = shortlisted(cycle)
    other_visit = services.visit_open(application=other.application, by=secretary)
    with pytest.raises(NotAllowed):
        services.log_add(
            visit=visit, issue=other_visit.issues.first(), kind=LogKind.DOCUMENT, subject="x", notes="y", by=s.member
        )


def test_members_add_issues_found_on_site(s, visit):
    issue = services.issue_add(visit=visit, item=s.items[8], kind=IssueKind.CLARIFY, text="现场发现", by=s.member)
    assert issue.source_flag is None and issue.raised_by == s.member
    with pytest.raises(PermissionDenied):
        services.issue_add(visit=visit, item=s.items[8], kind=IssueKind.CLARIFY, text="x", by=s.outsider)


def test_the_leader_records_consensus_per_item_and_may_change_it(s, visit):
    services.consensus_record(visit=visit, item=s.items[0], finding=Finding.PARTLY, text="部分属实", by=s.leader)
    services.consensus_record(visit=visit, item=s.items[0], finding=Finding.CONFIRMED, text="属实", by=s.leader)
    row = ItemConsensus.objects.get(visit=visit, item=s.items[0])
    assert (row.finding, row.text) == (Finding.CONFIRMED, "属实")
    with pytest.raises(PermissionDenied):
        services.consensus_record(visit=visit, item=s.items[0], finding=Finding.CONFIRMED, text="x", by=s.member)
    with pytest.raises(ValidationError):
        services.consensus_record(visit=visit, item=s.items[0], finding="maybe", text="x", by=s.leader)
    assert _events("onsite.consensus") == 2


def test_closing_sends_the_summary_to_the_enterprise_and_freezes_the_visit(s, visit, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    MembershipFactory(enterprise=s.application.enterprise)
    services.consensus_record(visit=visit, item=s.items[0], finding=Finding.CONFIRMED, text="属实", by=s.leader)
    with pytest.raises(PermissionDenied):
        services.visit_close(visit=visit, summary="x", by=s.member)
    with pytest.raises(ValidationError):
        services.visit_close(visit=visit, summary="  ", by=s.leader)
    mail.outbox.clear()
    closed = services.visit_close(visit=visit, summary="末次会议：总体属实，建议加强过程测量。", by=s.leader)
    assert closed.status == VisitStatus.CLOSED and closed.closed_by == s.leader
    from core.models import OutboxMessage

    assert OutboxMessage.objects.filter(template="onsite_closed").count() == 1
    with pytest.raises(NotAllowed) as refused:
        services.log_add(
            visit=closed, issue=closed.issues.first(), kind=LogKind.DOCUMENT, subject="x", notes="y", by=s.member
        )
    assert refused.value.code == "visit_closed"
    with pytest.raises(NotAllowed):
        services.visit_close(visit=closed, summary="again", by=s.leader)
    with pytest.raises(NotAllowed):
        services.consensus_record(visit=closed, item=s.items[0], finding=Finding.PARTLY, text="x", by=s.leader)
    with pytest.raises(NotAllowed):
        services.plan_entry_add(visit=closed, kind=PlanEntryKind.SITE, title="x", by=s.leader)
    assert _events("onsite.visit_closed") == 1


def test_a_log_racing_a_close_is_refused(s, visit):
    """The close committed after the log's caller loaded the visit: the locked row says closed."""
    SiteVisit.objects.filter(pk=visit.pk).update(status=VisitStatus.CLOSED)
    with pytest.raises(NotAllowed):
        services.log_add(
            visit=visit, issue=visit.issues.first(), kind=LogKind.DOCUMENT, subject="x", notes="y", by=s.member
        )


def test_site_visit_findings_for_the_feedback_report(s, visit):
    assert selectors.site_visit_findings(s.application) is None
    services.consensus_record(visit=visit, item=s.items[5], finding=Finding.NOT_CONFIRMED, text="无记录", by=s.leader)
    services.consensus_record(visit=visit, item=s.items[0], finding=Finding.CONFIRMED, text="属实", by=s.leader)
    services.visit_close(visit=visit, summary="总结", by=s.leader)
    found = selectors.site_visit_findings(s.application)
    assert found.summary == "总结"
    assert [(f.code, f.finding) for f in found.items] == [
        (s.items[0].code, Finding.CONFIRMED),
        (s.items[5].code, Finding.NOT_CONFIRMED),
    ]
