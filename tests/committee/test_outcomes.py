"""Stored outcomes (decide, then change what they were derived from), counting at the boundaries,
secret ballot leaving no member-to-choice link, and the attendance of each ballot in the minutes."""

import datetime as dt
import re
import shutil
import subprocess

import pytest
from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardCycle
from certificates.models import Certificate
from certificates.rendering import certificate_pdf
from committee import decisions, services
from committee.models import Ballot, BallotVoter, SecretChoice, Vote
from core.models import AuditEvent
from tests.factories.committee import committee_of

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes, tmp_path, name="doc.pdf") -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    path = tmp_path / name
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def _set_cycle(cycle, **fields):
    AwardCycle.objects.filter(pk=cycle.pk).update(**fields)
    cycle.refresh_from_db()


def _ballot_with(meeting, secretary, members, approvals, silent, rejections=0):
    """Open the first ballot and have `approvals` members approve and `rejections` reject; `silent` present
    members cast nothing. Returns the closed ballot (closing confirmed)."""
    ballot = meeting.ballots.order_by("rank").first()
    services.ballot_open(ballot=ballot, by=secretary)
    voters = members[: approvals + rejections]
    for i, m in enumerate(voters):
        services.vote_cast(ballot=ballot, by=m, choice="approve" if i < approvals else "reject")
    return services.ballot_close(ballot=ballot, by=secretary, confirm_incomplete=bool(silent))


# --- counting at the boundaries (7 members) -------------------------------------------------------


@pytest.mark.parametrize(
    ("base", "approvals", "eligible", "members", "cast", "expected"),
    [
        ("present", 3, 6, 7, 3, False),  # 3 × 3 < 2 × 6
        ("cast", 3, 6, 7, 3, True),  # 3 of 3
        ("present", 4, 6, 7, 4, True),  # 4 × 3 ≥ 2 × 6
        ("members", 4, 7, 7, 4, False),  # 4 × 3 < 2 × 7
        ("members", 5, 7, 7, 5, True),  # 5 × 3 ≥ 2 × 7
    ],
)
def test_counting_boundaries(base, approvals, eligible, members, cast, expected):
    n = decisions.count_base(base, eligible=eligible, members=members, cast=cast)
    assert decisions.ballot_passes(approvals=approvals, base=n, numerator=2, denominator=3) is expected


def _six_present(meeting, secretary, members):
    services.meeting_open(meeting=meeting, by=secretary)
    services.attendance_record(meeting=meeting, by=secretary, present_ids=[u.pk for u in members[:6]])


def test_three_approve_three_silent_fails_under_the_default_base(meeting, secretary, members):
    _six_present(meeting, secretary, members)
    ballot = _ballot_with(meeting, secretary, members, approvals=3, silent=3)
    assert (ballot.base, ballot.eligible, ballot.voted, ballot.pass_base) == (6, 6, 3, "present")
    assert ballot.passed is False
    assert {m["id"] for m in ballot.roll["not_voted"]} == {u.pk for u in members[3:6]}
    assert ballot.application.status == "not_approved"


def test_three_approve_three_silent_passes_when_the_base_is_votes_cast(meeting, secretary, members, cycle):
    _set_cycle(cycle, pass_base="cast")
    _six_present(meeting, secretary, members)
    ballot = _ballot_with(meeting, secretary, members, approvals=3, silent=3)
    assert (ballot.base, ballot.passed) == (3, True)


def test_four_approve_two_silent_passes_under_the_default_base(meeting, secretary, members):
    _six_present(meeting, secretary, members)
    ballot = _ballot_with(meeting, secretary, members, approvals=4, silent=2)
    assert (ballot.base, ballot.passed) == (6, True)


