"""The meeting page and the report, paged: the open ballot on top of every page, forms per page,
every action still reachable, and a query count that does not grow with the agenda."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.translation import gettext, ngettext, override

from awards.enums import ApplicationStatus
from committee import services
from committee.models import Ballot, Remark
from tests.factories.awards import ApplicationFactory

pytestmark = pytest.mark.django_db

SIZE = 25  # the smallest page size offered
AGENDA_ONE = "%(n)s candidate on the agenda: %(pending)s pending, %(open)s open for voting, %(closed)s decided."
AGENDA_MANY = "%(n)s candidates on the agenda: %(pending)s pending, %(open)s open for voting, %(closed)s decided."
EMPTY = "No candidate is nominated yet: the agenda fills as the expert review nominates candidates."


def _grow(meeting, n):
    """`n` more candidates at the end of the agenda (ranks after the last)."""
    last = meeting.ballots.order_by("-rank").values_list("rank", flat=True).first() or 0
    for i in range(n):
        app = ApplicationFactory(cycle=meeting.cycle, status=ApplicationStatus.NOMINATED)
        Ballot.objects.create(meeting=meeting, application=app, rank=last + i + 1)


@pytest.fixture
def long_meeting(open_meeting, secretary):
    """52 candidates in session; the one ranked 30th is open for voting: 51 in the paged agenda."""
    _grow(open_meeting, 50)
    ballot = open_meeting.ballots.get(rank=30)
    services.ballot_open(ballot=ballot, by=secretary)
    return open_meeting


def _url(meeting, **query):
    url = reverse("committee:meeting", args=[meeting.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _count(html):
    """The pager's "x–y of n" (in the page's language) as numbers."""
    text = re.search(r'<p class="pager-count" role="status">(.*?)</p>', html).group(1)
    return tuple(int(n) for n in re.findall(r"\d+", text))


def _cards(html):
    return re.findall(r'<article class="card ballot" id="ballot-(\d+)"', html)


@pytest.mark.parametrize(("number", "rows"), [(1, 25), (2, 25), (3, 1)])
def test_agenda_pages_first_middle_and_last_with_the_open_ballot_on_top(
    long_meeting, secretary, members, client_for, number, rows
):
    opened = long_meeting.ballots.get(status="open")
    for user in (secretary, members[0]):
        html = client_for(user).get(_url(long_meeting, size=SIZE, page=number)).content.decode()
        cards = _cards(html)
        assert cards[0] == str(opened.pk), "the open ballot comes first on every page"
        assert len(cards) == 1 + rows and cards.count(str(opened.pk)) == 1
        with override("zh-hans"):
            counts = ngettext(AGENDA_ONE, AGENDA_MANY, 52) % {"n": 52, "pending": 51, "open": 1, "closed": 0}
        assert counts in html
        first = (number - 1) * SIZE + 1
        assert _count(html) == (first, first + rows - 1, 51)
    agenda = list(long_meeting.ballots.exclude(status="open").order_by("rank", "pk").values_list("pk", flat=True))
    assert cards[1:] == [str(pk) for pk in agenda[(number - 1) * SIZE : (number - 1) * SIZE + rows]]


def test_a_member_present_votes_from_any_page(long_meeting, members, client_for):
    opened = long_meeting.ballots.get(status="open")
    c = client_for(members[0])
    html = c.get(_url(long_meeting, size=SIZE, page=3)).content.decode()
    assert reverse("committee:ballot_vote", args=[opened.pk]) in html
    r = c.post(reverse("committee:ballot_vote", args=[opened.pk]), {"choice": "approve"})
    assert r.url.endswith(f"#ballot-{opened.pk}") and "page=" not in r.url  # on top of every page
    opened.refresh_from_db()
    assert opened.voters.filter(member=members[0]).exists()


def test_an_empty_agenda_says_so(meeting, secretary, members, client_for):
    meeting.ballots.all().delete()
    for user in (secretary, members[0]):
        html = client_for(user).get(_url(meeting)).content.decode()
        with override("zh-hans"):
            empty, ranks = gettext(EMPTY), gettext("Record the rank order of the candidates on this page")
        assert empty in html and _cards(html) == [] and ranks not in html


def test_forms_name_the_candidates_of_the_page_only(long_meeting, secretary, client_for):
    html = client_for(secretary).get(_url(long_meeting, size=SIZE, page=2)).content.decode()
    rank_fields = set(re.findall(r'name="rank_(\d+)"', html))
    page_two = long_meeting.ballots.exclude(status="open").order_by("rank", "pk")[SIZE : 2 * SIZE]
    opened = long_meeting.ballots.get(status="open")
    assert rank_fields == {str(b.pk) for b in page_two} | {str(opened.pk)}
    remark = html[html.index('id="remarks"') :]
    options = re.findall(r'<option value="(\d+)"', remark[remark.index('name="application"') :].split("</select>")[0])
    assert set(options) == {str(b.application_id) for b in page_two} | {str(opened.application_id)}


def test_ranks_are_saved_from_a_page_and_the_office_comes_back_to_it(long_meeting, secretary, client_for):
    page_two = list(long_meeting.ballots.exclude(status="open").order_by("rank", "pk")[SIZE : 2 * SIZE])
    untouched = long_meeting.ballots.get(rank=1)
    url = reverse("committee:meeting_ranks", args=[long_meeting.pk]) + f"?page=2&size={SIZE}"
    r = client_for(secretary).post(url, {f"rank_{b.pk}": 7 for b in page_two[:2]})
    assert r.status_code == 302 and r.url.endswith(f"?page=2&size={SIZE}#agenda")
    assert {b.rank for b in Ballot.objects.filter(pk__in=[b.pk for b in page_two[:2]])} == {7}
    untouched.refresh_from_db()
    assert untouched.rank == 1
    # Ballots not of this meeting, or malformed names, change nothing.
    r = client_for(secretary).post(url, {"rank_999999": 3, "rank_x": 2, f"rank_{untouched.pk}x": 5})
    assert r.status_code == 302
    assert Ballot.objects.get(pk=untouched.pk).rank == 1


def test_remarks_about_a_candidate_on_any_page_and_none_outside_the_agenda(long_meeting, secretary, client_for):
    far = long_meeting.ballots.get(rank=52)
    url = reverse("committee:meeting_remark", args=[long_meeting.pk]) + "?page=3"
    c = client_for(secretary)
    r = c.post(url, {"text": "建议重点关注。", "application": far.application_id})
    assert r.url.endswith("?page=3#remarks")
    assert Remark.objects.get(meeting=long_meeting).application_id == far.application_id
    stranger = ApplicationFactory(cycle=long_meeting.cycle, status=ApplicationStatus.NOMINATED)
    for bad in (stranger.pk, "x", "9" * 30):
        c.post(url, {"text": "不在议程上。", "application": bad})
    assert Remark.objects.filter(meeting=long_meeting).count() == 1
    c.post(url, {"text": "总体意见。", "application": ""})
    assert Remark.objects.filter(meeting=long_meeting, application=None).count() == 1


def test_closing_a_ballot_sends_the_office_to_its_page(long_meeting, secretary, client_for):
    c = client_for(secretary)
    opened = long_meeting.ballots.get(status="open")
    r = c.post(reverse("committee:ballot_close", args=[opened.pk]), {"confirm": "1"})
    assert r.url.endswith(f"?page=1#ballot-{opened.pk}")  # 30th of 52 with 50 a page
    last = long_meeting.ballots.get(rank=52)
    r = c.post(reverse("committee:ballot_open", args=[last.pk]))
    assert r.url.endswith(f"#ballot-{last.pk}") and "page=" not in r.url
    r = c.post(reverse("committee:ballot_close", args=[last.pk]), {"confirm": "1"})
    assert r.url.endswith(f"?page=2#ballot-{last.pk}")
    html = c.get(r.url.split("#")[0]).content.decode()
    assert str(last.pk) in _cards(html)
    member = long_meeting.cycle.memberships.filter(role="committee").first().user
    r = c.post(
        reverse("committee:ballot_recuse", args=[long_meeting.ballots.get(rank=51).pk]),
        {"member": member.pk, "reason": "亲属任职"},
    )
    assert "?page=2#ballot-" in r.url  # the 51st of 52, none open


def test_the_meeting_page_costs_the_same_queries_with_more_candidates(long_meeting, secretary, members, client_for):
    def cost(user):
        c = client_for(user)
        c.get(_url(long_meeting))
        with CaptureQueriesContext(connection) as queries:
            assert c.get(_url(long_meeting)).status_code == 200
        return len(queries)

    before = {u.pk: cost(u) for u in (secretary, members[0])}
    _grow(long_meeting, 60)
    assert {u.pk: cost(u) for u in (secretary, members[0])} == before


def test_the_report_pages_its_nominees(long_meeting, members, client_for):
    c = client_for(members[0])
    url = reverse("committee:report", args=[long_meeting.pk])
    html = c.get(url + f"?size={SIZE}&page=3").content.decode()
    assert _count(html) == (51, 52, 52)
    nominees = html[html.index('id="nominees-heading"') :]
    assert nominees.count(reverse("committee:dossier", args=[long_meeting.ballots.get(rank=52).pk])) == 1
    assert len(re.findall(r'<a href="/committee/ballots/\d+/">', nominees)) == 2
    first = c.get(url + f"?size={SIZE}").content.decode()
    assert _count(first) == (1, 25, 52)
    with CaptureQueriesContext(connection) as small:
        c.get(url)
    _grow(long_meeting, 60)
    c.get(url)  # the live review health is computed once for the new scores, then read from the cache
    with CaptureQueriesContext(connection) as grown:
        c.get(url)
    assert len(grown) == len(small)
