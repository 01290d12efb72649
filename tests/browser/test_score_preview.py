"""The scoring sheet's live preview (static/js/reviews.js) in Chromium agrees with reviews.scoring to
the cent: its scale comes from the page, each item's points and each category's sum are what the
server computes, on seed_demo's data (a demo expert's open sheet)."""

from decimal import Decimal

from django.core.management import call_command

from awards.scale import BANDS, PERCENTAGES, scale_for_page
from core.demo import DEMO_PASSWORD
from reviews import scoring
from reviews.enums import AssignmentStatus, SheetStatus
from reviews.models import Assignment
from reviews.selectors import sheet_view
from tests.factories.reviews import framework_items

from .conftest import login

UNREADABLE = ["", "7", "105", "-5", "abc", "12.5"]


def _open_demo_sheet():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    candidates = Assignment.objects.filter(status=AssignmentStatus.ACCEPTED).select_related("panel__round__cycle")
    for a in candidates.order_by("pk"):
        sheet = getattr(a, "sheet", None)
        if a.panel.round.is_open() and (sheet is None or sheet.status == SheetStatus.DRAFT):
            return a
    raise AssertionError("seed_demo has no open sheet")


def test_the_sheets_live_preview_agrees_with_the_score_engine(page):
    assignment = _open_demo_sheet()
    login(page, assignment.expert.email, DEMO_PASSWORD)
    page.goto(page.base + f"/reviews/assignment/{assignment.pk}/")
    page.wait_for_function("window.mqaScorePreview !== undefined")

    # The scale is the page's, rendered from awards/scale.py.
    assert page.evaluate("JSON.parse(document.getElementById('score-scale').textContent)") == scale_for_page()

    # Every item's points at every percentage the scale allows, and the refused ones.
    items = framework_items(assignment.panel.round.cycle)
    pairs = [(i.points, pct) for i in {i.points: i for i in items}.values() for pct in PERCENTAGES]
    cents = page.evaluate(
        "pairs => pairs.map(([pts, pct]) => window.mqaScorePreview.itemCents(pts, String(pct)))", pairs
    )
    assert [Decimal(c) / 100 for c in cents] == [scoring.points(p, pct) for p, pct in pairs]
    refused = page.evaluate("raws => raws.map(r => window.mqaScorePreview.itemCents(10, r))", UNREADABLE)
    assert refused == [None] * len(UNREADABLE)
    bands = page.evaluate("ps => ps.map(p => window.mqaScorePreview.bandIndex(p))", PERCENTAGES)
    assert bands == [scoring.band_for(p) for p in PERCENTAGES] and max(bands) == len(BANDS) - 1

    # Typed into the sheet: every item's points and every category's sum as the server has them.
    typed = {i.pk: PERCENTAGES[(7 * n + 3) % len(PERCENTAGES)] for n, i in enumerate(items)}
    for item in items:
        page.locator(f"#id_item-{item.pk}").fill(str(typed[item.pk]))
    categories, _total, _done = sheet_view(assignment=assignment, overrides={"scores": typed})
    for cat in categories:
        for row in cat.items:
            shown = page.locator(f"#item-{row.item.pk} .item-points").text_content()
            assert Decimal(shown) == row.points, row.item.code
            current = page.locator(f"#item-{row.item.pk} .band-text.band-current")
            assert current.get_attribute("data-low") == str(BANDS[scoring.band_for(typed[row.item.pk])][0])
        fieldset = page.locator("fieldset.category").filter(has=page.locator(f"#item-{cat.items[0].item.pk}"))
        assert Decimal(fieldset.locator(".category-points").text_content()) == cat.points, cat.category.code

    # A value off the step shows no points and leaves it out of the category's sum.
    first = categories[0].items[0]
    page.locator(f"#id_item-{first.item.pk}").fill("7")
    assert page.locator(f"#item-{first.item.pk} .item-points").text_content() == "—"
    fieldset = page.locator("fieldset.category").first
    assert Decimal(fieldset.locator(".category-points").text_content()) == categories[0].points - first.points
    assert not page.problems, page.problems
