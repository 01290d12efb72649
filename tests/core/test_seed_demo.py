from django.apps import apps
from django.core.management import call_command

from awards.enums import ApplicationStatus, CycleRole
from awards.models import Application, CycleMembership
from core.audit import audit_verify


def _counts():
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in {"core", "enterprises", "awards", "reviews", "committee"}
    }


def test_seed_demo_is_idempotent(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    first = _counts()
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _counts() == first
    assert audit_verify().ok


def test_seed_demo_content(db, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "secretary@demo.mqa.cn" in out and "Award-demo-2026" in out
    winners_2017 = Application.objects.filter(cycle__year=2017, status=ApplicationStatus.AWARDED)
    assert sorted(a.enterprise.name_en for a in winners_2017) == [
        "Chenzhou Jinxing Construction Co., Ltd.",
        "Hunan Dijing Chemical New Material Co., Ltd.",
    ]
    assert all(a.enterprise.name_zh == "" for a in winners_2017)  # not confirmed by our sources
    assert Application.objects.values("enterprise").distinct().count() >= 12
    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"draft", "submitted", "returned", "eligible", "ineligible", "awarded"} <= statuses
    current = Application.objects.filter(cycle__programme__slug="chenzhou").exclude(cycle__year=2017).first().cycle
    # Its applications closed before the recommendation: today it is in its material review
    # (tests/awards/test_demo.py checks every stage's dates).
    assert not current.is_application_window_open()
    assert CycleMembership.objects.filter(cycle=current, role=CycleRole.EXPERT).count() == 8
    assert CycleMembership.objects.filter(cycle=current, role=CycleRole.COMMITTEE).count() == 7
    assert CycleMembership.objects.filter(cycle=current, role=CycleRole.SECRETARY).count() == 1


def test_seed_demo_fills_the_outbox_with_one_failed_message(db):
    from core.enums import OutboxStatus
    from core.models import OutboxMessage

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert OutboxMessage.objects.filter(kind="mail").count() > 10  # what the demo's actions queued
    (failed,) = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    assert "550" in failed.last_error and failed.cycle is not None
