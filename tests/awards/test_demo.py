"""seed_demo gives the current cycle's applications real content, files, snapshots and comments."""

from django.core.management import call_command

from awards import sections
from awards.enums import ApplicationStatus
from awards.models import Application, SectionComment


def test_demo_applications_have_content(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    current = (
        Application.objects.filter(cycle__programme__slug="chenzhou").exclude(cycle__year=2017).select_related("cycle")
    )
    for app in current:
        assert app.attachments.exists()
        att = app.attachments.first()
        with att.file.open("rb") as fh:
            assert fh.read(5) == b"%PDF-"
        missing = sections.missing_by_section(app)
        if app.status == ApplicationStatus.DRAFT:
            assert any(missing.values()) and not app.snapshots.exists()
        else:
            assert not any(missing.values())
            snap = app.snapshots.get()
            assert app.receipt_number and snap.receipt_number == app.receipt_number
            assert app.receipt_number.startswith(f"CZMQA-{app.cycle.year}-")
    receipts = sorted(int(a.receipt_number[-4:]) for a in current if a.receipt_number)
    assert receipts == list(range(1, len(receipts) + 1))  # gapless
    returned = current.get(status=ApplicationStatus.RETURNED)
    assert returned.resubmit_by is not None
    assert SectionComment.objects.filter(transition__application=returned).count() == 2
    # One ineligible by the office's decision; another ended by a department's record (一票否决).
    ineligible = current.exclude(opinion_requests__disqualifying=True).get(status=ApplicationStatus.INELIGIBLE)
    vetoed = current.get(status=ApplicationStatus.INELIGIBLE, opinion_requests__disqualifying=True)
    assert "市应急管理局" in vetoed.transitions.last().comment
    checks = {c.key: c.ok for c in sections.eligibility_checks(ineligible)}
    assert checks["years_in_operation"] is False


def test_the_current_demo_cycle_is_where_its_data_says(db, client_for):
    """Today falls in the material review, where the demo's open round runs; every earlier step of
    the applications happened inside its stage's window, and the home page's timeline says so."""
    import datetime as dt

    from django.utils import timezone

    from awards.enums import StageKind as K
    from awards.models import ApplicationTransition, AwardCycle
    from reviews.models import ReviewRound
    from vetting.models import OpinionRequest, PresentationSession

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cycle = AwardCycle.objects.filter(programme__slug="chenzhou").exclude(year=2017).get()
    stages = {s.kind: s for s in cycle.stages.all()}
    today = timezone.localdate()
    material = stages[K.MATERIAL_REVIEW]
    assert material.starts_on <= today <= material.ends_on
    assert timezone.localtime(cycle.applications_close_at).date() < stages[K.RECOMMENDATION].starts_on
    rnd = ReviewRound.objects.get(cycle=cycle, kind="material")
    assert rnd.is_open()
    assert material.starts_on <= timezone.localtime(rnd.opens_at).date()
    assert timezone.localtime(rnd.closes_at).date() <= material.ends_on
    window_of = {
        ApplicationStatus.SUBMITTED: (
            timezone.localtime(cycle.applications_open_at).date(),
            timezone.localtime(cycle.applications_close_at).date(),
        ),
        ApplicationStatus.RECOMMENDED: (stages[K.RECOMMENDATION].starts_on, stages[K.RECOMMENDATION].ends_on),
        ApplicationStatus.ELIGIBLE: (stages[K.ELIGIBILITY].starts_on, stages[K.ELIGIBILITY].ends_on),
        ApplicationStatus.RETURNED: (stages[K.ELIGIBILITY].starts_on, stages[K.ELIGIBILITY].ends_on),
        ApplicationStatus.MATERIAL_REVIEW: (material.starts_on, material.ends_on),
    }
    for t in ApplicationTransition.objects.filter(application__cycle=cycle, to_status__in=window_of):
        starts, ends = window_of[t.to_status]
        assert starts <= timezone.localtime(t.at).date() <= ends, (t.to_status, t.at)
    opinions = stages[K.OPINIONS]
    for req in OpinionRequest.objects.filter(application__cycle=cycle):
        assert opinions.starts_on <= timezone.localtime(req.sent_at).date() <= req.deadline == opinions.ends_on
    presentation = stages[K.PRESENTATION]
    for session in PresentationSession.objects.filter(cycle=cycle):
        assert presentation.starts_on <= timezone.localtime(session.starts_at).date() <= presentation.ends_on
    home = client_for(None).get("/").content.decode()
    span = f"{material.starts_on.isoformat()} – {material.ends_on.isoformat()}"
    assert span in home and material.ends_on - material.starts_on == dt.timedelta(days=19)


def test_the_demo_holds_a_second_programme_apart_from_chenzhous(db):
    """湖南省省长质量奖: one open cycle with three applications of Chenzhou enterprises and one of a
    Changsha enterprise, its own receipt numbers and secretary; Chenzhou's secretary sees none of it."""
    from awards import selectors
    from awards.models import AwardProgramme
    from core.models import User

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    hunan = AwardProgramme.objects.get(slug="hunan")
    assert hunan.divisions == ["43"] and hunan.organiser_zh == "湖南省人民政府"
    cycle = hunan.cycles.get()
    apps = Application.objects.filter(cycle=cycle)
    assert apps.count() == 4
    assert sorted(a.receipt_number for a in apps if a.receipt_number) == [
        f"HNGQA-{cycle.year}-0001",
        f"HNGQA-{cycle.year}-0002",
        f"HNGQA-{cycle.year}-0003",
    ]
    assert {a.enterprise.district[:4] for a in apps} == {"4310", "4301"}  # Chenzhou's and Changsha's
    chenzhou_secretary = User.objects.get(email="secretary@demo.mqa.cn")
    assert not selectors.applications_visible_to(chenzhou_secretary).filter(cycle=cycle).exists()
    hunan_secretary = User.objects.get(email="office@hunan.demo.mqa.cn")
    assert set(selectors.applications_visible_to(hunan_secretary)) == set(apps)


def test_the_demo_holds_a_second_city_whose_office_sees_only_its_own(db, client_for):
    """株洲市市长质量奖: Zhuzhou's enterprises (credit codes of Zhuzhou's divisions) in three states of
    its open cycle; its office's queue lists them and nothing of Chenzhou's or the province's; Chenzhou's
    demo is the same as before the second city came."""
    from awards import selectors
    from awards.models import AwardProgramme
    from core.models import User
    from enterprises.validators import validate_credit_code

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    zhuzhou = AwardProgramme.objects.get(slug="zhuzhou")
    assert (zhuzhou.name_zh, zhuzhou.organiser_zh, zhuzhou.divisions) == (
        "株洲市市长质量奖",
        "株洲市人民政府",
        ["4302"],
    )
    assert zhuzhou.receipt_prefix == zhuzhou.certificate_prefix == "ZZMQA"
    cycle = zhuzhou.cycles.get()
    assert cycle.is_application_window_open()
    apps = Application.objects.filter(cycle=cycle).select_related("enterprise")
    assert sorted(a.status for a in apps) == ["draft", "eligible", "submitted"]
    for app in apps:
        validate_credit_code(app.enterprise.credit_code)
        assert app.enterprise.credit_code[2:8] == app.enterprise.district and app.enterprise.district[:4] == "4302"
    assert sorted(a.receipt_number for a in apps if a.receipt_number) == [f"ZZMQA-{cycle.year}-000{n}" for n in (1, 2)]

    office = User.objects.get(email="office@zhuzhou.demo.mqa.cn")
    assert set(selectors.applications_visible_to(office)) == set(apps)
    queue = client_for(office).get("/office/eligibility/")
    assert queue.status_code == 200
    page = queue.content.decode()
    shown = [a for a in apps if a.status != ApplicationStatus.DRAFT]
    assert all(a.enterprise.name_zh in page for a in shown)
    others = Application.objects.exclude(cycle=cycle).exclude(enterprise__name_zh="").select_related("enterprise")
    assert not [a.enterprise.name_zh for a in others if a.enterprise.name_zh in page]
    for email in ("secretary@demo.mqa.cn", "office@hunan.demo.mqa.cn"):
        elsewhere = client_for(User.objects.get(email=email)).get("/office/eligibility/").content.decode()
        assert not [a.enterprise.name_zh for a in shown if a.enterprise.name_zh in elsewhere], email
    assert "株洲市市长质量奖" in client_for(None).get("/zhuzhou/").content.decode()

    # Chenzhou's demo figures: its two cycles, their applications, its enterprises.
    chenzhou = Application.objects.filter(cycle__programme__slug="chenzhou")
    assert chenzhou.filter(cycle__year=2017).count() == 5 and chenzhou.exclude(cycle__year=2017).count() == 10
    assert AwardProgramme.objects.get(slug="chenzhou").cycles.count() == 2
    assert {a.enterprise.district[:4] for a in chenzhou.select_related("enterprise")} == {"4310"}
    assert chenzhou.values("enterprise").distinct().count() == 12


def test_a_seed_that_runs_across_midnight_keeps_one_today(db):
    """The stages are laid out from one day and the early history backdated from them, even when the
    clock passes midnight (China Standard Time) between the two steps of one seed."""
    import datetime as dt
    from unittest import mock

    from django.core.management import call_command
    from django.utils import timezone

    from awards import demo as awards_demo
    from awards.enums import StageKind
    from awards.models import AwardCycle

    backdate = awards_demo.backdate_current
    tomorrow = timezone.now() + dt.timedelta(days=1)

    def after_midnight(ctx):
        with mock.patch("django.utils.timezone.now", return_value=tomorrow):
            backdate(ctx)

    with mock.patch.object(awards_demo, "backdate_current", after_midnight):
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    cycle = AwardCycle.objects.get(programme__slug="chenzhou", stages__kind=StageKind.RECOMMENDATION)
    stages = {s.kind: s for s in cycle.stages.all()}
    assert stages[StageKind.RECOMMENDATION].ends_on == stages[StageKind.ELIGIBILITY].starts_on - dt.timedelta(days=1)
