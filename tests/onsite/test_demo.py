"""seed_demo shows the workbench: the 2017 visit to Dijing with its plan, logs, photo, findings and
closing summary, visible to its team, the office and the enterprise; and the PDFs downloadable."""

from django.core.management import call_command
from django.urls import reverse

from core.models import User
from onsite.enums import VisitStatus
from onsite.models import SiteVisit
from printouts.enums import PrintStatus
from printouts.models import Printout


def test_demo_visit_and_printouts(db, client_for):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    visit = SiteVisit.objects.get(application__cycle__year=2017)
    assert visit.application.enterprise.name_en.startswith("Hunan Dijing")
    assert visit.status == VisitStatus.CLOSED and visit.closing_summary
    assert visit.issues.filter(source_flag__isnull=False).count() == 4
    assert visit.logs.count() == 4 and visit.plan.count() == 7 and visit.findings.count() == 4
    assert visit.logs.filter(evidence__mime_type="image/jpeg").exists()
    leader = visit.panel.assignments.get(is_leader=True).expert
    page = client_for(leader).get(reverse("onsite:visit", kwargs={"visit_id": visit.pk}))
    assert page.status_code == 200 and "首次会议" in page.content.decode()
    secretary = User.objects.get(email="secretary@demo.mqa.cn")
    assert client_for(secretary).get(reverse("onsite:visit", kwargs={"visit_id": visit.pk})).status_code == 200
    owner = User.objects.get(email="dijing@demo.mqa.cn")
    r = client_for(owner).get(reverse("awards:application", kwargs={"pk": visit.application.pk}))
    assert visit.closing_summary[:30] in r.content.decode()
    # seed_demo is safe to run again
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SiteVisit.objects.count() == 1
    ready = Printout.objects.filter(status=PrintStatus.READY)
    assert ready.count() == 4
    p = ready.select_related("snapshot__application").first()
    member = p.snapshot.application.enterprise.memberships.first().user
    assert client_for(member).get(reverse("printouts:download", kwargs={"printout_id": p.pk})).status_code == 200