@pytest.mark.parametrize(("approvals", "expected"), [(4, False), (5, True)])
def test_all_members_base(meeting, secretary, members, cycle, approvals, expected):
    _set_cycle(cycle, pass_base="members")
    services.meeting_open(meeting=meeting, by=secretary)
    services.attendance_record(meeting=meeting, by=secretary, present_ids=[u.pk for u in members])
    ballot = _ballot_with(meeting, secretary, members, approvals=approvals, silent=7 - approvals)
    assert (ballot.base, ballot.passed) == (7, expected)


def test_closing_with_silent_members_needs_confirmation(meeting, secretary, members):
    _six_present(meeting, secretary, members)
    ballot = meeting.ballots.order_by("rank").first()
    services.ballot_open(ballot=ballot, by=secretary)
    services.vote_cast(ballot=ballot, by=members[0], choice="approve")
    with pytest.raises(services.NotAllowed) as e:
        services.ballot_close(ballot=ballot, by=secretary)
    assert e.value.code == "incomplete" and "1" in e.value.message and "6" in e.value.message
    ballot.refresh_from_db()
    assert ballot.status == "open" and ballot.passed is None


# --- secret ballot: no link between a member and a choice --------------------------------------------


def test_secret_ballot_leaves_no_link_between_member_and_choice(open_meeting, secretary, members, client_for):
    choices = ["approve", "reject", "abstain", "approve", "reject"]
    ballot = open_meeting.ballots.order_by("rank").first()
    services.ballot_open(ballot=ballot, by=secretary)
    for m, c in zip(members[:5], choices, strict=True):
        services.vote_cast(ballot=ballot, by=m, choice=c)
    services.ballot_close(ballot=ballot, by=secretary)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    # Every model with a foreign key to the user: no row holds both a member and a vote choice.
    for model in apps.get_models():
        user_fks = [
            f
            for f in model._meta.get_fields()
            if isinstance(f, models.ForeignKey | models.OneToOneField) and f.related_model is user_model
        ]
        if not user_fks:
            continue
        for f in model._meta.get_fields():
            if getattr(f, "choices", None) and {c for c, _ in f.choices} >= {"approve", "reject", "abstain"}:
                assert not model.objects.filter(**{f"{f.name}__isnull": False}).exists(), model
    assert not Vote.objects.exists()
    assert BallotVoter.objects.filter(ballot=ballot).count() == 5
    assert sorted(SecretChoice.objects.filter(ballot=ballot).values_list("choice", flat=True)) == sorted(choices)
    # The anonymous choices carry no member, no time, no sequence (random keys).
    assert {f.name for f in SecretChoice._meta.concrete_fields} == {"id", "ballot", "choice"}
    # No audit payload holds a choice next to a member (the vote events say only that someone voted).
    for event in AuditEvent.objects.all():
        text = str(event.payload)
        if event.actor_id in {m.pk for m in members}:
            assert not any(c in text for c in ("approve", "reject", "abstain")), event.payload
    vote_events = AuditEvent.objects.filter(action="committee.vote")
    assert vote_events.count() == 5 and all(e.payload == {"secret": True} for e in vote_events)
    # The admin shows counts only: the ballot page lists who voted and the counts, never who chose what.
    admin = client_for(user_model.objects.create_superuser(email="root@example.cn", password="x" * 12))
    page = admin.get(reverse("admin:committee_ballot_change", args=[ballot.pk])).content.decode()
    assert members[0].full_name in page  # among those who voted
    for m, c in zip(members[:5], choices, strict=True):
        assert not re.search(re.escape(m.full_name) + r"[^<]{0,80}(" + c + r"|赞成|反对|弃权)", page)
    listing = admin.get(reverse("admin:committee_secretchoice_changelist")).content.decode()
    assert all(m.full_name not in listing for m in members)


def test_secret_choices_are_hidden_from_the_admin_while_the_ballot_is_open(open_ballot, members, client_for):
    from core.models import User

    services.vote_cast(ballot=open_ballot, by=members[0], choice="approve")
    admin = client_for(User.objects.create_superuser(email="root@example.cn", password="x" * 12))
    listing = admin.get(reverse("admin:committee_secretchoice_changelist")).content.decode()
    assert "0 secret votes" in listing or "0 无记名票" in listing or "0 个" in listing


