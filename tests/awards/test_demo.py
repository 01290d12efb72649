"""seed_demo gives the current cycle's applications real content, files, snapshots and comments."""

from django.core.management import call_command

from awards import sections
from awards.enums import ApplicationStatus
from awards.models import Application, SectionComment


def test_demo_applications_have_content(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    current = Application.objects.exclude(cycle__year=2017).select_related("cycle")
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
