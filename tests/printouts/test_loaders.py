"""The printout loaders: the object the user may see, or Http404 (for "not yours" and "no such" alike)."""

import pytest
from django.http import Http404

from awards.services import application_submit
from printouts import selectors, services
from printouts.enums import Document
from tests.factories.awards import ApplicationFactory, fill_application

pytestmark = pytest.mark.django_db

MISSING = 987654321


@pytest.fixture
def submitted(cycle, enterprise_a, applicant_a):
    app = ApplicationFactory(cycle=cycle, enterprise=enterprise_a)
    fill_application(app, applicant_a)
    return application_submit(application=app, by=applicant_a, notify=False)


def test_snapshot_for_print(submitted, applicant_a, applicant_b, secretary, admin_user, expert, application_b):
    for user in (applicant_a, secretary, admin_user):
        snapshot = selectors.snapshot_for_print(user=user, application_id=submitted.pk)
        assert snapshot.application == submitted and snapshot.number == 1
    for user in (applicant_b, expert):
        with pytest.raises(Http404):
            selectors.snapshot_for_print(user=user, application_id=submitted.pk)
    for application_id in (MISSING, application_b.pk):  # no such application; one never submitted
        with pytest.raises(Http404):
            selectors.snapshot_for_print(user=admin_user, application_id=application_id)


def test_printout_for(submitted, applicant_a, applicant_b, secretary, expert):
    printout = services.printout_request(snapshot=submitted.snapshots.get(), document=Document.values[0], by=secretary)
    for user in (applicant_a, secretary):
        assert selectors.printout_for(user=user, pk=printout.pk) == printout
    for user in (applicant_b, expert):
        with pytest.raises(Http404):
            selectors.printout_for(user=user, pk=printout.pk)
    with pytest.raises(Http404):
        selectors.printout_for(user=secretary, pk=MISSING)
