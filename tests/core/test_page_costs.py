"""What a page costs must not grow with the rows behind it.

One world of every kind of record (applications in the queue, panels with scores, a meeting with
ballots and votes, a public notice with objections, certificates, an expert pool), measured at two
sizes: every list page of the site and every admin changelist and change page must send the same
number of SQL queries with 2 units of rows as with 6. The pages are generated from the URL
configuration and the admin registry, so a new page cannot escape: each named URL is either
measured here or exempted with the reason.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from awards.enums import ApplicationStatus, CycleRole
from awards.models import ApplicationSnapshot
from committee.enums import VoteChoice
from committee.models import Ballot, Objection, PublicNotice, Vote
from core.enums import OutboxKind, OutboxStatus
from core.models import OutboxMessage
from enterprises.models import NameChangeRequest
from tests.factories.awards import ApplicationFactory, CycleFactory, CycleMembershipFactory
from tests.factories.certificates import issued_certificate
from tests.factories.committee import committee_of, nominated_application, schedule
from tests.factories.core import UserFactory
from tests.factories.enterprises import MembershipFactory
from tests.factories.reviews import (
    AssignmentFactory,
    ExpertProfileFactory,
    PanelFactory,
    ReviewRoundFactory,
    submitted_sheet,
)
from vetting.enums import InvitationResponse, SessionStatus
from vetting.models import (
    OpinionRequest,
    PresentationNote,
    PresentationScore,
    PresentationSession,
    PresentationSlot,
    Recommendation,
)
from vetting.services import presentation_results_refresh

SMALL, GROWN = 2, 6
MAX_QUERIES = 30
# Pages allowed more than a list page's cap, each with its reason (still constant in the rows).
QUERY_CAPS = {
    "committee:meeting": (
        36,
        "the meeting page is several lists at once (attendance, quorum, the open ballots and a page of the "
        "agenda with their votes and recusals, award levels, ties, remarks, schedule changes)",
    ),
}


class World:
    def __init__(self):
        self.cycle = CycleFactory()
        self.admin = UserFactory(email="root@costs.example.cn", is_superuser=True, is_staff=True)
        self.secretary = CycleMembershipFactory(
            cycle=self.cycle, role=CycleRole.SECRETARY, user=UserFactory(email="sec@costs.example.cn")
        ).user
        self.experts = [
            CycleMembershipFactory(
                cycle=self.cycle, role=CycleRole.EXPERT, user=UserFactory(email=f"e{i}@costs.example.cn")
            ).user
            for i in range(5)
        ]
        for e in self.experts:
            ExpertProfileFactory(user=e)
        self.members = committee_of(self.cycle, n=7)
        self.recommender = CycleMembershipFactory(
            cycle=self.cycle,
            role=CycleRole.RECOMMENDER,
            district="431002",
            unit="北湖区市场监督管理局",
            user=UserFactory(email="amr@costs.example.cn"),
        ).user
        self.department = CycleMembershipFactory(
            cycle=self.cycle, role=CycleRole.DEPARTMENT, unit="市税务局", user=UserFactory(email="sw@costs.example.cn")
        ).user
        self.round = ReviewRoundFactory(cycle=self.cycle)
        self.notice = PublicNotice.objects.create(
            cycle=self.cycle,
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate() + dt.timedelta(days=7),
            published_by=self.secretary,
        )
        self.units = 0
        self.meeting = None
        self.grow_to(1)
        self.meeting = schedule(self.cycle, self.secretary)
        self.panel = self.round.panels.order_by("pk").first()
        self.applicant = MembershipFactory(
            enterprise=self.panel.application.enterprise, user=UserFactory(email="app@costs.example.cn")
        ).user

    def grow_to(self, units: int) -> None:
        while self.units < units:
            self._unit(self.units)
            self.units += 1

    def _unit(self, i: int) -> None:
        now = timezone.now()
        submitted = ApplicationFactory(
            cycle=self.cycle, status=ApplicationStatus.SUBMITTED, submitted_at=now, receipt_number=f"COST-{i}"
        )
        snapshot = ApplicationSnapshot.objects.create(
            application=submitted, number=1, receipt_number=submitted.receipt_number, data={}
        )
        Recommendation.objects.create(
            application=submitted,
            snapshot=snapshot,
            decision="recommended",
            opinion="同意推荐",
            by=self.recommender,
            unit="北湖区市场监督管理局",
            district="431002",
            decided_at=now,
        )
        OpinionRequest.objects.create(
            application=submitted,
            department=self.department,
            unit="市税务局",
            deadline=timezone.localdate(),
            sent_by=self.secretary,
            sent_at=now,
        )
        nominated = nominated_application(self.cycle)
        panel = PanelFactory(round=self.round, application=nominated)
        for n, expert in enumerate(self.experts):
            submitted_sheet(AssignmentFactory(panel=panel, expert=expert, is_leader=n == 0), 60 + 5 * n)
        if self.meeting is not None:
            ballot = Ballot.objects.create(meeting=self.meeting, application=nominated, rank=i + 1)
            Vote.objects.bulk_create(Vote(ballot=ballot, member=m, choice=VoteChoice.APPROVE) for m in self.members)
        issued_certificate(cycle=self.cycle)
        candidate = ApplicationFactory(cycle=self.cycle, status=ApplicationStatus.PUBLIC_NOTICE)
        self.notice.applications.add(candidate)
        Objection.objects.create(
            notice=self.notice, application=candidate, name=f"王{i}", contact="0735-7654321", reasons="事实与理由"
        )
        ExpertProfileFactory()  # one more expert in the pool, not in the cycle
        enterprise = candidate.enterprise
        NameChangeRequest.objects.create(
            enterprise=enterprise,
            old_name_zh=enterprise.name_zh,
            old_credit_code=enterprise.credit_code,
            new_name_zh=f"{enterprise.name_zh}（新）",
            new_credit_code=enterprise.credit_code,
            reason="更名",
            requested_by=self.secretary,
        )
        self._site_visit(i)
        self._presentation(i)
        OutboxMessage.objects.create(
            kind=OutboxKind.MAIL,
            task_name="core.tasks.send_templated_mail",
            template="application_received",
            recipient=f"r{i}@costs.example.cn",
            cycle=self.cycle,
            status=OutboxStatus.FAILED if i % 2 else OutboxStatus.SENT,
            last_error="connection refused" if i % 2 else "",
        )

    def _presentation(self, i: int) -> None:
        """A public presentation session heard by experts[0], with a confirmed slot, a note and a score."""
        now = timezone.now()
        session = PresentationSession.objects.create(
            cycle=self.cycle,
            starts_at=now + dt.timedelta(days=i),
            duration_minutes=60,
            place=f"会议室{i}",
            is_public=True,
            status=SessionStatus.OPEN,
            created_by=self.secretary,
        )
        session.panel.add(self.experts[0])
        slot = PresentationSlot.objects.create(
            session=session,
            application=ApplicationFactory(cycle=self.cycle, status=ApplicationStatus.PRESENTATION),
            starts_at=session.starts_at,
            invited_at=now,
            response=InvitationResponse.CONFIRMED,
        )
        PresentationNote.objects.create(slot=slot, category="4.1", question="问", by=self.experts[0], recorded_at=now)
        PresentationScore.objects.create(slot=slot, by=self.experts[0], score=80, scale_max=100, weight=0, given_at=now)
        presentation_results_refresh(application_ids=[slot.application_id])

    def _site_visit(self, i: int) -> None:
        """A shortlisted application with its on-site panel (led by experts[0]) and an open visit with a log."""
        from onsite.models import SiteVisit, VisitIssue, VisitLog
        from reviews.enums import RoundKind

        app = ApplicationFactory(cycle=self.cycle, status=ApplicationStatus.ONSITE_REVIEW)
        onsite_round = ReviewRoundFactory(cycle=self.cycle, kind=RoundKind.ONSITE)
        panel = PanelFactory(round=onsite_round, application=app)
        AssignmentFactory(panel=panel, expert=self.experts[0], is_leader=True)
        visit = SiteVisit.objects.create(application=app, panel=panel)
        item = self.cycle.framework.categories.first().items.first()
        issue = VisitIssue.objects.create(
            visit=visit, item=item, kind="verify", text=f"核实{i}", raised_by=self.experts[0]
        )
        VisitLog.objects.create(
            visit=visit, issue=issue, kind="document", subject="制度", notes="n", author=self.experts[0]
        )


# --- the pages -------------------------------------------------------------------------------------


# name -> (persona, arguments): every page that lists rows, and the dashboards.
def _pages(w: World) -> dict[str, tuple[str, dict]]:
    c = {"pk": w.cycle.pk}
    return {
        "core:home": ("anonymous", {}),
        "committee:notice": ("anonymous", {}),
        "committee:winners": ("anonymous", {}),
        "committee:winners_year": ("anonymous", {"year": w.cycle.year}),
        "core:programmes": ("anonymous", {}),
        # A programme's public pages under its slug: the same views as the root's.
        "programme:home": ("anonymous", {"programme": w.cycle.programme.slug}),
        "programme:notice": ("anonymous", {"programme": w.cycle.programme.slug}),
        "programme:notice_year": ("anonymous", {"programme": w.cycle.programme.slug, "year": w.cycle.year}),
        "programme:winners": ("anonymous", {"programme": w.cycle.programme.slug}),
        "programme:winners_year": ("anonymous", {"programme": w.cycle.programme.slug, "year": w.cycle.year}),
        "core:dashboard": ("secretary", {}),
        "awards:queue": ("secretary", {}),
        "enterprises:office_list": ("secretary", {}),
        "reviews:cycles": ("secretary", {}),
        "reviews:experts": ("secretary", c),
        "reviews:panels": ("secretary", {"pk": w.round.pk}),
        "reviews:cycle": ("secretary", c),
        "reviews:ranking": ("secretary", c),
        "reviews:health": ("secretary", c),
        "reviews:my_record": ("expert", {}),
        "reviews:my_work": ("expert", {}),
        "reviews:panel": ("expert", {"pk": w.panel.pk}),
        "committee:my_committee": ("member", {}),
        "committee:cycle": ("secretary", {"cycle_id": w.cycle.pk}),
        "awards:stages": ("secretary", c),
        "vetting:queue": ("recommender", {}),
        "vetting:office": ("secretary", {"cycle_id": w.cycle.pk}),
        "vetting:opinions": ("department", {}),
        "vetting:office_opinions": ("secretary", {"cycle_id": w.cycle.pk}),
        "committee:objections": ("secretary", {"cycle_id": w.cycle.pk}),
        "certificates:index": ("secretary", {}),
        "certificates:cycle": ("secretary", {"cycle_id": w.cycle.pk}),
        "certificates:progress": ("secretary", {"cycle_id": w.cycle.pk}),
        "committee:notice_year": ("anonymous", {"year": w.cycle.year}),
        "enterprises:office_name_changes": ("secretary", {}),
        "core:outbox": ("secretary", {}),
        "onsite:my_visits": ("expert", {}),
        "vetting:office_presentations": ("secretary", {"cycle_id": w.cycle.pk}),
        "vetting:presentations": ("expert", {}),
        "vetting:public_presentations": ("anonymous", {}),
        "vetting:office_presentation": (
            "secretary",
            {"session_id": PresentationSession.objects.order_by("pk").first().pk},
        ),
        "feedback:cycle": ("secretary", {"cycle_id": w.cycle.pk}),
        "feedback:leader": ("expert", {}),
        # The committee's pages read the stored panel scores (reviews.PanelScore), never the item scores.
        "committee:meeting": ("secretary", {"pk": w.meeting.pk}),
        "committee:report": ("member", {"pk": w.meeting.pk}),
        "committee:dossier": ("member", {"pk": w.meeting.ballots.order_by("rank", "pk").first().pk}),
    }


# Pages not measured here, and why (each must say; a new URL without an entry fails the test below).
EXEMPT = {
    "reviews:expert_record": "one expert (a few queries per cycle the expert worked in, not per row)",
    "reviews:rate": "form",
    "core:language": "POST only",
    "awards:mine": "redirects to the enterprise's application",
    "enterprises:mine": "redirects to the enterprise's profile",
    "core:healthz": "no rows",
    "core:favicon": "static file",
    "login": "form",
    "logout": "POST only",
    "password_change": "form",
    "password_change_done": "message",
    "password_reset": "form",
    "password_reset_done": "message",
    "password_reset_confirm": "form",
    "password_reset_complete": "message",
    "enterprises:register": "form",
    "enterprises:verify_resend": "form",
    "enterprises:verify_email": "one token",
    "enterprises:create": "form",
    "enterprises:detail": "one enterprise",
    "enterprises:edit": "form",
    "enterprises:members": "one enterprise's members (a handful)",
    "enterprises:invite": "POST only",
    "enterprises:revoke": "POST only",
    "enterprises:remove_member": "POST only",
    "enterprises:invitation": "one invitation",
    "enterprises:office_detail": "one enterprise",
    "awards:start": "POST only",
    "awards:application": "one application",
    "awards:attachments": "one application's files",
    "awards:attachment": "file download",
    "awards:attachment_remove": "POST only",
    "awards:submit": "one application",
    "awards:withdraw": "one application",
    "awards:snapshot": "one version",
    "awards:section": "one form",
    "awards:review": "one application",
    "reviews:profile": "form",
    "reviews:declare": "one assignment",
    "reviews:sheet": "one score sheet",
    "reviews:autosave": "POST only",
    "reviews:consensus": "one item",
    "reviews:round_edit": "form",
    "reviews:panel_edit": "one panel",
    "reviews:sheet_reopen": "one sheet",
    "reviews:ranking_decide": "POST only",
    "reviews:export": "file: measured by bench/pages.py (streamed)",
    "committee:meeting_new": "form",
    "committee:notice_publish": "POST only",
    "committee:confirm": "form with the cycle's winners (quota-bounded)",
    "committee:meeting_invite": "POST only",
    "committee:meeting_agenda": "POST only",
    "committee:meeting_open": "POST only",
    "committee:meeting_attendance": "POST only",
    "committee:meeting_ranks": "POST only",
    "committee:meeting_tie": "POST only",
    "committee:meeting_remark": "POST only",
    "committee:meeting_close": "POST only",
    "committee:report_pdf": "file",
    "committee:minutes_pdf": "file",
    "committee:ballot_open": "POST only",
    "committee:ballot_close": "POST only",
    "committee:ballot_vote": "POST only",
    "committee:ballot_recuse": "POST only",
    "committee:objection_handle": "one objection",
    "committee:objection_evidence": "file",
    "committee:objection_new": "form",
    "committee:objection_done": "message",
    "certificates:issue": "POST only",
    "certificates:regenerate": "POST only",
    "certificates:retry": "POST only",
    "certificates:revoke": "one certificate",
    "certificates:download": "file",
    "certificates:verify": "one certificate",
    "awards:receipt": "one application",
    "vetting:recommend": "one application",
    "vetting:scan": "file",
    "vetting:opinion": "one request",
    "vetting:opinion_evidence": "file",
    "committee:meeting_reschedule": "form",
    "committee:notice_period": "form with one notice's changes (a handful)",
    "core:dev_mail": "DEBUG-only development mailbox (files on disk, not the database)",
    "core:dev_mail_detail": "one message",
    "core:outbox_retry": "POST only",
    "enterprises:name_change": "form",
    "enterprises:office_name_change": "one request",
    "enterprises:register_done": "message",
    "twofactor:overview": "one person's devices",
    "twofactor:setup": "form",
    "twofactor:verify": "form",
    "twofactor:recovery_codes": "one person's codes",
    "twofactor:disable": "form",
    "onsite:open": "POST only",
    "onsite:flags": "one expert's sheet: the framework's items (fixed)",
    "onsite:visit": "one visit (its queries are checked constant in tests/onsite/test_views.py)",
    "onsite:dates": "POST only",
    "onsite:plan_add": "POST only",
    "onsite:plan_remove": "POST only",
    "onsite:issue_add": "POST only",
    "onsite:log": "form",
    "onsite:consensus": "form",
    "onsite:close": "form",
    "onsite:evidence": "file",
    "onsite:summary": "one visit's findings",
    "printouts:index": "one application's two PDFs",
    "printouts:request": "POST only",
    "printouts:download": "file",
    "feedback:archive": "file (streamed zip)",
    "feedback:start": "POST only",
    "feedback:opportunities": "one application's previous opportunities (a handful)",
    "feedback:report": "one report",
    "feedback:edit": "one report",
    "feedback:approve": "POST only",
    "feedback:return": "POST only",
    "feedback:release_date": "form",
    "feedback:correct": "form",
    "feedback:pdf": "file",
    "feedback:action": "POST only",
    "vetting:presentation": "one slot's questions and scores (a panel's handful)",
    "vetting:invitation": "one invitation",
}


def _url_names(resolver=None, namespace="") -> set[str]:
    names = set()
    for p in (resolver or get_resolver()).url_patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin" or p.app_name == "admin":
                continue
            names |= _url_names(p, f"{namespace}{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name:
            names.add(namespace + p.name)
    return names


def _admin_urls() -> list[str]:
    urls = []
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        urls.append(reverse(f"admin:{info[0]}_{info[1]}_changelist"))
        first = model_admin.get_queryset(_AdminRequest()).order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"admin:{info[0]}_{info[1]}_change", args=[first.pk]))
    return sorted(urls)


class _AdminRequest:
    """Enough of a request for ModelAdmin.get_queryset (which reads nothing from it here)."""

    user = None


def _clients(w: World) -> dict[str, Client]:
    users = {
        "secretary": w.secretary,
        "expert": w.experts[0],
        "member": w.members[0],
        "applicant": w.applicant,
        "admin": w.admin,
        "recommender": w.recommender,
        "department": w.department,
    }
    clients = {"anonymous": Client()}
    for name, user in users.items():
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def _cost(client: Client, url: str) -> tuple[int, int]:
    client.get(url)  # warm: sessions, caches and lazy imports cost the same afterwards
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, len(queries)


def _measure(w: World) -> dict[str, tuple[int, int]]:
    clients = _clients(w)
    costs = {}
    for name, (persona, kwargs) in _pages(w).items():
        costs[name] = _cost(clients[persona], reverse(name, kwargs=kwargs))
    for url in _admin_urls():
        costs[url] = _cost(clients["admin"], url)
    return costs


@pytest.fixture
def world(db):
    w = World()
    w.grow_to(SMALL)
    return w


def test_every_named_url_is_measured_or_exempted_with_a_reason(world):
    names = _url_names()
    measured = set(_pages(world))
    assert names - measured - set(EXEMPT) == set(), "a page neither measured nor exempted"
    assert (measured | set(EXEMPT)) - names == set(), "an entry names no URL"
    assert all(EXEMPT.values())


def test_no_page_sends_more_queries_with_more_rows(world):
    small = _measure(world)
    world.grow_to(GROWN)
    grown = _measure(world)
    assert {k: s for k, (s, _n) in small.items() if s != 200} == {}
    assert {k: s for k, (s, _n) in grown.items() if s != 200} == {}
    growing = {k: (small[k][1], grown[k][1]) for k in small if grown[k][1] != small[k][1]}
    assert growing == {}, f"query counts at {SMALL} → {GROWN} units"
    # A full page (an admin changelist shows 100 rows) must not read its rows one by one either.
    heavy = {k: n for k, (_s, n) in grown.items() if n > QUERY_CAPS.get(k, (MAX_QUERIES,))[0]}
    assert heavy == {}, f"pages sending more than {MAX_QUERIES} queries (or their cap in QUERY_CAPS)"
    assert len(small) > 60  # the site's list pages and every admin changelist and change page


# --- pagination and filters of each office list -------------------------------------------------

ROWS = 51  # with 25 a page: pages of 25, 25 and 1


def _rows_queue(cycle):
    from tests.factories.enterprises import EnterpriseFactory

    for i in range(ROWS):
        ApplicationFactory(
            cycle=cycle,
            enterprise=EnterpriseFactory(name_zh=f"分页企业{i:02d}"),
            status=ApplicationStatus.SUBMITTED,
            submitted_at=timezone.now() - dt.timedelta(minutes=ROWS - i),
            receipt_number=f"PAGE-{i:02d}",
        )
    return reverse("awards:queue"), {}


def _rows_enterprises(cycle):
    from tests.factories.enterprises import EnterpriseFactory

    for i in range(ROWS):
        EnterpriseFactory(name_zh=f"分页企业{i:02d}")
    return reverse("enterprises:office_list"), {}


def _rows_certificates(cycle):
    from certificates.models import Certificate

    level = cycle.levels.get(code="mayor")
    apps = [ApplicationFactory(cycle=cycle, status=ApplicationStatus.AWARDED, award_level=level) for _ in range(ROWS)]
    Certificate.objects.bulk_create(
        Certificate(
            application=a,
            cycle=cycle,
            award_level=level,
            number=i + 1,
            serial=f"PAGE-{i + 1:03d}",
            verification_code=f"{i:032d}",
            verification_url=f"https://award.example.org/verify/{i:032d}/",
            issued_on=timezone.localdate(),
            status="ready",
        )
        for i, a in enumerate(apps)
    )
    return reverse("certificates:cycle", args=[cycle.pk]), {}


def _rows_objections(cycle):
    secretary = cycle.memberships.get(role=CycleRole.SECRETARY).user
    notice = PublicNotice.objects.create(
        cycle=cycle, starts_on=timezone.localdate(), ends_on=timezone.localdate(), published_by=secretary
    )
    candidate = ApplicationFactory(cycle=cycle, status=ApplicationStatus.PUBLIC_NOTICE)
    notice.applications.add(candidate)
    Objection.objects.bulk_create(
        Objection(notice=notice, application=candidate, name=f"分页{i:02d}", contact="x", reasons="y")
        for i in range(ROWS)
    )
    return reverse("committee:objections", args=[cycle.pk]), {}


LISTS = {
    "queue": (_rows_queue, {"q": "没有这个企业"}),
    "enterprises": (_rows_enterprises, {"q": "没有这个企业"}),
    "certificates": (_rows_certificates, {"status": "failed"}),
    "objections": (_rows_objections, {"q": "没有这个人"}),
}


@pytest.fixture
def office(db):
    cycle = CycleFactory()
    secretary = CycleMembershipFactory(
        cycle=cycle, role=CycleRole.SECRETARY, user=UserFactory(email="sec@pages.example.cn")
    ).user
    client = Client()
    client.force_login(secretary)
    return cycle, client


def _rows_on(html: str, table: str = "") -> int:
    """Rows of the first table body (after `table`, when the page has more than one table)."""
    body = html.split(table, 1)[1] if table else html
    body = body.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return body.count("<tr")


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_pages_first_middle_and_last(office, name):
    cycle, client = office
    url, params = LISTS[name][0](cycle)
    first = client.get(url, {**params, "size": 25}).content.decode()
    assert _rows_on(first) == 25
    assert f"1–25 of {ROWS}" in first or f"第 1–25 条，共 {ROWS} 条" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    middle = client.get(url, {**params, "size": 25, "page": 2}).content.decode()
    assert _rows_on(middle) == 25 and 'rel="next"' in middle and 'rel="prev"' in middle
    assert "26–50" in middle
    last = client.get(url, {**params, "size": 25, "page": 3}).content.decode()
    assert _rows_on(last) == 1 and 'rel="next"' not in last and "51–51" in last
    # The default: 50 a page.
    assert _rows_on(client.get(url, params).content.decode()) == 50


@pytest.mark.parametrize("name", sorted(LISTS))
def test_each_list_says_when_the_filter_matches_nothing(office, name):
    cycle, client = office
    rows, empty = LISTS[name]
    url, _params = rows(cycle)
    response = client.get(url, empty)
    html = response.content.decode()
    assert response.status_code == 200
    assert "No rows" in html or "没有记录" in html
    assert 'rel="next"' not in html


def test_bad_page_numbers_and_sizes_never_fail(office):
    cycle, client = office
    url, _params = _rows_queue(cycle)
    # Past the end (or below 1): the last page; not a number: the first; an unknown size: 50.
    expected = {"0": 1, "-1": 1, "9999": 1, "2": 1, "abc": 50, "1e3": 50, "2.5": 50, "": 50}
    for page, rows in expected.items():
        for size in ["", "7", "abc", "100000", "-25"]:
            response = client.get(url, {"page": page, "size": size})
            assert response.status_code == 200, (page, size)
            assert _rows_on(response.content.decode()) == rows, (page, size)


# --- the review pages: panels, the matrix (paged by panel) and the ranking ----------------------


def _review_rows(cycle, n=ROWS):
    """`n` applications in material review, each with a panel of the round (no sheets yet)."""
    from tests.factories.enterprises import EnterpriseFactory

    rnd = ReviewRoundFactory(cycle=cycle)
    for i in range(n):
        app = ApplicationFactory(
            cycle=cycle,
            enterprise=EnterpriseFactory(name_zh=f"分页企业{i:02d}"),
            status=ApplicationStatus.MATERIAL_REVIEW,
        )
        PanelFactory(round=rnd, application=app)
    return rnd


REVIEW_PAGES = {
    "panels": (lambda cycle, rnd: reverse("reviews:panels", args=[rnd.pk]), ""),
    "matrix": (lambda cycle, rnd: reverse("reviews:cycle", args=[cycle.pk]), 'class="table table-compact matrix"'),
    "ranking": (lambda cycle, rnd: reverse("reviews:ranking", args=[cycle.pk]), 'class="table table-compact ranking"'),
}


@pytest.mark.parametrize("name", sorted(REVIEW_PAGES))
def test_each_review_page_pages_first_middle_and_last(office, name):
    cycle, client = office
    rnd = _review_rows(cycle)
    url_of, table = REVIEW_PAGES[name]
    url = url_of(cycle, rnd)
    first = client.get(url, {"size": 25}).content.decode()
    assert _rows_on(first, table) == 25
    assert f"1–25 of {ROWS}" in first or f"第 1–25 条，共 {ROWS} 条" in first
    assert 'rel="next"' in first and 'rel="prev"' not in first
    middle = client.get(url, {"size": 25, "page": 2}).content.decode()
    assert _rows_on(middle, table) == 25 and 'rel="next"' in middle and 'rel="prev"' in middle
    assert "分页企业25" in middle and "分页企业24" not in middle
    last = client.get(url, {"size": 25, "page": 3}).content.decode()
    assert _rows_on(last, table) == 1 and 'rel="next"' not in last and "51–51" in last
    assert _rows_on(client.get(url).content.decode(), table) == 50


@pytest.mark.parametrize("name", sorted(REVIEW_PAGES))
def test_each_review_page_says_when_there_is_nothing_to_list(office, name):
    cycle, client = office
    rnd = ReviewRoundFactory(cycle=cycle)
    url_of, _table = REVIEW_PAGES[name]
    response = client.get(url_of(cycle, rnd))
    html = response.content.decode()
    assert response.status_code == 200
    assert "No rows" in html or "没有记录" in html
    assert 'rel="next"' not in html


def test_matrix_counts_are_the_whole_rounds_on_every_page(office):
    from reviews.selectors import cell_status, review_matrix

    cycle, client = office
    rnd = _review_rows(cycle, n=3)
    experts = [CycleMembershipFactory(cycle=cycle, role=CycleRole.EXPERT).user for _ in range(2)]
    panels = list(rnd.panels.order_by("pk"))
    submitted_sheet(AssignmentFactory(panel=panels[0], expert=experts[0], status="accepted"), 80)
    AssignmentFactory(panel=panels[0], expert=experts[1], status="conflict")
    AssignmentFactory(panel=panels[1], expert=experts[0], status="pending")
    AssignmentFactory(panel=panels[2], expert=experts[1], status="accepted")
    AssignmentFactory(panel=panels[2], expert=UserFactory())  # not one of the cycle's experts: no column
    matrix = review_matrix(rnd=rnd)
    now = timezone.now()
    by_hand = {}
    for row in matrix.rows:
        for a, status in row.cells:
            if a is not None:
                assert status == cell_status(a, now)
                by_hand[status] = by_hand.get(status, 0) + 1
    assert {k: v for k, v in matrix.counts.items() if v} == by_hand
    assert by_hand == {"submitted": 1, "conflict": 1, "not_declared": 1, "in_progress": 1}
    # Page 2 of one row a page still shows the round's counts.
    html = client.get(reverse("reviews:cycle", args=[cycle.pk]), {"size": 25, "page": 9}).content.decode()
    assert _rows_on(html, 'class="table table-compact matrix"') == 3


def test_ranking_shows_the_cut_off_line_and_the_shortlisted_count_on_every_page(office):
    cycle, client = office
    rnd = _review_rows(cycle)
    experts = [CycleMembershipFactory(cycle=cycle, role=CycleRole.EXPERT).user for _ in range(3)]
    # Three scored panels: 90, 80, 70 percent; one of them already shortlisted.
    for panel, percent in zip(rnd.panels.order_by("pk")[:3], (90, 80, 70), strict=True):
        for e in experts:
            submitted_sheet(AssignmentFactory(panel=panel, expert=e, status="accepted"), percent)
    shortlisted = rnd.panels.order_by("pk").first().application
    shortlisted.status = ApplicationStatus.ONSITE_REVIEW
    shortlisted.save(update_fields=["status"])
    url = reverse("reviews:ranking", args=[cycle.pk])
    for page in (1, 3):
        html = client.get(url, {"size": 25, "page": page}).content.decode()
        assert ("shortlisted for on-site review: 1" in html) or ("入围现场评审：1" in html)
        assert ("Cut-off line after rank 1" in html) or ("分数线：第 1 名之后" in html)
        assert html.count('class="cutoff"') == (1 if page == 1 else 0)
    # A preview of another cut-off: the line moves to rank 2 and says its score.
    html = client.get(url, {"cut": 2}).content.decode()
    first_rows = html.split('class="table table-compact ranking"', 1)[1].split("</tbody>", 1)[0].split("<tr")
    assert 'class="cutoff"' in first_rows[3]  # the header row, rank 1, rank 2
    # A cut-off past the ranked rows falls back to the decision's.
    past = client.get(url, {"cut": 40}).content.decode()
    assert "Cut-off line after rank 1" in past or "分数线：第 1 名之后" in past
