"""Run by test_sqlite_concurrency.py in its own process: the embedded settings (config.settings.local)
on a file SQLite database, an expert's autosave and submit sent at the same moment from two threads.

Prints one JSON line: the HTTP statuses seen and any exception text.
"""

import json
import os
import sys
import threading

import django

os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from awards.enums import ApplicationStatus, CycleRole  # noqa: E402
from awards.models import Application  # noqa: E402
from core.scopes import in_every_programme  # noqa: E402
from tests.factories.awards import ApplicationFactory, CycleFactory, CycleMembershipFactory  # noqa: E402
from tests.factories.core import UserFactory  # noqa: E402
from tests.factories.reviews import AssignmentFactory, PanelFactory, ReviewRoundFactory, framework_items  # noqa: E402

ROUNDS = int(os.environ.get("RACE_ROUNDS", "6"))


@in_every_programme  # the script builds the data itself; its requests run in their users' scope
def main():
    setup_test_environment()  # the locmem mail backend, allowed host "testserver"
    call_command("migrate", verbosity=0, interactive=False)
    journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    cycle = CycleFactory()
    items = framework_items(cycle)
    rnd = ReviewRoundFactory(cycle=cycle)
    statuses, errors = [], []
    for n in range(ROUNDS):
        expert = CycleMembershipFactory(cycle=cycle, role=CycleRole.EXPERT, user=UserFactory()).user
        app = ApplicationFactory(cycle=cycle)
        Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.MATERIAL_REVIEW)
        assignment = AssignmentFactory(panel=PanelFactory(round=rnd, application=app), expert=expert)
        data = {f"item-{i.pk}": "50" for i in items} | {"overall_comment": f"Typed comment {n} " * 20}
        barrier = threading.Barrier(2)

        def send(url, payload, _barrier=barrier, _expert=expert):
            client = Client(raise_request_exception=False)
            client.force_login(_expert)
            _barrier.wait()
            try:
                statuses.append(client.post(url, payload).status_code)
            except Exception as exc:  # noqa: BLE001 -- reported to the test, which fails on it
                errors.append(repr(exc))
            finally:
                connection.close()

        threads = [
            threading.Thread(target=send, args=(reverse("reviews:autosave", args=[assignment.pk]), data)),
            threading.Thread(
                target=send, args=(reverse("reviews:sheet", args=[assignment.pk]), data | {"action": "submit"})
            ),
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    print(json.dumps({"journal_mode": journal, "statuses": statuses, "errors": errors}))


if __name__ == "__main__":
    main()
