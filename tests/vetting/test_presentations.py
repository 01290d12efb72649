"""陈述答辩 presentation and defence: sessions, scheduling, invitations, Q&A, scores, the public page."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField, IntegerField, Q, Value
from django.urls import reverse
from django.utils import timezone

from awards import services as award_services
from awards.enums import ApplicationStatus, CycleRole, StageKind
from awards.models import Application
from awards.stages import StageSpec
from core import workdays
from core.errors import NotAllowed
from core.models import AuditEvent, OutboxMessage
from reviews import scoring
from reviews.enums import RankingBasis, RoundKind
from reviews.models import Panel, PanelScore, ReviewRound
from reviews.selectors import ranked_applications, ranking_rows
from tests.factories.awards import ApplicationFactory, CycleFactory, CycleMembershipFactory
from tests.factories.core import UserFactory
from vetting import selectors
from vetting import services as vetting_services
from vetting.enums import InvitationResponse, SessionStatus
from vetting.models import PresentationNote, PresentationScore, PresentationSlot
from vetting.selectors import invitation_reminder_day
from vetting.services import (
    presentation_invite,
    presentation_note_record,
    presentation_reminders_send_all,
    presentation_respond,
    presentation_schedule,
    presentation_score_record,
    presentation_session_close,
    presentation_session_open,
    presentation_session_save,
    presentation_unschedule,
)
from vetting.tasks import send_presentation_reminders

K = StageKind
STAGES = (K.ELIGIBILITY, K.MATERIAL_REVIEW, K.PRESENTATION, K.COMMITTEE, K.PUBLIC_NOTICE, K.GOVERNMENT_APPROVAL)


def at(hour: int, minute: int = 0, days: int = 0) -> dt.datetime:
    """A time today (China Standard Time), `days` later."""
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


@pytest.fixture
def panel_member(cycle):
    return CycleMembershipFactory(
        cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email="panel@pool.example.cn", full_name="答辩专家")
    ).user


@pytest.fixture
def second_member(cycle):
    return CycleMembershipFactory(
        cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email="panel2@pool.example.cn")
    ).user


@pytest.fixture
def presenting_cycle(cycle, secretary, panel_member):
    """The cycle runs a presentation and defence whose window is today to ten days on."""
    today = timezone.localdate()
    specs = [
        StageSpec(kind, today, today + dt.timedelta(days=10), panel=(panel_member.pk,))
        if kind == K.PRESENTATION
        else StageSpec(kind)
        for kind in STAGES
    ]
    award_services.cycle_stages_set(cycle=cycle, stages=specs, by=secretary)
    return cycle


@pytest.fixture
def presenting_a(presenting_cycle, application_a, applicant_a):
    Application.objects.filter(pk=application_a.pk).update(
        status=ApplicationStatus.PRESENTATION, receipt_number="2100-001"
    )
    application_a.refresh_from_db()
    return application_a


@pytest.fixture
def presenting_b(presenting_cycle, application_b):
    Application.objects.filter(pk=application_b.pk).update(
        status=ApplicationStatus.PRESENTATION, receipt_number="2100-002"
    )
    application_b.refresh_from_db()
    return application_b


@pytest.fixture
def session(presenting_cycle, secretary, panel_member, second_member):
    return presentation_session_save(
        cycle=presenting_cycle,
        by=secretary,
        starts_at=at(9),
        duration_minutes=180,
        place="市市场监管局三楼会议室",
        is_public=True,
        panel=[panel_member, second_member],
    )


@pytest.fixture
def slot(session, presenting_a, secretary):
    return presentation_schedule(session=session, application=presenting_a, starts_at=at(9), minutes=40, by=secretary)


@pytest.fixture
def invited(slot, secretary):
    return presentation_invite(slot=slot, by=secretary)


@pytest.fixture
def open_slot(slot, session, secretary):
    presentation_session_open(session=session, by=secretary)
    slot.refresh_from_db()
    return slot


def _save(cycle, by, **changes):
    kwargs = {
        "cycle": cycle,
        "by": by,
        "starts_at": at(9),
        "duration_minutes": 120,
        "place": "会议室",
        "is_public": False,
        "panel": [],
        **changes,
    }
    return presentation_session_save(**kwargs)


# --- sessions ------------------------------------------------------------------------------------


def test_the_office_arranges_a_session_with_its_panel(session, panel_member, second_member):
    assert set(session.panel.all()) == {panel_member, second_member}
    assert session.status == SessionStatus.PLANNED
    assert session.ends_at == at(12)
    assert AuditEvent.objects.filter(event="presentation.session_created").count() == 1


def test_a_session_without_a_panel_is_refused(presenting_cycle, secretary):
    with pytest.raises(NotAllowed) as exc:
        _save(presenting_cycle, secretary)
    assert exc.value.code == "no_panel"


def test_a_session_that_ends_before_it_starts_is_refused(presenting_cycle, secretary, panel_member):
    for minutes in (0, -30):
        with pytest.raises(NotAllowed) as exc:
            _save(presenting_cycle, secretary, panel=[panel_member], duration_minutes=minutes)
        assert exc.value.code == "duration"


def test_a_session_outside_the_stage_window_is_refused(presenting_cycle, secretary, panel_member):
    for starts in (at(9, days=-1), at(9, days=11)):
        with pytest.raises(NotAllowed) as exc:
            _save(presenting_cycle, secretary, panel=[panel_member], starts_at=starts)
        assert exc.value.code == "window"


def test_a_session_needs_a_place(presenting_cycle, secretary, panel_member):
    with pytest.raises(NotAllowed) as exc:
        _save(presenting_cycle, secretary, panel=[panel_member], place="  ")
    assert exc.value.code == "place"


def test_a_cycle_without_the_stage_has_no_sessions(secretary, panel_member):
    other = CycleFactory()
    CycleMembershipFactory(cycle=other, role=CycleRole.SECRETARY, user=secretary)
    with pytest.raises(NotAllowed) as exc:
        _save(other, secretary, panel=[panel_member])
    assert exc.value.code == "no_stage"


def test_only_the_office_arranges_sessions(presenting_cycle, panel_member, applicant_a, committee_member):
    for user in (panel_member, applicant_a, committee_member):
        with pytest.raises(PermissionDenied):
            _save(presenting_cycle, user, panel=[panel_member])


def test_editing_keeps_the_slots_inside_the_session(session, slot, secretary, panel_member):
    changed = presentation_session_save(
        cycle=session.cycle,
        by=secretary,
        session=session,
        starts_at=at(9),
        duration_minutes=60,
        place="二楼会议室",
        is_public=False,
        panel=[panel_member],
    )
    assert changed.place == "二楼会议室" and list(changed.panel.all()) == [panel_member]
    with pytest.raises(NotAllowed) as exc:
        presentation_session_save(
            cycle=session.cycle,
            by=secretary,
            session=session,
            starts_at=at(10),
            duration_minutes=60,
            place="二楼会议室",
            is_public=False,
            panel=[panel_member],
        )
    assert exc.value.code == "slot_outside"


def test_open_and_close(session, slot, secretary):
    with pytest.raises(NotAllowed):
        presentation_session_close(session=session, by=secretary)  # only an open session closes
    session = presentation_session_open(session=session, by=secretary)
    assert session.status == SessionStatus.OPEN
    with pytest.raises(NotAllowed):
        presentation_session_open(session=session, by=secretary)
    session = presentation_session_close(session=session, by=secretary)
    assert session.status == SessionStatus.CLOSED and session.closed_at is not None
    with pytest.raises(NotAllowed) as exc:
        presentation_session_save(
            cycle=session.cycle,
            by=secretary,
            session=session,
            starts_at=at(9),
            duration_minutes=60,
            place="x",
            is_public=False,
            panel=list(session.panel.all()),
        )
    assert exc.value.code == "closed"
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"presentation.opened", "presentation.closed"} <= events


def test_an_empty_session_does_not_open_and_only_the_office_opens(session, slot, secretary, panel_member):
    with pytest.raises(PermissionDenied):
        presentation_session_open(session=session, by=panel_member)
    empty = _save(session.cycle, secretary, panel=[panel_member], starts_at=at(14), duration_minutes=60)
    with pytest.raises(NotAllowed) as exc:
        presentation_session_open(session=empty, by=secretary)
    assert exc.value.code == "empty"


# --- scheduling and invitations ------------------------------------------------------------------


def test_the_office_schedules_an_application_at_the_presentation_stage(slot, presenting_a):
    assert slot.application == presenting_a and slot.ends_at == at(9, 40)
    assert AuditEvent.objects.filter(event="presentation.scheduled").count() == 1


def test_only_applications_at_the_stage_are_scheduled(session, application_b, secretary):
    for status in (ApplicationStatus.ELIGIBLE, ApplicationStatus.MATERIAL_REVIEW, ApplicationStatus.ONSITE_REVIEW):
        Application.objects.filter(pk=application_b.pk).update(status=status)
        application_b.refresh_from_db()
        with pytest.raises(NotAllowed) as exc:
            presentation_schedule(
                session=session, application=application_b, starts_at=at(10), minutes=30, by=secretary
            )
        assert exc.value.code == "wrong_status"
    other_cycle = ApplicationFactory(cycle=CycleFactory(), status=ApplicationStatus.PRESENTATION)
    with pytest.raises(NotAllowed):
        presentation_schedule(session=session, application=other_cycle, starts_at=at(10), minutes=30, by=secretary)


def test_overlapping_slots_are_refused(slot, session, presenting_b, secretary):
    with pytest.raises(NotAllowed) as exc:
        presentation_schedule(session=session, application=presenting_b, starts_at=at(9, 30), minutes=30, by=secretary)
    assert exc.value.code == "overlap"
    ok = presentation_schedule(session=session, application=presenting_b, starts_at=at(9, 40), minutes=30, by=secretary)
    assert ok.starts_at == at(9, 40)


def test_a_slot_outside_the_session_is_refused(session, presenting_b, secretary):
    for start, minutes in ((at(8, 30), 30), (at(11, 45), 30)):
        with pytest.raises(NotAllowed) as exc:
            presentation_schedule(
                session=session, application=presenting_b, starts_at=start, minutes=minutes, by=secretary
            )
        assert exc.value.code == "slot_outside"


def test_only_the_office_schedules(session, presenting_a, panel_member, applicant_a):
    for user in (panel_member, applicant_a):
        with pytest.raises(PermissionDenied):
            presentation_schedule(session=session, application=presenting_a, starts_at=at(9), minutes=30, by=user)


def test_the_invitation_is_mailed_to_the_enterprise(invited, applicant_a):
    mail = OutboxMessage.objects.get(template="vetting_presentation_invitation")
    context = mail.kwargs["context"]
    assert mail.recipient == applicant_a.email
    assert context["place"] == "市市场监管局三楼会议室" and context["starts"].endswith("09:00")
    assert invited.invited_at is not None
    assert AuditEvent.objects.filter(event="presentation.invited").count() == 1


def test_only_the_office_invites(slot, panel_member, applicant_a):
    for user in (panel_member, applicant_a):
        with pytest.raises(PermissionDenied):
            presentation_invite(slot=slot, by=user)


def test_the_enterprise_confirms(invited, applicant_a):
    slot = presentation_respond(slot=invited, by=applicant_a, response=InvitationResponse.CONFIRMED)
    assert slot.confirmed and slot.responded_by == applicant_a
    assert AuditEvent.objects.filter(event="presentation.answered").count() == 1


def test_asking_to_reschedule_needs_a_reason_and_moving_invites_again(invited, applicant_a, secretary, session):
    with pytest.raises(NotAllowed) as exc:
        presentation_respond(slot=invited, by=applicant_a, response=InvitationResponse.RESCHEDULE, reason=" ")
    assert exc.value.code == "reason_required"
    slot = presentation_respond(
        slot=invited, by=applicant_a, response=InvitationResponse.RESCHEDULE, reason="总经理当天出差，希望改到下午。"
    )
    assert slot.response == InvitationResponse.RESCHEDULE and slot.reschedule_reason
    moved = presentation_schedule(
        session=session, application=slot.application, starts_at=at(11), minutes=40, by=secretary
    )
    assert moved.pk == slot.pk and moved.response == InvitationResponse.PENDING and moved.invited_at is None
    assert PresentationSlot.objects.count() == 1


def test_who_may_answer_and_when(slot, invited, applicant_b, panel_member, applicant_a, secretary, session):
    for user in (applicant_b, panel_member):
        with pytest.raises(PermissionDenied):
            presentation_respond(slot=invited, by=user, response=InvitationResponse.CONFIRMED)
    with pytest.raises(NotAllowed) as exc:
        presentation_respond(slot=invited, by=applicant_a, response="maybe")
    assert exc.value.code == "response"
    presentation_session_open(session=session, by=secretary)
    presentation_session_close(session=session, by=secretary)
    invited.refresh_from_db()
    with pytest.raises(NotAllowed) as exc:
        presentation_respond(slot=invited, by=applicant_a, response=InvitationResponse.CONFIRMED)
    assert exc.value.code == "closed"


def test_an_uninvited_slot_cannot_be_answered(slot, applicant_a):
    with pytest.raises(NotAllowed) as exc:
        presentation_respond(slot=slot, by=applicant_a, response=InvitationResponse.CONFIRMED)
    assert exc.value.code == "not_invited"


# --- questions, answers and scores -------------------------------------------------------------------


def test_a_panel_member_records_questions_and_answers_per_category(open_slot, panel_member):
    note = presentation_note_record(
        slot=open_slot,
        by=panel_member,
        category="4.2",
        question="战略目标如何分解到部门？",
        answer="通过平衡计分卡逐级分解。",
    )
    assert note.by == panel_member and note.category == "4.2"
    assert selectors.notes_of(open_slot) == [note]
    assert AuditEvent.objects.filter(event="presentation.note").count() == 1


def test_bad_questions_are_refused(open_slot, panel_member):
    with pytest.raises(NotAllowed) as exc:
        presentation_note_record(slot=open_slot, by=panel_member, category="9.9", question="?")
    assert exc.value.code == "category"
    with pytest.raises(NotAllowed) as exc:
        presentation_note_record(slot=open_slot, by=panel_member, category="4.1", question="  ")
    assert exc.value.code == "question"


def test_only_the_panel_records_and_only_while_open(slot, session, panel_member, expert, secretary, applicant_a):
    with pytest.raises(NotAllowed) as exc:
        presentation_note_record(slot=slot, by=panel_member, category="4.1", question="问题")
    assert exc.value.code == "not_open"  # planned
    with pytest.raises(NotAllowed):
        presentation_score_record(slot=slot, by=panel_member, score=80)
    presentation_session_open(session=session, by=secretary)
    slot.refresh_from_db()
    for user in (expert, secretary, applicant_a):
        with pytest.raises(PermissionDenied):
            presentation_note_record(slot=slot, by=user, category="4.1", question="问题")
        with pytest.raises(PermissionDenied):
            presentation_score_record(slot=slot, by=user, score=80)
    presentation_session_close(session=session, by=secretary)
    slot.refresh_from_db()
    with pytest.raises(NotAllowed) as exc:
        presentation_score_record(slot=slot, by=panel_member, score=80)
    assert exc.value.code == "not_open"
    assert not PresentationNote.objects.exists() and not PresentationScore.objects.exists()


def test_a_score_stores_the_scale_and_weight_in_force(open_slot, panel_member, presenting_cycle):
    presenting_cycle.presentation_scale_max, presenting_cycle.presentation_weight = 50, 20
    presenting_cycle.save()
    open_slot.session.cycle.refresh_from_db()
    row = presentation_score_record(slot=open_slot, by=panel_member, score="42.5")
    assert (row.score, row.scale_max, row.weight) == (Decimal("42.5"), 50, 20)
    presenting_cycle.presentation_scale_max, presenting_cycle.presentation_weight = 100, 0
    presenting_cycle.save()
    row.refresh_from_db()
    assert (row.scale_max, row.weight) == (50, 20)  # stored when given, never re-derived
    again = presentation_score_record(slot=PresentationSlot.objects.get(pk=open_slot.pk), by=panel_member, score=90)
    assert again.pk == row.pk and (again.score, again.scale_max, again.weight) == (Decimal("90.0"), 100, 0)
    assert AuditEvent.objects.filter(event="presentation.rescored").count() == 1


@pytest.mark.parametrize("bad", ["-1", "100.5", "abc", "NaN", None, "Infinity"])
def test_bad_scores_are_refused(open_slot, panel_member, bad):
    with pytest.raises(NotAllowed) as exc:
        presentation_score_record(slot=open_slot, by=panel_member, score=bad)
    assert exc.value.code == "score"


# --- the ranking's arithmetic ------------------------------------------------------------------------


def _weighted(panel_score, fraction, weight):
    """scoring.with_presentation evaluated by the database on literal values."""
    money = DecimalField(max_digits=12, decimal_places=2)
    share = DecimalField(max_digits=20, decimal_places=10)
    expression = scoring.with_presentation(
        panel_score=Value(Decimal(panel_score), output_field=money),
        panel_max=Value(1000, output_field=IntegerField()),
        presentation_fraction=Value(Decimal(fraction), output_field=share),
        weight_percent=Value(weight, output_field=IntegerField()),
        scored=Q(pk__isnull=False) if weight else Q(pk__isnull=True),
    )
    return Application.objects.annotate(x=expression).values_list("x", flat=True).first()


def test_the_weighting_against_a_hand_computed_case(application_a):
    # panel 700 of 1000 = 0.70; presentation (80/100 + 45/50) / 2 = 0.85; w = 20 %:
    # (0.8 × 0.70 + 0.2 × 0.85) × 1000 = (0.56 + 0.17) × 1000 = 730.00
    assert _weighted("700", "0.85", 20) == Decimal("730.00")
    # 612.40 of 1000, presentation 0.5, w = 35 %: 0.65 × 0.6124 + 0.35 × 0.5 = 0.39806 + 0.175 = 0.57306
    assert _weighted("612.40", "0.5", 35) == Decimal("573.06")
    # w = 100 %: the presentation alone, on the panel's scale
    assert _weighted("612.40", "0.875", 100) == Decimal("875.00")
    assert _weighted("700", "0.85", 0) is None  # not weighted: shown beside, never mixed in


def test_the_panel_mean_reads_each_score_on_its_own_scale(open_slot, panel_member, second_member, presenting_cycle):
    presentation_score_record(slot=open_slot, by=panel_member, score=80)  # 80 / 100
    presenting_cycle.presentation_scale_max, presenting_cycle.presentation_weight = 50, 20
    presenting_cycle.save()
    slot = PresentationSlot.objects.select_related("session__cycle").get(pk=open_slot.pk)
    presentation_score_record(slot=slot, by=second_member, score=45)  # 45 / 50
    figure = selectors.presentation_figures([slot.application_id])[slot.application_id]
    assert figure.n == 2 and figure.fraction == Decimal("0.85")
    assert figure.scale_max == 50 and figure.mean == Decimal("42.50") and figure.weight == 20


def test_the_ranking_shows_the_presentation_and_the_weighted_figure(
    open_slot, panel_member, second_member, presenting_cycle
):
    presenting_cycle.presentation_weight = 20
    presenting_cycle.save()
    rnd = ReviewRound.objects.create(
        cycle=presenting_cycle,
        kind=RoundKind.MATERIAL,
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    panel = Panel.objects.create(round=rnd, application=open_slot.application)
    PanelScore.objects.create(
        panel=panel,
        application=open_slot.application,
        kind=RoundKind.MATERIAL,
        total=Decimal("700.00"),
        results=Decimal("280.00"),
        items_scored=23,
    )
    slot = PresentationSlot.objects.select_related("session__cycle").get(pk=open_slot.pk)
    presentation_score_record(slot=slot, by=panel_member, score=85)
    ranked = ranked_applications(cycle=presenting_cycle, basis=RankingBasis.MATERIAL)
    (row,) = ranking_rows(cycle=presenting_cycle, basis=RankingBasis.MATERIAL, applications=ranked)
    assert row.material == Decimal("700.00") and row.presentation.mean == Decimal("85.00")
    assert row.with_presentation == Decimal("730.00")  # (0.8 × 0.70 + 0.2 × 0.85) × 1000
    # A second member scores on a scale changed since: each score is read on its own scale, and the
    # database's figure is the Python one's.
    presenting_cycle.presentation_scale_max = 50
    presenting_cycle.save()
    slot = PresentationSlot.objects.select_related("session__cycle").get(pk=open_slot.pk)
    presentation_score_record(slot=slot, by=second_member, score=45)
    ranked = ranked_applications(cycle=presenting_cycle, basis=RankingBasis.MATERIAL)
    (row,) = ranking_rows(cycle=presenting_cycle, basis=RankingBasis.MATERIAL, applications=ranked)
    assert row.presentation.n == 2 and row.presentation.fraction == Decimal("0.875")
    assert row.presentation.mean == Decimal("43.75") and row.presentation.scale_max == 50
    assert row.with_presentation == Decimal("735.00")  # (0.8 × 0.70 + 0.2 × 0.875) × 1000
    assert selectors.presentation_figures([slot.application_id])[slot.application_id].fraction == Decimal("0.875")


# --- pages ---------------------------------------------------------------------------------------


def test_office_pages(client_for, session, slot, secretary, presenting_b):
    c = client_for(secretary)
    r = c.get(reverse("vetting:office_presentations", args=[session.cycle_id]))
    assert r.status_code == 200 and "市市场监管局三楼会议室" in r.content.decode()
    r = c.get(reverse("vetting:office_presentation", args=[session.pk]))
    assert r.status_code == 200 and presenting_b.display_name in r.content.decode()  # can be scheduled
    r = c.post(
        reverse("vetting:office_presentation", args=[session.pk]),
        {"action": "schedule", "slot-application": presenting_b.pk, "slot-starts_at": "", "slot-minutes": "30"},
    )
    assert r.status_code == 200 and "slot-starts_at_error" in r.content.decode()
    start = timezone.localtime(at(10)).strftime("%Y-%m-%dT%H:%M")
    r = c.post(
        reverse("vetting:office_presentation", args=[session.pk]),
        {"action": "schedule", "slot-application": presenting_b.pk, "slot-starts_at": start, "slot-minutes": "30"},
    )
    assert r.status_code == 302 and PresentationSlot.objects.filter(application=presenting_b).exists()
    r = c.post(reverse("vetting:office_presentation", args=[session.pk]), {"action": "invite", "slot": slot.pk})
    assert r.status_code == 302 and OutboxMessage.objects.filter(template="vetting_presentation_invitation").exists()
    r = c.post(reverse("vetting:office_presentation", args=[session.pk]), {"action": "invite", "slot": "x"})
    assert r.status_code == 404
    c.post(reverse("vetting:office_presentation", args=[session.pk]), {"action": "open"})
    session.refresh_from_db()
    assert session.status == SessionStatus.OPEN


def test_the_office_form_refuses_a_session_without_a_panel(client_for, presenting_cycle, secretary):
    r = client_for(secretary).post(
        reverse("vetting:office_presentations", args=[presenting_cycle.pk]),
        {
            "starts_at": timezone.localtime(at(9)).strftime("%Y-%m-%dT%H:%M"),
            "duration_minutes": "60",
            "place": "会议室",
        },
    )
    assert r.status_code == 200
    assert "A presentation session needs a panel" in r.content.decode() or "答辩" in r.content.decode()
    assert not presenting_cycle.presentation_sessions.exists()


def test_office_pages_deny_everyone_else(client_for, session, panel_member, applicant_a, committee_member, expert):
    cycle_page = reverse("vetting:office_presentations", args=[session.cycle_id])
    session_page = reverse("vetting:office_presentation", args=[session.pk])
    for url in (cycle_page, session_page):
        for user in (panel_member, applicant_a, committee_member, expert):
            # The session's panel sees the session but may not run it (403); to the others it is not found.
            expected = 403 if (user == panel_member and url == session_page) else 404
            assert client_for(user).get(url).status_code == expected
        assert client_for(None).get(url).status_code == 302


def test_the_enterprise_confirms_on_its_page(client_for, invited, applicant_a):
    c = client_for(applicant_a)
    r = c.get(reverse("awards:application", args=[invited.application_id]))
    assert reverse("vetting:invitation", args=[invited.pk]) in r.content.decode()
    url = reverse("vetting:invitation", args=[invited.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"response": "reschedule", "reason": ""})
    assert r.status_code == 200 and "id_reason_error" in r.content.decode()
    r = c.post(url, {"response": "confirmed"})
    assert r.status_code == 302
    invited.refresh_from_db()
    assert invited.confirmed


def test_the_invitation_page_denies_everyone_else(client_for, invited, slot, applicant_b, panel_member, secretary):
    url = reverse("vetting:invitation", args=[invited.pk])
    for user in (applicant_b, panel_member, secretary):
        assert client_for(user).get(url).status_code == 404
    assert client_for(None).get(url).status_code == 302


def test_the_panel_member_records_on_the_page(client_for, open_slot, panel_member):
    c = client_for(panel_member)
    r = c.get(reverse("vetting:presentations"))
    assert r.status_code == 200 and reverse("vetting:presentation", args=[open_slot.pk]) in r.content.decode()
    url = reverse("vetting:presentation", args=[open_slot.pk])
    assert c.get(url).status_code == 200
    r = c.post(url, {"action": "score", "score": "101"})
    assert r.status_code == 200 and "id_score_error" in r.content.decode()
    r = c.post(url, {"action": "score", "score": "abc"})
    assert r.status_code == 200 and not PresentationScore.objects.exists()
    assert c.post(url, {"action": "score", "score": "86.5"}).status_code == 302
    r = c.post(url, {"action": "note", "category": "4.3", "question": "", "answer": "x"})
    assert r.status_code == 200 and "id_question_error" in r.content.decode()
    assert (
        c.post(
            url, {"action": "note", "category": "4.3", "question": "如何测量顾客满意？", "answer": "第三方调查。"}
        ).status_code
        == 302
    )
    assert PresentationScore.objects.get().score == Decimal("86.5")
    assert PresentationNote.objects.get().category == "4.3"


def test_panel_pages_deny_everyone_else(client_for, open_slot, expert, applicant_a, secretary, committee_member):
    url = reverse("vetting:presentation", args=[open_slot.pk])
    for user in (expert, applicant_a, secretary, committee_member):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).get(reverse("vetting:presentations")).status_code == 403
    assert client_for(None).get(url).status_code == 302


def test_the_public_page_shows_only_open_sessions_and_no_unconfirmed_names(
    client_for, session, invited, applicant_a, presenting_cycle, secretary, panel_member, presenting_b
):
    private = _save(presenting_cycle, secretary, panel=[panel_member], starts_at=at(14), place="闭门会议室")
    presentation_schedule(session=private, application=presenting_b, starts_at=at(14), minutes=30, by=secretary)
    presentation_session_open(session=session, by=secretary)
    slot = PresentationSlot.objects.select_related("session__cycle").get(pk=invited.pk)
    presentation_score_record(slot=slot, by=panel_member, score="77.5")
    url = reverse("vetting:public_presentations")
    page = client_for(None).get(url).content.decode()
    assert "市市场监管局三楼会议室" in page and "闭门会议室" not in page
    name = invited.application.enterprise.display_name
    assert name not in page and "77.5" not in page  # not confirmed yet; scores never shown
    presentation_respond(slot=slot, by=applicant_a, response=InvitationResponse.CONFIRMED)
    page = client_for(None).get(url).content.decode()
    assert name in page and "77.5" not in page
    assert presenting_b.enterprise.display_name not in page


def test_the_ranking_orders_with_the_presentation_weighted_in_on_request(
    client_for, session, presenting_a, presenting_b, panel_member, presenting_cycle, secretary
):
    """A: 700 without a presentation score; B: 650 and a full presentation score at 20 %
    = (0.8 × 0.65 + 0.2 × 1) × 1000 = 720. By the ranking score A leads; weighted in, B does."""
    presenting_cycle.presentation_weight = 20
    presenting_cycle.save()
    rnd = ReviewRound.objects.create(
        cycle=presenting_cycle,
        kind=RoundKind.MATERIAL,
        opens_at=timezone.now() - dt.timedelta(days=9),
        closes_at=timezone.now() - dt.timedelta(days=1),
    )
    for app, total in ((presenting_a, "700.00"), (presenting_b, "650.00")):
        panel = Panel.objects.create(round=rnd, application=app)
        PanelScore.objects.create(
            panel=panel, application=app, kind=rnd.kind, total=Decimal(total), results=Decimal("0"), items_scored=23
        )
    slot = presentation_schedule(session=session, application=presenting_b, starts_at=at(10), minutes=30, by=secretary)
    presentation_session_open(session=session, by=secretary)
    slot = PresentationSlot.objects.select_related("session__cycle").get(pk=slot.pk)
    presentation_score_record(slot=slot, by=panel_member, score=100)
    plain = ranked_applications(cycle=presenting_cycle, basis=RankingBasis.MATERIAL, by_presentation=False)
    weighted = ranked_applications(cycle=presenting_cycle, basis=RankingBasis.MATERIAL)  # the cycle weights it
    assert [a.pk for a in plain] == [presenting_a.pk, presenting_b.pk]
    assert [(a.pk, a.with_presentation) for a in weighted] == [
        (presenting_b.pk, Decimal("720.00")),
        (presenting_a.pk, None),
    ]
    c = client_for(secretary)
    url = reverse("reviews:ranking", args=[presenting_cycle.pk])
    page = c.get(url, {"basis": "material"}).content.decode()  # by default: with the presentation
    assert page.index(presenting_b.display_name) < page.index(presenting_a.display_name) and "720.00" in page
    page = c.get(url, {"basis": "material", "order": "panel"}).content.decode()  # the comparison
    assert page.index(presenting_a.display_name) < page.index(presenting_b.display_name)


# --- removing a presentation from a planned session ------------------------------------------------


def test_the_office_removes_a_slot_not_yet_invited_without_mail(slot, secretary):
    presentation_unschedule(slot=slot, by=secretary, reason="材料评审结论复核中")
    assert not PresentationSlot.objects.filter(pk=slot.pk).exists()
    event = AuditEvent.objects.get(event="presentation.unscheduled")
    assert event.payload["reason"] == "材料评审结论复核中" and event.payload["invited"] is False
    assert not OutboxMessage.objects.filter(template="vetting_presentation_unscheduled").exists()


def test_an_invited_enterprise_is_told_it_is_removed(invited, secretary, applicant_a):
    presentation_unschedule(slot=invited, by=secretary, reason="场次调整")
    mail = OutboxMessage.objects.get(template="vetting_presentation_unscheduled")
    assert mail.recipient == applicant_a.email
    assert mail.kwargs["context"]["reason"] == "场次调整" and mail.kwargs["context"]["starts"].endswith("09:00")
    assert AuditEvent.objects.get(event="presentation.unscheduled").payload["invited"] is True


def test_removing_needs_a_reason(slot, secretary):
    with pytest.raises(NotAllowed) as exc:
        presentation_unschedule(slot=slot, by=secretary, reason="  ")
    assert exc.value.code == "reason_required"
    assert PresentationSlot.objects.filter(pk=slot.pk).exists()


def test_a_slot_is_not_removed_once_the_session_opened_or_closed(open_slot, session, secretary):
    with pytest.raises(NotAllowed) as exc:
        presentation_unschedule(slot=open_slot, by=secretary, reason="场次调整")
    assert exc.value.code == "wrong_status"
    presentation_session_close(session=session, by=secretary)
    with pytest.raises(NotAllowed):
        presentation_unschedule(slot=open_slot, by=secretary, reason="场次调整")
    assert PresentationSlot.objects.filter(pk=open_slot.pk).exists()
    assert not AuditEvent.objects.filter(event="presentation.unscheduled").exists()


def test_a_slot_removed_twice_is_refused_the_second_time(slot, secretary):
    presentation_unschedule(slot=slot, by=secretary, reason="场次调整")
    with pytest.raises(NotAllowed) as exc:
        presentation_unschedule(slot=slot, by=secretary, reason="场次调整")
    assert exc.value.code == "gone"


def test_only_the_office_removes_a_slot(slot, panel_member, applicant_a, committee_member, expert):
    for user in (panel_member, applicant_a, committee_member, expert):
        with pytest.raises(PermissionDenied):
            presentation_unschedule(slot=slot, by=user, reason="场次调整")
    assert PresentationSlot.objects.filter(pk=slot.pk).exists()


def test_the_office_removes_a_slot_on_the_session_page(client_for, invited, session, secretary):
    c = client_for(secretary)
    url = reverse("vetting:office_presentation", args=[session.pk])
    r = c.get(url)
    assert 'value="unschedule"' in r.content.decode() and "data-confirm" in r.content.decode()
    r = c.post(url, {"action": "unschedule", "slot": invited.pk, "reason": ""}, follow=True)
    assert r.status_code == 200 and PresentationSlot.objects.filter(pk=invited.pk).exists()
    assert [m.level_tag for m in r.context["messages"]] == ["error"]
    r = c.post(url, {"action": "unschedule", "slot": "x", "reason": "场次调整"})
    assert r.status_code == 404
    r = c.post(url, {"action": "unschedule", "slot": invited.pk, "reason": "场次调整"})
    assert r.status_code == 302 and not PresentationSlot.objects.filter(pk=invited.pk).exists()
    assert OutboxMessage.objects.filter(template="vetting_presentation_unscheduled").count() == 1


def test_the_session_page_offers_no_removal_once_open(client_for, open_slot, session, secretary):
    c = client_for(secretary)
    url = reverse("vetting:office_presentation", args=[session.pk])
    assert 'value="unschedule"' not in c.get(url).content.decode()
    r = c.post(url, {"action": "unschedule", "slot": open_slot.pk, "reason": "场次调整"}, follow=True)
    assert [m.level_tag for m in r.context["messages"]] == ["error"]
    assert PresentationSlot.objects.filter(pk=open_slot.pk).exists()


def test_removal_on_the_page_is_denied_to_everyone_else(
    client_for, slot, session, panel_member, applicant_a, committee_member, expert
):
    url = reverse("vetting:office_presentation", args=[session.pk])
    for user in (panel_member, applicant_a, committee_member, expert):
        r = client_for(user).post(url, {"action": "unschedule", "slot": slot.pk, "reason": "场次调整"})
        assert r.status_code == (403 if user == panel_member else 404)  # the panel sees the session
    assert client_for(None).post(url, {"action": "unschedule", "slot": slot.pk, "reason": "x"}).status_code == 302
    assert PresentationSlot.objects.filter(pk=slot.pk).exists()


# --- the stage's panel pre-fills a new session ------------------------------------------------------


def test_a_new_session_starts_with_the_stage_panel(
    client_for, presenting_cycle, secretary, panel_member, second_member
):
    assert selectors.stage_panel(presenting_cycle) == [panel_member]
    r = client_for(secretary).get(reverse("vetting:office_presentations", args=[presenting_cycle.pk]))
    form = r.context["form"]
    assert [u.pk for u in form["panel"].initial] == [panel_member.pk]
    page = r.content.decode()
    boxes = dict(re.findall(r'<input type="checkbox" name="panel" value="(\d+)"([^>]*)>', page))
    assert "checked" in boxes[str(panel_member.pk)] and "checked" not in boxes[str(second_member.pk)]


def test_without_a_stage_panel_a_new_session_starts_empty(cycle, secretary):
    assert selectors.stage_panel(cycle) == []


# --- reminder of an unanswered invitation -----------------------------------------------------------
# Around the 2024 National Day holiday: 1–7 October off, Sunday 29 September a make-up working day.


def cst(*args) -> dt.datetime:
    return timezone.make_aware(dt.datetime(*args))


def test_two_working_days_before_skip_the_holiday_and_count_the_make_up_day():
    assert workdays.working_day_before(dt.date(2024, 10, 8), 2) == dt.date(2024, 9, 29)
    assert workdays.working_day_before(dt.date(2024, 9, 26), 2) == dt.date(2024, 9, 24)


@pytest.fixture
def national_day_slot(invited):
    """An invitation sent on 20 September 2024 for a slot on Tuesday 8 October, 09:00."""
    PresentationSlot.objects.filter(pk=invited.pk).update(
        starts_at=cst(2024, 10, 8, 9), invited_at=cst(2024, 9, 20, 10)
    )
    invited.refresh_from_db()
    return invited


def reminders():
    return OutboxMessage.objects.filter(template="vetting_presentation_reminder")


def test_an_unanswered_invitation_is_reminded_once_two_working_days_before(national_day_slot, applicant_a):
    assert presentation_reminders_send_all(now=cst(2024, 9, 28, 8, 45)) == 0  # three working days before
    assert not reminders().exists()
    assert presentation_reminders_send_all(now=cst(2024, 9, 29, 8, 45)) == 1
    mail = reminders().get()
    assert mail.recipient == applicant_a.email and mail.kwargs["context"]["slot_id"] == national_day_slot.pk
    national_day_slot.refresh_from_db()
    assert national_day_slot.reminded_at == cst(2024, 9, 29, 8, 45)
    assert presentation_reminders_send_all(now=cst(2024, 9, 30, 8, 45)) == 0  # one per slot
    assert reminders().count() == 1


def test_an_answered_invitation_is_not_reminded(national_day_slot, applicant_a):
    presentation_respond(slot=national_day_slot, by=applicant_a, response=InvitationResponse.RESCHEDULE, reason="冲突")
    assert presentation_reminders_send_all(now=cst(2024, 9, 30, 8, 45)) == 0
    assert not reminders().exists()


def test_no_reminder_after_the_slot_or_for_a_closed_session(national_day_slot, session, secretary):
    assert presentation_reminders_send_all(now=cst(2024, 10, 8, 9, 30)) == 0
    presentation_session_open(session=session, by=secretary)
    presentation_session_close(session=session, by=secretary)
    assert presentation_reminders_send_all(now=cst(2024, 9, 30, 8, 45)) == 0
    assert not reminders().exists()


def test_no_reminder_on_the_day_of_the_invitation(national_day_slot):
    PresentationSlot.objects.filter(pk=national_day_slot.pk).update(invited_at=cst(2024, 9, 30, 8))
    assert presentation_reminders_send_all(now=cst(2024, 9, 30, 17)) == 0
    assert presentation_reminders_send_all(now=cst(2024, 10, 7, 17)) == 1


def test_the_reminder_day_is_never_the_invitation_day_nor_after_the_slot(national_day_slot):
    """Shown on the session page and used by the reminder: an invitation sent after the second working
    day before the slot is recalled the next day; one sent on the slot's eve, on the slot's own day."""
    assert invitation_reminder_day(national_day_slot) == dt.date(2024, 9, 29)
    national_day_slot.invited_at = cst(2024, 10, 6, 10)  # after the make-up Sunday, during the holiday
    assert invitation_reminder_day(national_day_slot) == dt.date(2024, 10, 7)
    national_day_slot.invited_at = cst(2024, 10, 7, 18)
    assert invitation_reminder_day(national_day_slot) == dt.date(2024, 10, 8)
    national_day_slot.invited_at = cst(2024, 10, 8, 8)  # invited on the day itself: nothing left to recall
    assert invitation_reminder_day(national_day_slot) is None


def test_a_slot_not_invited_is_not_reminded(slot):
    PresentationSlot.objects.filter(pk=slot.pk).update(starts_at=cst(2024, 10, 8, 9))
    assert presentation_reminders_send_all(now=cst(2024, 9, 30, 8, 45)) == 0


def test_a_moved_slot_is_reminded_afresh(national_day_slot, session, presenting_a, secretary):
    presentation_reminders_send_all(now=cst(2024, 9, 29, 8, 45))
    moved = presentation_schedule(session=session, application=presenting_a, starts_at=at(10), minutes=40, by=secretary)
    assert moved.reminded_at is None and moved.invited_at is None
    presentation_invite(slot=moved, by=secretary)
    PresentationSlot.objects.filter(pk=moved.pk).update(starts_at=cst(2024, 10, 8, 10), invited_at=cst(2024, 9, 20, 10))
    assert presentation_reminders_send_all(now=cst(2024, 9, 30, 8, 45)) == 1
    assert reminders().count() == 2


def test_the_daily_task_sends_the_reminders(national_day_slot, monkeypatch):
    monkeypatch.setattr(vetting_services.timezone, "now", lambda: cst(2024, 9, 29, 8, 45))
    assert send_presentation_reminders() == 1
    assert send_presentation_reminders() == 0


def test_the_session_page_shows_when_the_reminder_goes_and_when_it_went(
    client_for, national_day_slot, session, secretary
):
    c = client_for(secretary)
    url = reverse("vetting:office_presentation", args=[session.pk])
    assert "如未答复，将于 2024-09-29 提醒" in c.get(url).content.decode()
    presentation_reminders_send_all(now=cst(2024, 9, 29, 8, 45))
    assert "已于 2024-09-29 提醒" in c.get(url).content.decode()


# --- loaders: the object the user may see, or Http404 ----------------------------------------------


def test_session_and_slot_loaders(
    session, invited, secretary, admin_user, panel_member, applicant_a, applicant_b, expert
):
    from django.http import Http404

    from vetting import selectors as vetting_selectors

    for user in (secretary, admin_user, panel_member):
        assert vetting_selectors.session_for(user=user, pk=session.pk) == session
    assert vetting_selectors.slot_for_panel_member(user=panel_member, pk=invited.pk) == invited
    assert vetting_selectors.slot_for_applicant(user=applicant_a, pk=invited.pk) == invited
    for loader, users in (
        (vetting_selectors.session_for, (applicant_a, expert)),
        (vetting_selectors.slot_for_panel_member, (secretary, applicant_a, expert)),
        (vetting_selectors.slot_for_applicant, (applicant_b, panel_member, secretary)),
    ):
        for user in users:
            with pytest.raises(Http404):
                loader(user=user, pk=session.pk if loader is vetting_selectors.session_for else invited.pk)
        with pytest.raises(Http404):
            loader(user=secretary if loader is vetting_selectors.session_for else users[0], pk=987654321)


def test_the_stored_result_follows_every_score_written(open_slot, panel_member, second_member, presenting_cycle):
    """The ranking joins PresentationResult: the services keep it with every score, in one transaction."""
    from vetting.models import PresentationResult

    presentation_score_record(slot=open_slot, by=panel_member, score=80)
    result = PresentationResult.objects.get(application=open_slot.application)
    assert (result.n, result.fraction, result.scale_max, result.cycle_id) == (
        1,
        Decimal("0.8"),
        100,
        presenting_cycle.pk,
    )
    presentation_score_record(slot=open_slot, by=second_member, score=70)
    presentation_score_record(slot=open_slot, by=panel_member, score=90)  # rescored: replaces 80
    result.refresh_from_db()
    assert (result.n, result.fraction) == (2, Decimal("0.8"))  # (0.90 + 0.70) / 2
    PresentationScore.objects.all().delete()
    vetting_services.presentation_results_refresh(application_ids=[open_slot.application_id])
    assert not PresentationResult.objects.exists()  # no score left, no figure


def test_the_migration_backfills_the_figures_the_services_keep(open_slot, panel_member, second_member):
    """vetting/0005 fills PresentationResult for scores given before it existed: the same count,
    mean share, scale and weight in force as the services store."""
    from importlib import import_module

    from django.apps import apps

    from vetting.models import PresentationResult

    presentation_score_record(slot=open_slot, by=panel_member, score=80)
    presentation_score_record(slot=open_slot, by=second_member, score=65)
    kept = PresentationResult.objects.values("application_id", "cycle_id", "n", "fraction", "scale_max", "weight")
    kept = list(kept)
    PresentationResult.objects.all().delete()  # as before the migration
    import_module("vetting.migrations.0005_presentation_results").backfill(apps, None)
    filled = PresentationResult.objects.values("application_id", "cycle_id", "n", "fraction", "scale_max", "weight")
    assert list(filled) == kept
    assert kept[0]["n"] == 2 and kept[0]["fraction"] == Decimal("0.725")  # (0.80 + 0.65) / 2
