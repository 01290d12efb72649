"""The office's review-health page: the secretary sees it; nobody else does."""

import pytest
from django.urls import reverse

from reviews.enums import RoundKind
from tests.factories.awards import ApplicationFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import panel_with, submitted_sheet

pytestmark = pytest.mark.django_db


@pytest.fixture
def url(cycle):
    experts = [UserFactory(full_name=f"Pool {i}") for i in range(3)]
    for pcts in ([40, 50, 60], [60, 70, 65]):
        _panel, assignments = panel_with(ApplicationFactory(cycle=cycle), experts, kind=RoundKind.MATERIAL)
        for a, p in zip(assignments, pcts, strict=True):
            submitted_sheet(a, p)
    return reverse("reviews:health", args=[cycle.pk])


def test_it_shows_the_secretary_every_figure(url, client_for, secretary):
    page = client_for(secretary).get(url).content.decode()
    for text in ("ICC(1,1)", "ICC(1,k)", "Pool 0", "Spearman", "Kendall"):
        assert text in page
    assert 'aria-current="page"' in page


def test_it_says_when_nothing_is_scored(cycle, client_for, secretary):
    page = client_for(secretary).get(reverse("reviews:health", args=[cycle.pk])).content.decode()
    assert "health-agreement" not in page


@pytest.mark.parametrize("persona", ["expert", "committee_member", "applicant_a"])
def test_it_refuses_everyone_else(url, client_for, request, persona):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 404


def test_it_asks_the_anonymous_to_log_in(url, client):
    assert client.get(url).status_code == 302
