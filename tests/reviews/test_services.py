"""Every review service: each allowed transition and each refused one."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import connection, connections
from django.utils import timezone

from awards.enums import ApplicationStatus, CycleRole
from awards.models import CycleMembership
from core.audit import audit_verify
from core.errors import Conflict, NotAllowed
from core.models import AuditEvent
from core.scopes import in_every_programme
from reviews import services
from reviews.enums import AssignmentStatus, RoundKind, SheetStatus
from reviews.models import Assignment, Consensus, DeclaredConflict, ItemScore, Panel, ScoreSheet
from tests.factories.awards import ApplicationFactory, CycleFactory, CycleMembershipFactory, ProgrammeFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import (
    AssignmentFactory,
    ExpertProfileFactory,
    PanelFactory,
    ReviewRoundFactory,
    framework_items,
    submitted_sheet,
)

from .conftest import set_status


def _all(cycle, pct=50):
    return {i.pk: str(pct) for i in framework_items(cycle)}


# ---------------------------------------------------------------- pool and invitations


def test_invite_makes_a_member_and_mails_once(cycle, secretary, django_capture_on_commit_callbacks):
    person = ExpertProfileFactory(user=UserFactory(email="new@pool.example.cn")).user
    with django_capture_on_commit_callbacks(execute=True):
        services.expert_invite(cycle=cycle, expert=person, by=secretary)
        services.expert_invite(cycle=cycle, expert=person, by=secretary)
    assert CycleMembership.objects.filter(cycle=cycle, user=person, role=CycleRole.EXPERT).count() == 1
    assert [m.to for m in mail.outbox] == [["new@pool.example.cn"]]


def test_a_member_of_an_applicant_enterprise_cannot_become_an_expert(cycle, secretary, applicant_a):
    with pytest.raises(NotAllowed) as exc:
        services.expert_invite_new(cycle=cycle, email=applicant_a.email, full_name="x", by=secretary)
    assert exc.value.code == "applicant"
    assert not CycleMembership.objects.filter(user=applicant_a).exists()


def test_an_expert_who_belongs_to_the_enterprise_is_never_put_on_its_panel(
    cycle, material_round, application_a, secretary, expert, other_experts, enterprise_a
):
    # Data from before the rule (or made in the admin): the expert is also a member of enterprise A.
    from tests.factories.enterprises import MembershipFactory

    MembershipFactory(enterprise=enterprise_a, user=expert)
    set_status(application_a, ApplicationStatus.ELIGIBLE)
    with pytest.raises(NotAllowed) as exc:
        services.panel_set(
            rnd=material_round, application=application_a, experts=[*other_experts, expert], leader=expert, by=secretary
        )
    assert exc.value.code == "conflict"
    plan = services.panels_auto_assign(rnd=material_round, by=secretary, seed=3)
    assert not Assignment.objects.filter(panel__application=application_a, expert=expert).exists()
    assert any(p.code == "panel_short" for p in plan.problems)  # four others are not enough


@pytest.mark.parametrize("role", ["expert", "committee_member", "applicant_a"])
def test_invite_refused_for_others(request, cycle, role):
    person = ExpertProfileFactory().user
    with pytest.raises(PermissionDenied):
        services.expert_invite(cycle=cycle, expert=person, by=request.getfixturevalue(role))


def test_profile_saved_by_its_expert_only(expert, other_experts):
    profile = services.expert_profile_save(
        user=expert,
        by=expert,
        title="教授",
        employer="湘南学院",
        employer_credit_code="",
        industries=["C", "E"],
        district="431002",
        past_clients=[("91350100M000100Y43", "某公司")],
    )
    assert profile.past_clients.get().credit_code == "91350100M000100Y43"
    with pytest.raises(PermissionDenied):
        services.expert_profile_save(
            user=expert,
            by=other_experts[0],
            title="",
            employer="",
            employer_credit_code="",
            industries=[],
            district="",
            past_clients=[],
        )


# ---------------------------------------------------------------- rounds and panels


def test_round_window_must_be_ordered(cycle, secretary):
    now = timezone.now()
    with pytest.raises(NotAllowed):
        services.round_save(cycle=cycle, kind=RoundKind.MATERIAL, opens_at=now, closes_at=now, by=secretary)
    rnd = services.round_save(
        cycle=cycle, kind=RoundKind.MATERIAL, opens_at=now, closes_at=now + dt.timedelta(days=9), by=secretary
    )
    assert rnd.is_open(now)


def test_panel_set_by_hand_starts_material_review(material_round, application_a, secretary, other_experts, expert):
    set_status(application_a, ApplicationStatus.ELIGIBLE)
    panel = services.panel_set(
        rnd=material_round, application=application_a, experts=[*other_experts, expert], leader=expert, by=secretary
    )
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.MATERIAL_REVIEW
    assert panel.assignments.count() == 5 and panel.assignments.get(is_leader=True).expert == expert


def test_panel_set_refuses_fewer_experts_than_the_panel_size(
    material_round, application_a, secretary, other_experts, expert
):
    set_status(application_a, ApplicationStatus.ELIGIBLE)
    with pytest.raises(NotAllowed) as exc:
        services.panel_set(
            rnd=material_round, application=application_a, experts=other_experts, leader=other_experts[0], by=secretary
        )
    assert exc.value.code == "size" and "5" in exc.value.message
    assert not Panel.objects.exists()


def test_panel_set_refuses_a_hard_conflict(material_round, application_a, secretary, conflicted_expert, expert):
    set_status(application_a, ApplicationStatus.ELIGIBLE)
    with pytest.raises(NotAllowed) as exc:
        services.panel_set(
            rnd=material_round,
            application=application_a,
            experts=[conflicted_expert, expert],
            leader=expert,
            by=secretary,
        )
    assert exc.value.code == "conflict"
    assert not Panel.objects.exists()
    application_a.refresh_from_db()
    assert application_a.status == ApplicationStatus.ELIGIBLE


def test_panel_set_refuses_wrong_status_and_others(material_round, application_a, secretary, expert, committee_member):
    set_status(application_a, ApplicationStatus.SUBMITTED)
    with pytest.raises(NotAllowed):
        services.panel_set(rnd=material_round, application=application_a, experts=[expert], leader=expert, by=secretary)
    with pytest.raises(PermissionDenied):
        services.panel_set(
            rnd=material_round, application=application_a, experts=[expert], leader=expert, by=committee_member
        )


def test_auto_assign_never_assigns_the_conflicted_expert(
    cycle, material_round, application_a, application_b, secretary, expert, conflicted_expert, other_experts
):
    set_status(application_a, ApplicationStatus.ELIGIBLE)
    set_status(application_b, ApplicationStatus.ELIGIBLE)
    plan = services.panels_auto_assign(rnd=material_round, by=secretary, seed=7)
    assert not Assignment.objects.filter(panel__application=application_a, expert=conflicted_expert).exists()
    assert Assignment.objects.filter(panel__application=application_a).count() == 5
    assert Assignment.objects.filter(panel__application=application_b).count() == 5
    assert not plan.problems
    for app in (application_a, application_b):
        app.refresh_from_db()
        assert app.status == ApplicationStatus.MATERIAL_REVIEW
        assert Assignment.objects.filter(panel__application=app, is_leader=True).count() == 1


# ---------------------------------------------------------------- declaration


def test_declare_no_conflict(review, expert):
    _panel, lead, _peers = review
    Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.PENDING)
    lead.refresh_from_db()
    services.assignment_declare(assignment=lead, by=expert, conflict=False)
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.ACCEPTED and lead.declared_at
    with pytest.raises(NotAllowed):
        services.assignment_declare(assignment=lead, by=expert, conflict=False)


def test_declare_conflict_releases_tells_secretary_and_passes_leadership(
    review, expert, secretary, django_capture_on_commit_callbacks
):
    panel, lead, peers = review
    Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.PENDING)
    lead.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.assignment_declare(assignment=lead, by=expert, conflict=True, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_declare(assignment=lead, by=expert, conflict=True, reason="曾为该企业提供咨询")
    lead.refresh_from_db()
    assert lead.status == AssignmentStatus.CONFLICT and not lead.is_leader
    assert DeclaredConflict.objects.filter(expert=expert, enterprise=panel.application.enterprise).exists()
    assert Assignment.objects.get(pk=peers[0].pk).is_leader
    assert [m.to for m in mail.outbox] == [[secretary.email]]
    assert "曾为该企业提供咨询" in mail.outbox[0].body


@pytest.mark.parametrize("material_submitted", [False, True])
def test_a_conflict_declared_on_site_also_covers_the_material_round(
    review, expert, secretary, cycle, django_capture_on_commit_callbacks, material_submitted
):
    from reviews.enums import RoundKind
    from tests.factories.reviews import PanelFactory, ReviewRoundFactory

    panel, lead, peers = review  # material round: the expert leads it
    if material_submitted:
        submitted_sheet(lead, 70)
    onsite = ReviewRoundFactory(cycle=cycle, kind=RoundKind.ONSITE)
    on_site = AssignmentFactory(
        panel=PanelFactory(round=onsite, application=panel.application), expert=expert, status=AssignmentStatus.PENDING
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_declare(assignment=on_site, by=expert, conflict=True, reason="新任该企业独立董事")
    lead.refresh_from_db()
    body = mail.outbox[-1].body
    if material_submitted:
        assert lead.status == AssignmentStatus.ACCEPTED and lead.is_leader  # the office decides
        assert "already submitted" in body or "已提交" in body
    else:
        assert lead.status == AssignmentStatus.CONFLICT and not lead.is_leader
        assert Assignment.objects.get(pk=peers[0].pk).is_leader  # leadership passed on
        assert "also released" in body or "同时" in body
    assert "Material review" in body or "资料评审" in body


def test_declare_refused_for_someone_else(review, other_experts):
    _panel, lead, _peers = review
    with pytest.raises(PermissionDenied):
        services.assignment_declare(assignment=lead, by=other_experts[0], conflict=False)


# ---------------------------------------------------------------- scoring


def test_save_and_submit(review, expert, cycle):
    _panel, lead, _peers = review
    scores = _all(cycle, 60)
    services.sheet_save(assignment=lead, by=expert, scores=scores, overall_comment="整体良好")
    sheet = services.sheet_submit(assignment=lead, by=expert)
    assert sheet.status == SheetStatus.SUBMITTED and sheet.scores.count() == 23
    assert AuditEvent.objects.filter(action="review.sheet_submitted").count() == 1
    with pytest.raises(NotAllowed) as exc:
        services.sheet_save(assignment=lead, by=expert, scores={next(iter(scores)): "70"})
    assert exc.value.code == "locked"


@pytest.mark.parametrize("raw", ["105", "-5", "63", "abc"])
def test_score_outside_range_or_off_step_refused_and_nothing_saved(review, expert, cycle, raw):
    _panel, lead, _peers = review
    items = framework_items(cycle)
    with pytest.raises(services.ScoreErrors) as exc:
        services.sheet_save(assignment=lead, by=expert, scores={items[0].pk: "50", items[1].pk: raw})
    assert list(exc.value.errors) == [items[1].pk]
    assert not ItemScore.objects.exists()


def test_incomplete_submit_lists_missing_items(review, expert, cycle):
    _panel, lead, _peers = review
    items = framework_items(cycle)
    services.sheet_save(assignment=lead, by=expert, scores={i.pk: "50" for i in items[:-2]})
    with pytest.raises(services.IncompleteSheet) as exc:
        services.sheet_submit(assignment=lead, by=expert)
    assert [i.code for i in exc.value.missing] == ["4.7.6", "4.7.7"]
    assert "4.7.6" in exc.value.message
    assert ScoreSheet.objects.get(assignment=lead).status == SheetStatus.DRAFT
    assert ItemScore.objects.count() == 21


def test_scoring_after_the_round_closes_is_refused(review, expert, cycle, material_round):
    _panel, lead, _peers = review
    material_round.closes_at = timezone.now() - dt.timedelta(minutes=1)
    material_round.save()
    lead.refresh_from_db()
    with pytest.raises(NotAllowed) as exc:
        services.sheet_save(assignment=lead, by=expert, scores=_all(cycle))
    assert exc.value.code == "closed"


def test_scoring_before_declaring_or_after_conflict_or_unassigned_is_refused(review, expert, other_experts, cycle):
    _panel, lead, peers = review
    Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.PENDING)
    lead.refresh_from_db()
    with pytest.raises(NotAllowed) as exc:
        services.sheet_save(assignment=lead, by=expert, scores=_all(cycle))
    assert exc.value.code == "not_declared"
    Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.CONFLICT)
    lead.refresh_from_db()
    with pytest.raises(NotAllowed) as exc:
        services.sheet_save(assignment=lead, by=expert, scores=_all(cycle))
    assert exc.value.code == "conflict"
    with pytest.raises(PermissionDenied):
        services.sheet_save(assignment=peers[0], by=expert, scores=_all(cycle))


def test_reopen_only_by_office_with_reason(review, expert, secretary, cycle, django_capture_on_commit_callbacks):
    _panel, lead, _peers = review
    sheet = submitted_sheet(lead, 50)
    with pytest.raises(PermissionDenied):
        services.sheet_reopen(sheet=sheet, by=expert, reason="x")
    with pytest.raises(NotAllowed):
        services.sheet_reopen(sheet=sheet, by=secretary, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.sheet_reopen(sheet=sheet, by=secretary, reason="4.7.4 分数录入错误")
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT
    assert AuditEvent.objects.get(action="review.sheet_reopened").payload == {"reason": "4.7.4 分数录入错误"}
    assert mail.outbox[0].to == [expert.email]
    with pytest.raises(NotAllowed):
        services.sheet_reopen(sheet=sheet, by=secretary, reason="again")


# ---------------------------------------------------------------- consensus


def _score_panel(lead, peers, flagged_spread=True):
    values = [40, 50, 55, 60, 80 if flagged_spread else 60]
    submitted_sheet(lead, values[0])
    for a, v in zip(peers, values[1:], strict=True):
        submitted_sheet(a, v)


def test_consensus_by_leader_on_flagged_item(review, expert, cycle):
    panel, lead, peers = review
    _score_panel(lead, peers)
    item = framework_items(cycle)[0]
    services.consensus_record(panel=panel, item=item, percent="55", rationale="经讨论取中间值", by=expert)
    assert Consensus.objects.get(panel=panel, item=item).percent == 55
    services.consensus_record(panel=panel, item=item, percent=60, rationale="复议", by=expert)
    assert Consensus.objects.get(panel=panel, item=item).percent == 60


def test_consensus_refused_cases(review, expert, other_experts, cycle):
    panel, lead, peers = review
    item = framework_items(cycle)[0]
    submitted_sheet(lead, 40)
    with pytest.raises(NotAllowed) as exc:  # not everyone has submitted
        services.consensus_record(panel=panel, item=item, percent=50, rationale="r", by=expert)
    assert exc.value.code == "not_all_submitted"
    for a, v in zip(peers, [50, 55, 60, 60], strict=True):
        submitted_sheet(a, v)
    with pytest.raises(PermissionDenied):  # not the leader
        services.consensus_record(panel=panel, item=item, percent=50, rationale="r", by=other_experts[0])
    with pytest.raises(NotAllowed) as exc:  # range 20 ≤ 30: not flagged
        services.consensus_record(panel=panel, item=item, percent=50, rationale="r", by=expert)
    assert exc.value.code == "not_flagged"


def test_a_superuser_without_a_seat_on_the_panel_may_not_record_its_consensus(review, admin_user, cycle):
    # Rights come from roles: the administrator is review office, not the panel's leader.
    panel, lead, peers = review
    _score_panel(lead, peers)
    item = framework_items(cycle)[0]
    with pytest.raises(PermissionDenied):
        services.consensus_record(panel=panel, item=item, percent=55, rationale="r", by=admin_user)
    assert not Consensus.objects.filter(panel=panel).exists()


# ---------------------------------------------------------------- decisions


def _scored_app(cycle, rnd, experts, pct):
    app = ApplicationFactory(cycle=cycle, status=ApplicationStatus.MATERIAL_REVIEW, submitted_at=timezone.now())
    panel = Panel.objects.create(round=rnd, application=app)
    for i, e in enumerate(experts):
        submitted_sheet(AssignmentFactory(panel=panel, expert=e, is_leader=i == 0), pct)
    return app


def test_shortlist_top_n_and_the_rest_not_approved(cycle, material_round, secretary, other_experts, expert):
    apps = [_scored_app(cycle, material_round, [*other_experts, expert], pct) for pct in (50, 70, 60)]
    moved, dropped = services.ranking_decide(cycle=cycle, kind=RoundKind.MATERIAL, by=secretary, top_n=2)
    assert {a.pk for a in moved} == {apps[1].pk, apps[2].pk}
    assert [a.status for a in dropped] == [ApplicationStatus.NOT_APPROVED]
    with pytest.raises(NotAllowed):  # nothing left to decide
        services.ranking_decide(cycle=cycle, kind=RoundKind.MATERIAL, by=secretary, top_n=2)


def test_nominate_by_threshold(cycle, material_round, secretary, other_experts, expert):
    from decimal import Decimal

    from tests.factories.reviews import ReviewRoundFactory

    onsite = ReviewRoundFactory(cycle=cycle, kind=RoundKind.ONSITE)
    five = [*other_experts, expert]
    apps = [_scored_app(cycle, material_round, five, pct) for pct in (50, 70)]
    for app in apps:
        set_status(app, ApplicationStatus.ONSITE_REVIEW)
    for app, pct in zip(apps, (65, 55), strict=True):
        panel = Panel.objects.create(round=onsite, application=app)
        for i, e in enumerate(five):
            submitted_sheet(AssignmentFactory(panel=panel, expert=e, is_leader=i == 0), pct)
    moved, dropped = services.ranking_decide(cycle=cycle, kind=RoundKind.ONSITE, by=secretary, threshold=Decimal("600"))
    assert [a.pk for a in moved] == [apps[0].pk] and moved[0].status == ApplicationStatus.NOMINATED
    assert dropped[0].status == ApplicationStatus.NOT_APPROVED


def test_a_panel_of_four_is_not_complete_even_when_all_four_submitted(cycle, material_round, secretary, other_experts):
    # domain: a panel has at least five experts; a conflict that leaves four needs another expert first.
    _scored_app(cycle, material_round, other_experts, 60)
    with pytest.raises(NotAllowed) as exc:
        services.ranking_decide(cycle=cycle, kind=RoundKind.MATERIAL, by=secretary, top_n=1)
    assert exc.value.code == "incomplete"


def test_decision_refused_with_incomplete_panels_or_by_others(cycle, material_round, secretary, other_experts, expert):
    app = _scored_app(cycle, material_round, other_experts, 50)
    AssignmentFactory(panel=app.panels.get(), expert=expert)  # one sheet missing
    with pytest.raises(NotAllowed) as exc:
        services.ranking_decide(cycle=cycle, kind=RoundKind.MATERIAL, by=secretary, top_n=1)
    assert exc.value.code == "incomplete"
    with pytest.raises(PermissionDenied):
        services.ranking_decide(cycle=cycle, kind=RoundKind.MATERIAL, by=expert, top_n=1)
    with pytest.raises(NotAllowed):
        services.ranking_decide(cycle=cycle, kind=RoundKind.MATERIAL, by=secretary)


# ---------------------------------------------------------------- reminders


def test_reminders_for_due_soon_and_overdue_only(
    review, expert, other_experts, material_round, django_capture_on_commit_callbacks
):
    _panel, lead, peers = review
    submitted_sheet(peers[0], 50)
    material_round.closes_at = timezone.now() + dt.timedelta(days=2)
    material_round.save()
    with django_capture_on_commit_callbacks(execute=True):
        n = services.reminders_send()
    assert n == 4  # the leader and three peers; the one who submitted is left alone
    assert sorted(m.to[0] for m in mail.outbox) == sorted([expert.email] + [u.email for u in other_experts[1:]])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=timezone.now() - dt.timedelta(days=10)) == 0


def test_an_expert_on_panels_of_two_programmes_gets_a_reminder_signed_by_each_office(
    review, expert, material_round, django_capture_on_commit_callbacks
):
    """The provincial pool: one expert, sheets due for Chenzhou's award and the governor's."""
    hunan = CycleFactory(programme=ProgrammeFactory(slug="hunan", name_zh="湖南省省长质量奖", divisions=["43"]))
    CycleMembershipFactory(cycle=hunan, user=expert, role=CycleRole.EXPERT)
    application = ApplicationFactory(cycle=hunan, status=ApplicationStatus.MATERIAL_REVIEW)
    hunan_round = ReviewRoundFactory(cycle=hunan, closes_at=timezone.now() + dt.timedelta(days=1))
    theirs = AssignmentFactory(panel=PanelFactory(round=hunan_round, application=application), expert=expert)
    material_round.closes_at = timezone.now() + dt.timedelta(days=2)
    material_round.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 6  # five of Chenzhou's panel, and its leader once more
    mine = sorted((m for m in mail.outbox if m.to == [expert.email]), key=lambda m: m.subject)
    assert len(mine) == 2
    chenzhou, governor = sorted(mine, key=lambda m: "湖南省省长质量奖" in m.subject)
    assert material_round.cycle.programme.name_zh in chenzhou.subject
    assert f"/reviews/assignment/{review[1].pk}/" in chenzhou.body and f"/{theirs.pk}/" not in chenzhou.body
    assert f"/reviews/assignment/{theirs.pk}/" in governor.body and f"/{review[1].pk}/" not in governor.body
    assert "湖南省省长质量奖评审办公室" in governor.body and "湖南省省长质量奖评审办公室" not in chenzhou.body


def test_reminder_task_runs_the_service(review, material_round):
    from reviews.tasks import send_review_reminders

    material_round.closes_at = timezone.now() - dt.timedelta(hours=1)
    material_round.save()
    assert send_review_reminders() == 5


# ---------------------------------------------------------------- concurrency


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_submits_one_wins(request):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    _panel, lead, _peers = request.getfixturevalue("review")
    expert = request.getfixturevalue("expert")
    cycle = request.getfixturevalue("cycle")
    services.sheet_save(assignment=lead, by=expert, scores=_all(cycle, 70))
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit():
        a = Assignment.objects.select_related("panel__round__cycle").get(pk=lead.pk)
        barrier.wait()
        try:
            services.sheet_submit(assignment=a, by=expert)
            outcomes.append("won")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=in_every_programme(submit)) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "won"]
    assert ScoreSheet.objects.filter(assignment=lead).count() == 1
    assert ItemScore.objects.count() == 23
    assert AuditEvent.objects.filter(action="review.sheet_submitted").count() == 1
    assert audit_verify().ok


@pytest.mark.parametrize("role", ["expert", "committee_member", "applicant_a", "conflicted_expert"])
def test_office_services_refused_for_others(request, cycle, material_round, role):
    user = request.getfixturevalue(role)
    now = timezone.now()
    with pytest.raises(PermissionDenied):
        services.round_save(cycle=cycle, kind=RoundKind.ONSITE, opens_at=now, closes_at=now, by=user)
    with pytest.raises(PermissionDenied):
        services.panels_auto_assign(rnd=material_round, by=user)
    with pytest.raises(PermissionDenied):
        services.ranking_decide(cycle=cycle, kind=RoundKind.MATERIAL, by=user, top_n=1)


def test_auto_assign_reports_what_it_could_not_meet(cycle, material_round, application_a, secretary, expert):
    set_status(application_a, ApplicationStatus.ELIGIBLE)
    plan = services.panels_auto_assign(rnd=material_round, by=secretary, seed=1)
    # one expert (without a declared field of expertise) for a panel of five
    assert [p.code for p in plan.problems] == ["panel_short", "no_industry_match"]
    assert Assignment.objects.get(panel__application=application_a).is_leader
