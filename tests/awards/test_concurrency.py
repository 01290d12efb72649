"""Two concurrent transitions on PostgreSQL: exactly one wins."""

import threading

import pytest
from django.db import connection, connections

from awards.enums import ApplicationStatus
from awards.models import Application
from awards.services import application_transition
from core.audit import audit_verify
from core.errors import Conflict
from core.scopes import in_every_programme


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_decisions_exactly_one_wins(request):
    if connection.vendor != "postgresql":
        pytest.skip("row-level concurrency is tested on PostgreSQL")
    application_a = request.getfixturevalue("application_a")
    secretary = request.getfixturevalue("secretary")
    Application.objects.filter(pk=application_a.pk).update(status=ApplicationStatus.SUBMITTED)

    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def decide(target, comment):
        app = Application.objects.get(pk=application_a.pk)
        barrier.wait()
        try:
            application_transition(application=app, to_status=target, by=secretary, comment=comment)
            outcomes.append(f"won:{target}")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=in_every_programme(decide), args=(ApplicationStatus.ELIGIBLE, "")),
        threading.Thread(target=in_every_programme(decide), args=(ApplicationStatus.INELIGIBLE, "成立不满三年")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)

    assert sorted(o.split(":")[0] for o in outcomes) == ["conflict", "won"]
    application_a.refresh_from_db()
    winner = next(o for o in outcomes if o.startswith("won")).split(":")[1]
    assert application_a.status == winner
    assert application_a.transitions.count() == 1
    assert audit_verify().ok
