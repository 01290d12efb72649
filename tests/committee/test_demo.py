"""seed_demo's committee step: the 2017 decision agrees with the statuses, its minutes show a recusal
and a member arriving between two ballots, and it is idempotent."""

import shutil
import subprocess

import pytest
from django.core.management import call_command

from committee import decisions
from committee.models import Ballot, GovernmentApproval, Meeting
from reviews.enums import RankingBasis
from reviews.selectors import cycle_ranking
from tests.media import local_copy


def test_demo_2017_meeting_agrees_with_the_statuses(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    meeting = Meeting.objects.get(cycle__year=2017)
    assert meeting.status == "closed" and meeting.minutes_pdf.name.endswith(".pdf")
    assert meeting.attendance.filter(present=True).count() == 7  # committee7 arrived after the first ballot
    cycle = meeting.cycle
    for ballot in Ballot.objects.filter(meeting=meeting).select_related("application"):
        # Secret ballot: the anonymous choices add up to the stored count; every eligible member voted.
        assert not ballot.votes.exists() and ballot.secret
        assert ballot.voters.count() == ballot.voted == ballot.eligible == ballot.present - ballot.recused
        votes = list(ballot.secret_choices.values_list("choice", flat=True))
        assert (votes.count("approve"), votes.count("reject"), votes.count("abstain")) == (
            ballot.approvals,
            ballot.rejections,
            ballot.abstentions,
        )
        passes = decisions.ballot_passes(
            approvals=ballot.approvals,
            base=ballot.base,
            numerator=cycle.pass_numerator,
            denominator=cycle.pass_denominator,
        )
        assert passes is ballot.passed is (ballot.application.status == "awarded")
    # the committee's order is the expert ranking's, and the report and dossiers show the scores
    from committee.selectors import candidate_scores, expert_review_report

    ranking = {r.application.pk: r.rank for r in cycle_ranking(cycle=cycle, basis=RankingBasis.COMBINED)}
    ballots = list(meeting.ballots.all())
    assert all(b.rank == ranking[b.application_id] for b in ballots)
    nominees = expert_review_report(meeting).context["nominees"]
    assert [r.rank for _b, r, _p in nominees] == [1, 2, 3, 4]
    assert all(candidate_scores(b).context["onsite"].total is not None for b in ballots)
    assert GovernmentApproval.objects.filter(cycle=cycle).exists()
    assert meeting.remarks.count() == 3
    current = Meeting.objects.exclude(cycle__year=2017).get()
    assert current.status == "scheduled"
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Meeting.objects.count() == 2 and Ballot.objects.count() == 4


def _pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    return subprocess.run(["pdftotext", "-enc", "UTF-8", path, "-"], capture_output=True, check=True, text=True).stdout


def test_demo_2017_minutes_show_the_recusal_and_each_ballots_attendance(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    meeting = Meeting.objects.get(cycle__year=2017)
    first, second, third, _fourth = meeting.ballots.order_by("rank")
    late = "committee7@demo.mqa.cn"
    assert len(first.roll["present_open"]) == 6 and len(second.roll["present_open"]) == 7
    assert meeting.attendance_events.filter(member__email=late, at__gt=first.closed_at, at__lt=second.opened_at)
    recusal = third.recusals.get()
    assert third.roll["recused"] == [
        {"id": recusal.member_id, "name": recusal.member.get_full_name(), "reason": recusal.reason}
    ]
    assert (third.present, third.recused, third.base) == (7, 1, 6)
    with local_copy(meeting.minutes_pdf) as path:
        text = " ".join(_pdf_text(path).split())
    assert "表决开始时出席（6 人）" in text and "表决开始时出席（7 人）" in text
    assert recusal.reason in text.replace(" ", "")
    assert "到场" in text
