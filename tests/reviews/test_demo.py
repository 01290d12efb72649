"""seed_demo's review data is consistent: 2017 winners rank first, one recorded consensus, a live round."""

from django.core.management import call_command

from awards.enums import ApplicationStatus
from awards.models import Application, AwardCycle
from reviews.enums import CellStatus
from reviews.models import Consensus, ReviewRound
from reviews.selectors import cycle_ranking, panel_detail, review_matrix


def test_demo_review_data(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    c2017 = AwardCycle.objects.get(year=2017)
    rows = cycle_ranking(cycle=c2017)
    assert [r.enterprise.name_en.split()[1] for r in rows[:2]] == ["Dijing", "Jinxing"]
    assert all(r.application.status == ApplicationStatus.AWARDED for r in rows[:2])
    assert all(r.combined is not None and r.complete == {"material": True, "onsite": True} for r in rows)
    consensus = Consensus.objects.get(panel__round__cycle=c2017)
    detail = panel_detail(panel=consensus.panel)
    assert [r.item.code for r in detail.items if r.flagged] == ["4.7.4"]
    current = ReviewRound.objects.exclude(cycle=c2017).get()
    assert current.is_open()
    statuses = {s for row in review_matrix(rnd=current).rows for _a, s in row.cells if s}
    assert {CellStatus.NOT_DECLARED, CellStatus.IN_PROGRESS, CellStatus.SUBMITTED} <= statuses
    # Two of the three moved on to the presentation and defence (vetting.demo).
    assert Application.objects.filter(cycle=current.cycle, status=ApplicationStatus.MATERIAL_REVIEW).count() == 1
    assert Application.objects.filter(cycle=current.cycle, status=ApplicationStatus.PRESENTATION).count() == 2
    assert Application.objects.filter(cycle=current.cycle, status=ApplicationStatus.ELIGIBLE).exists()


def test_demo_review_pages_render(db, client_for):
    from django.urls import reverse

    from core.models import User
    from reviews.models import Panel

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    secretary = User.objects.get(email="secretary@demo.mqa.cn")
    c = client_for(secretary)
    for cycle in AwardCycle.objects.filter(programme__slug="chenzhou"):  # the secretary runs only these
        for name in ("reviews:cycle", "reviews:ranking", "reviews:experts"):
            assert c.get(reverse(name, args=[cycle.pk])).status_code == 200
    for panel in Panel.objects.all()[:3]:
        assert c.get(reverse("reviews:panel", args=[panel.pk])).status_code == 200
    expert = User.objects.get(email="expert8@demo.mqa.cn")
    page = client_for(expert).get(reverse("reviews:my_work"))
    assert page.status_code == 200 and "Qingshan" in page.content.decode() or "青山" in page.content.decode()


def test_demo_shows_review_health_and_expert_ratings(db, client_for):
    from committee.models import Meeting
    from core.models import User
    from reviews.models import ExpertRating

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    c2017 = AwardCycle.objects.get(year=2017)
    record = Meeting.objects.get(cycle=c2017).health_record
    material, onsite = record["rounds"]
    assert material["agreement"]["targets"] == 4 and onsite["agreement"]["targets"] == 4
    assert len(record["drift"]["rows"]) == 4 and material["leniency"]
    assert ExpertRating.objects.filter(round__cycle=c2017).count() == 6
    secretary = User.objects.get(email="secretary@demo.mqa.cn")
    page = client_for(secretary).get(f"/reviews/office/cycle/{c2017.pk}/health/").content.decode()
    assert "ICC(1,1)" in page
    expert2 = User.objects.get(email="expert2@demo.mqa.cn")
    assert "意见具体" in client_for(expert2).get("/reviews/record/").content.decode()
