"""Concurrent votes by the same member (threads on PostgreSQL): one vote row, roll-call or secret."""

import threading

import pytest
from django.db import connection, connections

from committee.models import Ballot, BallotVoter, SecretChoice, Vote
from committee.services import vote_cast
from core.audit import audit_verify
from core.errors import NotAllowed
from core.scopes import in_every_programme


def _race(ballot, member):
    """Four threads vote for the same member at the same moment; returns the errors raised."""
    barrier = threading.Barrier(4)
    errors: list[Exception] = []

    def vote(choice):
        b = Ballot.objects.get(pk=ballot.pk)
        barrier.wait()
        try:
            vote_cast(ballot=b, by=member, choice=choice)
        except Exception as e:  # noqa: BLE001 - any error fails the test below
            errors.append(e)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=in_every_programme(vote), args=(c,))
        for c in ("approve", "reject", "abstain", "approve")
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return errors


@pytest.mark.django_db(transaction=True)
def test_concurrent_roll_call_votes_by_one_member_make_one_row(request):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    ballot = request.getfixturevalue("roll_call_ballot")
    member = request.getfixturevalue("members")[0]
    assert _race(ballot, member) == []
    assert Vote.objects.filter(ballot=ballot, member=member).count() == 1
    assert audit_verify().ok


@pytest.mark.django_db(transaction=True)
def test_parallel_double_secret_votes_leave_one_vote(request):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    ballot = request.getfixturevalue("open_ballot")
    member = request.getfixturevalue("members")[0]
    errors = _race(ballot, member)
    assert len(errors) == 3 and all(isinstance(e, NotAllowed) and e.code == "already_voted" for e in errors)
    assert BallotVoter.objects.filter(ballot=ballot, member=member).count() == 1
    assert SecretChoice.objects.filter(ballot=ballot).count() == 1
    assert not Vote.objects.exists()
    assert audit_verify().ok
