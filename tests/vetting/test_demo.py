"""seed_demo shows the presentation and defence: sessions, answers, Q&A, scores, the public page."""

from django.core.management import call_command
from django.urls import reverse

from awards.enums import ApplicationStatus
from awards.models import AwardCycle
from core.enums import AuditEventType
from core.models import AuditEvent, User
from reviews.enums import RankingBasis
from reviews.selectors import cycle_ranking
from vetting.enums import InvitationResponse, SessionStatus
from vetting.models import PresentationNote, PresentationScore, PresentationSession, PresentationSlot


def test_demo_presentations(db, client_for):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cycle = AwardCycle.objects.filter(programme__slug="chenzhou").exclude(year=2017).get()
    public, closed_door = PresentationSession.objects.filter(cycle=cycle).order_by("starts_at")
    assert public.is_public and public.status == SessionStatus.OPEN and not closed_door.is_public
    responses = set(PresentationSlot.objects.filter(session=public).values_list("response", flat=True))
    assert responses == {InvitationResponse.CONFIRMED, InvitationResponse.RESCHEDULE}
    assert PresentationScore.objects.filter(slot__session=public).count() == 5
    assert PresentationNote.objects.filter(slot__session=public).count() == 3
    assert cycle.applications.filter(status=ApplicationStatus.PRESENTATION).count() == 2
    assert PresentationSlot.objects.filter(session=closed_door).count() == 1
    assert AuditEvent.objects.filter(event=AuditEventType.PRESENTATION_UNSCHEDULED).count() == 1
    page = client_for(None).get(reverse("vetting:public_presentations")).content.decode()
    assert public.place in page and closed_door.place not in page
    rows = [r for r in cycle_ranking(cycle=cycle, basis=RankingBasis.MATERIAL) if r.presentation]
    assert len(rows) == 1 and rows[0].with_presentation is not None
    # every new page renders for its users
    secretary = User.objects.get(email="secretary@demo.mqa.cn")
    office = client_for(secretary)
    assert office.get(reverse("vetting:office_presentations", args=[cycle.pk])).status_code == 200
    assert office.get(reverse("vetting:office_presentation", args=[public.pk])).status_code == 200
    # the invitation of the closed-door session is unanswered: the page says when it is recalled
    assert "如未答复" in office.get(reverse("vetting:office_presentation", args=[closed_door.pk])).content.decode()
    assert office.get(reverse("reviews:ranking", args=[cycle.pk])).status_code == 200
    expert = client_for(User.objects.get(email="expert1@demo.mqa.cn"))
    slot = PresentationSlot.objects.get(session=public, response=InvitationResponse.CONFIRMED)
    assert expert.get(reverse("vetting:presentation", args=[slot.pk])).status_code == 200
    owner = slot.application.enterprise.memberships.first().user
    assert client_for(owner).get(reverse("vetting:invitation", args=[slot.pk])).status_code == 200
