"""The award office finds a failed e-mail on the outbox page and sends it again."""

from django.utils import timezone
from playwright.sync_api import expect

from core.enums import OutboxKind, OutboxStatus
from core.models import OutboxMessage

from .conftest import axe_violations, login, screenshot


def _message(cycle, status, recipient, **fields):
    return OutboxMessage.objects.create(
        kind=OutboxKind.MAIL,
        task_name="core.tasks.send_templated_mail",
        kwargs={"template": "welcome", "context": {}, "user_id": None, "email": recipient, "language": "zh-hans"},
        template="welcome",
        recipient=recipient,
        language="zh-hans",
        cycle=cycle,
        status=status,
        **fields,
    )


def test_the_office_retries_a_failed_message(page, cycle, secretary):
    _message(cycle, OutboxStatus.SENT, "alice@alpha.example.cn", attempts=1, sent_at=timezone.now())
    _message(cycle, OutboxStatus.PENDING, "bob@beta.example.cn", attempts=1, last_error="broker: Error 111 connecting")
    failed = _message(
        cycle,
        OutboxStatus.FAILED,
        "carol@gamma.example.cn",
        attempts=8,
        last_error="SMTPRecipientsRefused: {'carol@gamma.example.cn': (550, b'Mailbox unavailable')}",
    )
    login(page, secretary.email)
    page.get_by_role("link", name="发件箱：邮件与任务").click()
    row = page.locator(f"#message-{failed.pk}")
    expect(row).to_contain_text("Mailbox unavailable")
    expect(row.locator(".badge-failed")).to_have_text("失败")
    assert axe_violations(page) == []
    screenshot(page, "outbox-zh")

    row.get_by_role("button", name=f"重试 #{failed.pk}").click()
    expect(page.locator(".message-success")).to_contain_text(f"消息 #{failed.pk} 将重新发送。")
    failed.refresh_from_db()
    assert failed.status == OutboxStatus.SENT  # in-process: sent as soon as the retry committed
    expect(page.locator(f"#message-{failed.pk} .badge-sent")).to_have_text("已发送")

    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_text("Outbox")
    assert axe_violations(page) == []
    screenshot(page, "outbox-en")


def test_the_verification_page_shows_the_audit_chain_at_the_award(page, cycle):
    from core.models import AuditEvent
    from tests.factories.certificates import issued_certificate

    certificate = issued_certificate(cycle=cycle)
    event = AuditEvent.objects.get(
        object_type="awards.application", object_id=str(certificate.application_id), payload__to="awarded"
    )
    page.goto(certificate.verification_url)
    expect(page.locator(".audit-head")).to_contain_text(f"获奖时的审计链：第 {event.seq} 号事件")
    expect(page.locator(".audit-head code")).to_have_text(event.hash)
    assert axe_violations(page) == []
    screenshot(page, "certificate-verify-audit-head-zh")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state("load")
    expect(page.locator(".audit-head")).to_contain_text(f"Audit chain at the award: event #{event.seq}")
    screenshot(page, "certificate-verify-audit-head-en")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "certificate-verify-audit-head-phone-en")


def test_the_outbox_page_fits_a_phone(page, cycle, secretary):
    """At 320 px the table scrolls inside its own box; the page itself does not scroll sideways."""
    from django.conf import settings as django_settings

    from .test_reflow import WIDTH, _measure

    _message(cycle, OutboxStatus.SENT, "alice.longname@alpha-quality.example.cn", attempts=1, sent_at=timezone.now())
    _message(
        cycle,
        OutboxStatus.FAILED,
        "carol@gamma.example.cn",
        attempts=8,
        last_error="SMTPRecipientsRefused: {'carol@gamma.example.cn': (550, b'Mailbox unavailable')}",
    )
    _message(
        cycle,
        OutboxStatus.PENDING,
        "dave@delta.example.cn",
        attempts=3,
        next_attempt_at=timezone.now(),
        last_error="kombu.exceptions.OperationalError:Error111connecting_to_127.0.0.1:6379.Connection_refused.",
    )
    OutboxMessage.objects.create(
        kind=OutboxKind.TASK,
        task_name="certificates.tasks.certificate_render_and_store",
        kwargs={"certificate_id": 1},
        cycle=cycle,
        status=OutboxStatus.PENDING,
    )
    page.set_viewport_size({"width": WIDTH, "height": 800})
    login(page, secretary.email)
    for lang, suffix, heading in (("zh-hans", "zh", "发件箱"), ("en", "en", "Outbox")):
        page.context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": page.base}])
        page.goto(page.base + "/office/outbox/")
        expect(page.locator("h1")).to_have_text(heading)
        measured = _measure(page)
        assert measured["width"] <= WIDTH, measured
        box = page.locator(".table-scroll")
        assert box.evaluate("el => el.scrollWidth > el.clientWidth")  # the table scrolls in its box
        assert axe_violations(page) == []
        screenshot(page, f"outbox-320-{suffix}")
