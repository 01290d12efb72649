"""The scoring sheet keeps its material and fields per state (reviews.views._sheet_page): a plain view of an
unchanged sheet reads them from the cache, and every change an expert or the office can make shows at once."""

import datetime as dt
from unittest import mock

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reviews import services
from reviews.models import ReviewRound
from tests.factories.reviews import framework_items, submitted_sheet


def _url(assignment):
    return reverse("reviews:sheet", args=[assignment.pk])


def _form(html):
    return html.split('class="sheet-form"', 1)[1].split("</form>", 1)[0]


def _token(html):
    return _form(html).split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def _fields(html):
    """What the sheet's form holds after its CSRF token: the kept part."""
    return _form(html).split('name="csrfmiddlewaretoken"', 1)[1].split(">", 1)[1]


def test_a_second_view_reads_the_kept_parts_and_draws_the_rest(client_for, review, expert, cycle):
    _panel, lead, _peers = review
    items = framework_items(cycle)
    services.sheet_save(assignment=lead, by=expert, scores={items[0].pk: 65})
    c = client_for(expert)
    first = c.get(_url(lead))
    with CaptureQueriesContext(connection) as kept:
        second = c.get(_url(lead))
    assert first.status_code == second.status_code == 200
    assert _fields(first.content.decode()) == _fields(second.content.decode())
    assert 'value="65"' in _fields(second.content.decode())
    assert 'class="card material"' in second.content.decode()
    sql = " ".join(q["sql"] for q in kept.captured_queries)
    # neither the item scores, the snapshot nor the previous report were read again
    assert "reviews_itemscore" not in sql and "awards_applicationsnapshot" not in sql
    assert "feedback_feedbackreport" not in sql and "feedback_opportunityresponse" not in sql


def test_a_saved_value_shows_on_the_next_view(client_for, review, expert, cycle):
    _panel, lead, _peers = review
    item = framework_items(cycle)[0]
    c = client_for(expert)
    assert f'name="item-{item.pk}"' in c.get(_url(lead)).content.decode()
    c.post(reverse("reviews:autosave", args=[lead.pk]), {f"item-{item.pk}": "80"}, HTTP_HX_REQUEST="true")
    html = c.get(_url(lead)).content.decode()
    assert 'value="80"' in html
    response = c.post(_url(lead), {f"item-{item.pk}": "75", "overall_comment": "再看一遍", "action": "save"})
    assert response.status_code == 302
    html = c.get(_url(lead)).content.decode()
    assert 'value="75"' in html and "再看一遍" in html and 'value="80"' not in html


def test_a_reopened_sheet_is_editable_at_once(client_for, review, expert, secretary):
    _panel, lead, _peers = review
    sheet = submitted_sheet(lead, 50)
    c = client_for(expert)
    html = c.get(_url(lead)).content.decode()
    assert 'value="submit"' not in _form(html) and "disabled" in _fields(html)
    services.sheet_reopen(sheet=sheet, by=secretary, reason="录入错误")
    html = c.get(_url(lead)).content.decode()
    assert 'value="submit"' in _form(html) and "hx-post" in html and "disabled" not in _fields(html)


def test_a_round_that_closes_makes_the_kept_sheet_read_only(client_for, review, expert):
    _panel, lead, _peers = review
    closes = timezone.now() + dt.timedelta(minutes=1)
    ReviewRound.objects.filter(pk=lead.panel.round_id).update(closes_at=closes)
    c = client_for(expert)
    assert 'value="submit"' in _form(c.get(_url(lead)).content.decode())
    # the close passes without any write: the state the parts are kept under says so
    later = closes + dt.timedelta(minutes=1)
    with mock.patch("django.utils.timezone.now", return_value=later):
        html = c.get(_url(lead)).content.decode()
    assert "sheet-closed" in html and 'value="submit"' not in _form(html) and "disabled" in _fields(html)


def test_each_visit_draws_its_own_csrf_token_around_the_kept_fields(client_for, review, expert):
    _panel, lead, _peers = review
    first = client_for(expert).get(_url(lead)).content.decode()
    second = client_for(expert).get(_url(lead)).content.decode()  # another session of the same expert
    assert _fields(first) == _fields(second)
    assert _token(first) != _token(second)
    assert "csrfmiddlewaretoken" not in _fields(first)


def test_a_refused_save_shows_the_typed_values_not_the_kept_fields(client_for, review, expert, cycle):
    _panel, lead, _peers = review
    item = framework_items(cycle)[0]
    c = client_for(expert)
    c.get(_url(lead))  # kept, blank
    response = c.post(_url(lead), {f"item-{item.pk}": "150", "action": "save"})
    assert response.status_code == 400 and 'value="150"' in response.content.decode()
    assert 'value="150"' not in c.get(_url(lead)).content.decode()
