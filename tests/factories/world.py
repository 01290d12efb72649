"""One of everything a URL can point to, and the site's URL patterns filled with real values.

Shared by the bad-input walk (tests/core/test_bad_input.py) and the reflow crawl
(tests/browser/test_reflow.py).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.urls import URLResolver, get_resolver
from django.urls.resolvers import RoutePattern
from django.utils import timezone

from awards import sections
from awards.enums import ApplicationStatus, CycleRole
from awards.services import application_transition, attachment_add

from .awards import ApplicationFactory, CycleMembershipFactory, fill_application, pdf_file
from .certificates import issued_certificate
from .committee import committee_of, nominated_application, schedule
from .core import UserFactory
from .enterprises import InvitationFactory, MembershipFactory
from .reviews import AssignmentFactory, ExpertProfileFactory, PanelFactory, ReviewRoundFactory

SKIP_NAMES = {"logout"}  # crawls keep each client signed in


def routes():
    """(route template, url name) of every pattern outside the admin (walked separately)."""

    def walk(patterns, prefix, ns):
        for p in patterns:
            if isinstance(p, URLResolver):
                if isinstance(p.pattern, RoutePattern) and not str(p.pattern).startswith("admin"):
                    yield from walk(p.url_patterns, prefix + str(p.pattern), p.namespace or ns)
            elif p.name not in SKIP_NAMES:
                yield prefix + str(p.pattern), f"{ns}:{p.name}" if ns else p.name

    seen = set()
    for route, name in walk(get_resolver().url_patterns, "", None):
        if route not in seen:
            seen.add(route)
            yield route, name


PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


def world(secretary, expert, committee_member, applicant_a, enterprise_a, cycle, admin_user):
    """One of everything a URL can point to, in a state where its pages show their forms."""
    app = ApplicationFactory(cycle=cycle, enterprise=enterprise_a)
    fill_application(app, applicant_a)
    attachment = app.attachments.first() or attachment_add(
        application=app, kind="other", upload=pdf_file(), by=applicant_a
    )
    submitted = ApplicationFactory(cycle=cycle)

    application_transition(application=submitted, to_status=ApplicationStatus.SUBMITTED, by=None, system=True)
    # In material review with its submitted material (the scoring sheet shows it beside the scores).
    in_review = ApplicationFactory(cycle=cycle)
    reviewer_of = MembershipFactory(enterprise=in_review.enterprise).user
    fill_application(in_review, reviewer_of)
    from awards.services import application_submit

    in_review = application_submit(application=in_review, by=reviewer_of, notify=False)
    in_review = application_transition(
        application=in_review, to_status=ApplicationStatus.ELIGIBLE, by=None, system=True
    )
    from awards.models import Application

    Application.objects.filter(pk=in_review.pk).update(status=ApplicationStatus.MATERIAL_REVIEW)
    ExpertProfileFactory(user=expert)
    rnd = ReviewRoundFactory(cycle=cycle)
    panel = PanelFactory(round=rnd, application=in_review)
    assignment = AssignmentFactory(panel=panel, expert=expert, is_leader=True)
    for i in range(4):
        peer = CycleMembershipFactory(cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email=f"w{i}@pool.cn")).user
        AssignmentFactory(panel=panel, expert=peer)
    from reviews.models import ScoreSheet

    sheet = ScoreSheet.objects.create(assignment=assignment)
    members = committee_of(cycle, 7, existing=[committee_member])
    nominated_application(cycle)
    meeting = schedule(cycle, secretary)
    from committee.services import attendance_record, ballot_open, meeting_open

    meeting_open(meeting=meeting, by=secretary)
    attendance_record(meeting=meeting, by=secretary, present_ids=[u.pk for u in members[:5]])
    ballot = ballot_open(ballot=meeting.ballots.order_by("rank").first(), by=secretary)
    from committee.models import Objection, PublicNotice

    notice = PublicNotice.objects.create(
        cycle=cycle, starts_on=timezone.localdate(), ends_on=timezone.localdate(), published_by=secretary
    )
    listed = ApplicationFactory(cycle=cycle, status=ApplicationStatus.PUBLIC_NOTICE)
    notice.applications.add(listed)
    objection = Objection.objects.create(
        notice=notice, application=listed, name="张三", contact="a@b.cn", reasons="理由"
    )
    certificate = issued_certificate(cycle=cycle)
    invitation = InvitationFactory(enterprise=enterprise_a, invited_by=applicant_a)
    colleague = MembershipFactory(enterprise=enterprise_a)
    from awards.models import CriteriaItem

    item = CriteriaItem.objects.filter(category__framework=cycle.framework).first()
    from enterprises.tokens import email_verification_token
    from feedback.enums import ReportStatus
    from feedback.models import FeedbackReport, ReportCategory

    # On site: a shortlisted application whose team the expert leads, with a plan, a log and a photo.
    from onsite import services as onsite_services
    from onsite.models import PlanEntry

    from .files import png_upload
    from .onsite import shortlisted

    site = shortlisted(cycle, leader=expert)
    visit = onsite_services.visit_open(application=site.application, by=secretary)
    entry = PlanEntry.objects.create(visit=visit, kind="site", title="车间", added_by=expert)
    log = onsite_services.log_add(
        visit=visit,
        issue=visit.issues.first(),
        kind="document",
        subject="记录",
        notes="n",
        files=[png_upload()],
        by=expert,
    )
    report = FeedbackReport.objects.create(application=in_review, status=ReportStatus.REVIEW, drafted_by=expert)
    ReportCategory.objects.bulk_create(
        ReportCategory(report=report, category=c) for c in cycle.framework.categories.all()
    )
    # 陈述答辩: an open session the expert sits on, with enterprise A's application invited.
    from vetting.models import PresentationSession, PresentationSlot

    talk = PresentationSession.objects.create(
        cycle=cycle,
        starts_at=timezone.now(),
        duration_minutes=120,
        place="会议室",
        is_public=True,
        status="open",
        created_by=secretary,
    )
    talk.panel.add(expert)
    talk_slot = PresentationSlot.objects.create(
        session=talk, application=app, starts_at=talk.starts_at, invited_at=timezone.now()
    )
    by_keyword = {
        "enterprise": enterprise_a.pk,
        "enterprises": enterprise_a.pk,
        "assignment": assignment.pk,
        "panel": panel.pk,
        "cycle": cycle.pk,
        "cycles": cycle.pk,
        "round": rnd.pk,
        "sheet": sheet.pk,
        "meetings": meeting.pk,
        "ballots": ballot.pk,
        "objections": objection.pk,
        "applications": app.pk,
        "eligibility": submitted.pk,
        "certificates": certificate.pk,
        "reports": report.pk,
    }
    by_name = {
        "invitation_id": [invitation.pk],
        "membership_id": [colleague.pk],
        "item_pk": [item.pk],
        "app_pk": [in_review.pk],
        "user_pk": [peer.pk, expert.pk],
        "attachment_id": [attachment.pk],
        "number": [1],
        "notice_id": [notice.pk],
        "year": [cycle.year, 2017],
        "kind": ["material", "onsite"],
        "fmt": ["csv", "xlsx"],
        "section": sections.SECTIONS,
        "code": [certificate.verification_code],
        "uidb64": ["MQ"],
        "visit_id": [visit.pk],
        "entry_id": [entry.pk],
        "evidence_id": [log.evidence.get().pk],
        "assignment_id": [site.material[0].pk, assignment.pk],
        "application_id": [app.pk, in_review.pk],
        "action": ["release", "reopen"],
        "printout_id": [1],
        "document": ["application", "receipt"],
        "session_id": [talk.pk],
        "slot_id": [talk_slot.pk],
    }
    tokens = {
        "invitation": [invitation.token],
        "verify": [email_verification_token(applicant_a)],
        "reset": ["set-password"],
    }
    return by_keyword, by_name, tokens, {"objection": objection}


def values_for(route, by_keyword, by_name, tokens):
    """Each parameter's real values: by its name, else by the path segment before it."""
    result = {}
    for m in PARAM.finditer(route):
        name = m["name"]
        before = [s for s in route[: m.start()].split("/") if s and "<" not in s]
        keyword = before[-1] if before else ""
        if name == "token":
            result[name] = tokens.get(keyword) or tokens["verify"]
        elif name in by_name:
            result[name] = by_name[name]
        else:
            result[name] = [by_keyword.get(keyword) or by_keyword.get(before[0] if before else "", 1)]
    return result


def build(route, values):
    return "/" + PARAM.sub(lambda m: quote(str(values[m["name"]]), safe="%"), route)