def test_the_secret_setting_is_fixed_once_a_ballot_opened(open_ballot, client_for, cycle):
    from core.models import User

    admin = client_for(User.objects.create_superuser(email="root@example.cn", password="x" * 12))
    page = admin.get(reverse("admin:awards_awardcycle_change", args=[cycle.pk])).content.decode()
    assert 'name="secret_ballot"' not in page
    _set_cycle(cycle, secret_ballot=False)  # even changed behind the admin's back …
    open_ballot.refresh_from_db()
    assert open_ballot.secret is True  # … the open ballot keeps the rule it opened under


# --- stored outcomes: decide, then change the settings they came from -------------------------------


def _strip(html: str) -> str:
    html = re.sub(r'<input type="hidden" name="csrfmiddlewaretoken"[^>]*>', "", html)
    return re.sub(r'<p class="message message-info">.*?</p>', "", html, flags=re.S)


def _flat(text: str, drop=()) -> str:
    """PDF text without page numbers and line breaks (a note added shifts both), minus `drop`."""
    text = "".join(line for line in text.split() if not re.fullmatch(r"\d+/\d+", line))
    for sentence in drop:
        text = text.replace(sentence, "")
    return text


def _confirmed(open_meeting, members, secretary, cycle, django_capture_on_commit_callbacks):
    for ballot in open_meeting.ballots.order_by("rank"):
        services.ballot_open(ballot=ballot, by=secretary)
        for m in members[:5]:
            services.vote_cast(ballot=ballot, by=m, choice="approve")
        services.ballot_close(ballot=ballot, by=secretary)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(meeting=open_meeting, by=secretary)
    notice = services.notice_publish(cycle=cycle, by=secretary, starts_on=timezone.localdate() - dt.timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        services.winners_confirm(
            cycle=cycle, by=secretary, decree_number="郴政函〔2026〕1号", decree_date=timezone.localdate()
        )
    return notice


def _snapshot(meeting, member, client_for, tmp_path, tag):
    meeting.refresh_from_db()
    page = _strip(client_for(member).get(reverse("committee:meeting", args=[meeting.pk])).content.decode())
    services.meeting_pdf_render(meeting_id=meeting.pk, kind="minutes")
    meeting.refresh_from_db()
    with meeting.minutes_pdf.open("rb") as fh:
        minutes = pdf_text(fh.read(), tmp_path, f"minutes-{tag}.pdf")
    minutes = "\n".join(line for line in minutes.splitlines() if "生成" not in line and "Generated" not in line)
    winners = _strip(client_for(None).get(reverse("committee:winners")).content.decode())
    certificate = pdf_text(certificate_pdf(Certificate.objects.order_by("pk").first()), tmp_path, f"cert-{tag}.pdf")
    return page, minutes, winners, certificate


def test_outcomes_stand_when_quotas_rules_and_membership_change_afterwards(
    open_meeting, members, secretary, cycle, client_for, tmp_path, django_capture_on_commit_callbacks
):
    _confirmed(open_meeting, members, secretary, cycle, django_capture_on_commit_callbacks)
    before = _snapshot(open_meeting, members[0], client_for, tmp_path, "before")
    assert "市长质量奖" in before[1] and "5 × 3 = 15" in before[1]
    # Lower the quota of the top level, change the counting rule and the committee.
    cycle.levels.filter(code="mayor").update(quota=1)
    _set_cycle(cycle, pass_base="members", pass_numerator=3, pass_denominator=4, secret_ballot=False)
    committee_of(cycle, 9, existing=members)
    after = _snapshot(open_meeting, members[0], client_for, tmp_path, "after")
    page_before, minutes_before, winners_before, cert_before = before
    page_after, minutes_after, winners_after, cert_after = after
    assert page_after == page_before
    notes = (
        "配额在本决定之后有调整。奖项等级按决定时的结果保持不变；调整只适用于尚未决定的事项。",
        "计票规则在本表决结束后有调整。表决结果按上述规则计票，保持不变。",
    )
    assert _flat(minutes_after, notes) == _flat(minutes_before, notes)
    assert winners_after == winners_before
    assert cert_after == cert_before
    # … and the page and the minutes say the rule changed afterwards.
    raw = client_for(members[0]).get(reverse("committee:meeting", args=[open_meeting.pk])).content.decode()
    assert all(n in raw for n in notes)
    assert all(n in _flat(minutes_after) for n in notes)
    levels = {b.award_level.code for b in Ballot.objects.filter(meeting=open_meeting)}
    assert levels == {"mayor"}


def test_level_names_stand_when_a_level_is_renamed_afterwards(
    open_meeting, members, secretary, cycle, client_for, tmp_path, django_capture_on_commit_callbacks
):
    _confirmed(open_meeting, members, secretary, cycle, django_capture_on_commit_callbacks)
    certificate = Certificate.objects.order_by("pk").first()
    verify = reverse("certificates:verify", args=[certificate.verification_code])
    notice_year = reverse("committee:notice_year", args=[cycle.year])
    before = _snapshot(open_meeting, members[0], client_for, tmp_path, "before")
    before_public = [client_for(None).get(url).content.decode() for url in (verify, notice_year)]
    assert "市长质量奖" in before[1] and "市长质量奖" in before[2] and "市长质量奖" in before[3]
    # Rename the top level in the database, as an administrator might years later.
    cycle.levels.filter(code="mayor").update(name_zh="更名后的奖项", name_en="Renamed award")
    after = _snapshot(open_meeting, members[0], client_for, tmp_path, "after")
    after_public = [client_for(None).get(url).content.decode() for url in (verify, notice_year)]
    assert after == before
    assert [_strip(p) for p in after_public] == [_strip(p) for p in before_public]
    for text in (*after, *after_public):
        assert "更名后的奖项" not in text and "Renamed award" not in text
    english = client_for(None).get(reverse("committee:winners"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Renamed award" not in english


# --- attendance by the minute -----------------------------------------------------------------------


def test_minutes_show_each_ballots_own_attendance(
    open_meeting, members, secretary, tmp_path, django_capture_on_commit_callbacks
):
    first, second = open_meeting.ballots.order_by("rank")
    services.ballot_open(ballot=first, by=secretary)
    for m in members[:5]:
        services.vote_cast(ballot=first, by=m, choice="approve")
    services.ballot_close(ballot=first, by=secretary)
    # A member arrives between the two ballots, another declares a conflict on the second.
    services.attendance_record(meeting=open_meeting, by=secretary, present_ids=[u.pk for u in members[:6]])
    services.ballot_open(ballot=second, by=secretary)
    services.recusal_record(ballot=second, member=members[4], by=members[4], reason="曾任该企业顾问")
    for m in members[:4] + [members[5]]:
        services.vote_cast(ballot=second, by=m, choice="approve")
    services.ballot_close(ballot=second, by=secretary)
    first.refresh_from_db()
    second.refresh_from_db()
    assert len(first.roll["present_open"]) == 5 and len(second.roll["present_open"]) == 6
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_close(meeting=open_meeting, by=secretary)
    open_meeting.refresh_from_db()
    with open_meeting.minutes_pdf.open("rb") as fh:
        text = pdf_text(fh.read(), tmp_path).replace("\n", " ")
    assert "表决开始时出席（5 人）" in text and "表决开始时出席（6 人）" in text
    assert "曾任该企业顾问" in text
    assert members[5].full_name in text.split("表决开始时出席（6 人）")[1]
    assert "5 × 3 = 15" in text  # second ballot: 5 approvals against a base of 5 (6 present, 1 recused)
    assert "到场" in text  # the arrival, with its time
