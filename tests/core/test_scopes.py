"""core.scopes: a programme's rows are read inside a scope or not at all."""

import pytest
from django.db.models import Count

from awards.models import Application, AwardCycle, AwardProgramme
from core.scopes import ScopeError, current_programmes, every_programme, no_scope, programme_scope
from reviews.models import ScoreSheet
from tests.factories.awards import ApplicationFactory, CycleFactory, ProgrammeFactory


@pytest.fixture
def two_programmes(db):
    chenzhou = CycleFactory()
    hunan = CycleFactory(programme=ProgrammeFactory(slug="hunan"))
    return chenzhou, hunan, ApplicationFactory(cycle=chenzhou), ApplicationFactory(cycle=hunan)


@pytest.mark.parametrize(
    "query",
    [
        lambda: list(AwardCycle.objects.all()),
        lambda: AwardCycle.objects.count(),
        lambda: AwardCycle.objects.exists(),
        lambda: AwardCycle.objects.exclude(year=1).exists(),
        lambda: AwardCycle.objects.filter(year__gt=0).update(year=1),
        lambda: AwardCycle.objects.filter(year=-1).delete(),
        lambda: AwardCycle.objects.aggregate(n=Count("pk")),
        lambda: AwardCycle.objects.values_list("pk", flat=True).first(),
        lambda: list(AwardCycle.objects.iterator()),
        lambda: AwardProgramme.objects.get(slug="chenzhou"),
        lambda: ScoreSheet.objects.filter(pk=1).first(),
    ],
    ids=["list", "count", "exists", "exclude", "update", "delete", "aggregate", "values", "iterator", "get", "deep"],
)
def test_a_query_outside_any_scope_fails_loudly(two_programmes, query):
    with no_scope(), pytest.raises(ScopeError, match="outside any programme scope"):
        query()


def test_an_unscoped_queryset_fails_the_query_it_is_a_subquery_of(two_programmes):
    with no_scope():
        cycles = AwardCycle.objects.all()
    with programme_scope([two_programmes[0].programme_id]), pytest.raises(ScopeError):
        list(Application.objects.filter(cycle__in=cycles))


def test_a_scope_reads_its_programmes_rows_only(two_programmes):
    chenzhou, hunan, app_c, app_h = two_programmes
    with programme_scope([chenzhou.programme_id]):
        assert list(AwardCycle.objects.all()) == [chenzhou]
        assert list(Application.objects.all()) == [app_c]
        assert not Application.objects.filter(pk=app_h.pk).exists()
        assert list(AwardProgramme.objects.values_list("slug", flat=True)) == ["chenzhou"]
        # a reverse relation and a prefetch go through the scoped manager too
        programme_h = AwardProgramme._base_manager.get(pk=hunan.programme_id)
        assert list(programme_h.cycles.all()) == []
        assert [list(p.cycles.all()) for p in AwardProgramme.objects.prefetch_related("cycles")] == [[chenzhou]]
        # an object already loaded follows its foreign keys (the base manager): it was reached in scope
        assert app_c.cycle.programme.slug == "chenzhou"
    with programme_scope([chenzhou.programme_id, hunan.programme_id]):
        assert Application.objects.count() == 2
    with programme_scope([]):
        assert Application.objects.count() == 0


def test_every_programme_reads_all_rows_and_nests(two_programmes):
    chenzhou = two_programmes[0]
    with no_scope():
        with every_programme():
            assert Application.objects.count() == 2
            assert current_programmes() is None
            with programme_scope([chenzhou.programme_id]):
                assert Application.objects.count() == 1
                assert current_programmes() == (chenzhou.programme_id,)
            assert Application.objects.count() == 2
        with pytest.raises(ScopeError):
            current_programmes()


def test_a_lazy_scope_is_computed_once_and_only_when_a_query_needs_it(two_programmes):
    chenzhou = two_programmes[0]
    calls = []

    def compute():
        calls.append(1)
        return [chenzhou.programme_id]

    with programme_scope(compute):
        assert calls == []
        assert Application.objects.count() == 1
        assert AwardCycle.objects.count() == 1
    assert calls == [1]


def test_a_task_runs_across_programmes(two_programmes, settings):
    """The project's task class: a task has no person to bound it, so it sees every programme."""
    from config.celery import app  # noqa: PLC0415

    @app.task(name="tests.count_applications")
    def count_applications():
        return Application.objects.count()

    with no_scope():
        assert count_applications() == 2
        assert count_applications.apply().get() == 2
