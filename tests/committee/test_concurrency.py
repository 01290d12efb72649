"""Concurrent votes by the same member (threads on PostgreSQL): one vote row."""

import threading

import pytest
from django.db import connection, connections

from committee.models import Ballot, Vote
from committee.services import vote_cast
from core.audit import audit_verify


@pytest.mark.django_db(transaction=True)
def test_concurrent_votes_by_one_member_make_one_row(request):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    ballot = request.getfixturevalue("open_ballot")
    member = request.getfixturevalue("members")[0]
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

    threads = [threading.Thread(target=vote, args=(c,)) for c in ("approve", "reject", "abstain", "approve")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert errors == []
    assert Vote.objects.filter(ballot=ballot, member=member).count() == 1
    assert audit_verify().ok
