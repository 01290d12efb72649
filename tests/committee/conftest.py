import pytest

from tests.factories.committee import committee_of, nominated_application, schedule


@pytest.fixture
def members(cycle, committee_member):
    """Seven committee members; the persona `committee_member` is the first."""
    return committee_of(cycle, 7, existing=[committee_member])


@pytest.fixture
def candidates(cycle, enterprise_a, enterprise_b):
    return [
        nominated_application(cycle, enterprise=enterprise_a),
        nominated_application(cycle, enterprise=enterprise_b),
    ]


@pytest.fixture
def meeting(cycle, secretary, members, candidates):
    return schedule(cycle, secretary)


@pytest.fixture
def open_meeting(meeting, secretary, members):
    """In session, the first five members present (a quorum of 7 at 2/3)."""
    from committee.services import attendance_record, meeting_open

    meeting_open(meeting=meeting, by=secretary)
    attendance_record(meeting=meeting, by=secretary, present_ids=[u.pk for u in members[:5]])
    return meeting


@pytest.fixture
def open_ballot(open_meeting, secretary):
    from committee.services import ballot_open

    ballot = open_meeting.ballots.order_by("rank").first()
    return ballot_open(ballot=ballot, by=secretary)


@pytest.fixture
def roll_call_ballot(open_meeting, secretary):
    """An open ballot of a cycle that votes by roll call (changeable votes, names shown after the close)."""
    from awards.models import AwardCycle
    from committee.services import ballot_open

    AwardCycle.objects.filter(pk=open_meeting.cycle_id).update(secret_ballot=False)
    open_meeting.cycle.refresh_from_db()
    ballot = open_meeting.ballots.order_by("rank").first()
    return ballot_open(ballot=ballot, by=secretary)
