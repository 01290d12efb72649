import pytest
from django.db.models import Sum

from awards.enums import CycleStatus
from awards.models import CriteriaCategory, CriteriaFramework, CriteriaItem, FrameworkLocked

# The domain file's table, typed in again independently of the migration.
EXPECTED = {
    "4.1": (110, {"4.1.2": 50, "4.1.3": 30, "4.1.4": 30}),
    "4.2": (90, {"4.2.2": 40, "4.2.3": 50}),
    "4.3": (90, {"4.3.2": 40, "4.3.3": 50}),
    "4.4": (130, {"4.4.2": 60, "4.4.3": 15, "4.4.4": 20, "4.4.5": 15, "4.4.6": 10, "4.4.7": 10}),
    "4.5": (100, {"4.5.2": 50, "4.5.3": 50}),
    "4.6": (80, {"4.6.2": 40, "4.6.3": 40}),
    "4.7": (400, {"4.7.2": 80, "4.7.3": 80, "4.7.4": 80, "4.7.5": 60, "4.7.6": 50, "4.7.7": 50}),
}


@pytest.fixture
def framework(db):
    return CriteriaFramework.objects.get(code="gbt19580-2012")


def test_gbt19580_has_7_categories_23_items_1000_points(framework):
    assert framework.categories.count() == 7
    assert CriteriaItem.objects.filter(category__framework=framework).count() == 23
    assert framework.categories.aggregate(s=Sum("points"))["s"] == 1000
    assert CriteriaItem.objects.filter(category__framework=framework).aggregate(s=Sum("points"))["s"] == 1000
    assert framework.total_points == 1000


def test_gbt19580_points_per_category_and_item(framework):
    for category in framework.categories.prefetch_related("items"):
        points, items = EXPECTED[category.code]
        assert category.points == points, category.code
        assert {i.code: i.points for i in category.items.all()} == items
        assert sum(i.points for i in category.items.all()) == category.points


def test_gbt19580_kinds_and_titles(framework):
    kinds = dict(framework.categories.values_list("code", "kind"))
    assert kinds == {**{f"4.{n}": "process" for n in range(1, 7)}, "4.7": "results"}
    leadership = CriteriaCategory.objects.get(framework=framework, code="4.1")
    assert (leadership.title_zh, leadership.title_en) == ("领导", "Leadership")
    item = CriteriaItem.objects.get(code="4.7.7")
    assert (item.title_zh, item.title_en, item.kind) == ("领导方面的结果", "Leadership results", "results")


def test_framework_is_editable_until_a_cycle_opens(framework, cycle):
    item = CriteriaItem.objects.get(code="4.1.2")
    cycle.status = CycleStatus.DRAFT
    cycle.save()
    item.guidance = "更新的说明"
    item.save()  # allowed: only a draft cycle uses it
    cycle.status = CycleStatus.OPEN
    cycle.save()
    item.points = 55
    with pytest.raises(FrameworkLocked):
        item.save()
    with pytest.raises(FrameworkLocked):
        item.category.delete()
    framework.title_en = "changed"
    with pytest.raises(FrameworkLocked):
        framework.save()
    assert CriteriaItem.objects.get(code="4.1.2").points == 50


def test_admin_shows_locked_framework_read_only(client_for, admin_user, framework, cycle):
    client = client_for(admin_user)
    item = CriteriaItem.objects.get(code="4.1.2")
    response = client.post(f"/admin/awards/criteriaitem/{item.pk}/change/", {"points": 99})
    assert response.status_code == 403 or "points" not in response.content.decode()
    item.refresh_from_db()
    assert item.points == 50
