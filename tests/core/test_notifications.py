"""Every party is told, in their language: render each notification and read its text."""

import pytest
from django.core import mail

from awards import services as award_services
from awards.enums import ApplicationStatus as S
from core.enums import OutboxStatus
from core.mail import mail_render
from core.models import OutboxMessage
from tests.factories.awards import ApplicationFactory
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _step(status, **extra):
    context = {
        "status": status,
        "comment": "",
        "enterprise": "郴州甲企业有限公司",
        "cycle_zh": "第七届郴州市市长质量奖",
        "cycle_en": "7th Chenzhou Mayor Quality Award",
        "receipt_number": "MQA-2026-001",
        "level_zh": "市长质量奖",
        "level_en": "Mayor Quality Award",
        "decree_number": "",
        "decree_date": "",
        "onsite_from": "",
        "onsite_to": "",
        "application_id": 7,
    }
    return {**context, **extra}


@pytest.mark.parametrize(
    ("status", "extra", "zh", "en"),
    [
        (
            S.ONSITE_REVIEW,
            {"onsite_from": "2026-03-02 08:00", "onsite_to": "2026-03-20 18:00"},
            "2026-03-02 08:00",
            "on-site review",
        ),
        (S.NOMINATED, {}, "评审委员会", "nominated"),
        (S.APPROVED, {}, "评审委员会", "approved"),
        (
            S.NOT_APPROVED,
            {"comment": "Passed the vote, but no place was left within the award quotas."},
            "no place",
            "will not go further",
        ),
        (S.PUBLIC_NOTICE, {}, "市长质量奖", "public notice"),
        (
            S.AWARDED,
            {"decree_number": "郴政函〔2027〕3号", "decree_date": "2027-01-20"},
            "郴政函〔2027〕3号",
            "Mayor Quality Award",
        ),
        (S.REVOKED, {"comment": "Fraud in the self-assessment"}, "Fraud in the self-assessment", "revoked"),
    ],
)
def test_each_step_mail_names_what_it_is_about_in_both_languages(status, extra, zh, en):
    context = _step(status, **extra)
    chinese = mail_render(template="application_step", context=context, language="zh-hans")
    english = mail_render(template="application_step", context=context, language="en")
    assert zh in chinese.text and "第七届郴州市市长质量奖" in chinese.subject
    assert en in english.text + english.subject and "7th Chenzhou Mayor Quality Award" in english.subject
    assert "/applications/7/" in english.text and 'href="http' in english.html


def test_the_awarded_mail_names_level_and_decree():
    text = mail_render(
        template="application_step",
        context=_step(S.AWARDED, decree_number="郴政函〔2027〕3号", decree_date="2027-01-20"),
        language="en",
    ).text
    assert "“Mayor Quality Award”" in text and "郴政函〔2027〕3号 of 2027-01-20" in text


def test_names_with_markup_characters_read_correctly_in_text_and_html():
    name = 'Tom & Jerry <Quality> "Works"'
    rendered = mail_render(template="application_step", context=_step(S.NOMINATED, enterprise=name), language="en")
    assert name in rendered.text
    assert "&lt;" not in rendered.text
    assert "Tom &amp; Jerry &lt;Quality&gt; &quot;Works&quot;" in rendered.html
    assert "<Quality>" not in rendered.html


def test_the_return_mail_prints_each_comment_under_its_section_title(
    cycle, applicant_a, application_a, secretary, django_capture_on_commit_callbacks
):
    import datetime as dt

    from django.utils import timezone

    from awards.enums import EligibilityDecision
    from tests.factories.awards import fill_application

    submitted = award_services.application_submit(
        application=fill_application(application_a, applicant_a), by=applicant_a
    )
    applicant_a.preferred_language = "en"
    applicant_a.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        award_services.application_decide_eligibility(
            application=submitted,
            by=secretary,
            decision=EligibilityDecision.RETURNED,
            section_comments={"self_assessment": "Add the 2025 results."},
            resubmit_by=timezone.now() + dt.timedelta(days=7),
        )
    (message,) = mail.outbox
    assert message.to == [applicant_a.email]
    from django.utils import translation

    from awards import sections

    with translation.override("en"):
        title = str(sections.SECTION_TITLES["self_assessment"])
    assert f"- {title}: Add the 2025 results." in message.body
    assert message.alternatives and "Add the 2025 results." in message.alternatives[0][0]


def test_every_member_hears_of_a_step_in_their_own_language(cycle, django_capture_on_commit_callbacks, secretary):
    enterprise = EnterpriseFactory(name_zh="郴州丙企业有限公司", name_en="Chenzhou Gamma Co., Ltd.")
    owner = MembershipFactory(enterprise=enterprise).user
    editor = MembershipFactory(enterprise=enterprise).user
    editor.preferred_language = "en"
    editor.save()
    application = ApplicationFactory(cycle=cycle, enterprise=enterprise, status=S.ONSITE_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        award_services.application_transition(application=application, to_status=S.NOMINATED, by=secretary, system=True)
    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {owner.email, editor.email}
    assert "提名" in by_address[owner.email].subject
    assert "nominated" in by_address[editor.email].subject
    rows = OutboxMessage.objects.filter(template="application_step")
    assert {(r.recipient, r.language, r.cycle_id) for r in rows} == {
        (owner.email, owner.preferred_language, cycle.pk),
        (editor.email, "en", cycle.pk),
    }
    assert set(rows.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_the_objector_reads_the_reply():
    rendered = mail_render(
        template="objection_reply",
        context={
            "name": "王五",
            "candidate": "郴州甲企业有限公司",
            "outcome": "dismissed",
            "reply": "经核查，所反映的问题不属实。",
            "lodged_on": "2026-12-01",
        },
        language="zh-hans",
    )
    assert "王五" in rendered.text and "经核查，所反映的问题不属实。" in rendered.text
    assert "郴州甲企业有限公司" in rendered.subject


def test_the_certificate_ready_mail_gives_the_download_link():
    rendered = mail_render(
        template="certificate_ready",
        context={
            "enterprise": "Chenzhou Alpha Co., Ltd.",
            "serial": "CZMQA-2026-001",
            "level_zh": "市长质量奖",
            "level_en": "Mayor Quality Award",
            "cycle_zh": "第七届",
            "cycle_en": "7th award",
            "download": "http://testserver/certificates/5/download/",
            "verification_url": "http://testserver/verify/abc/",
        },
        language="en",
    )
    assert "CZMQA-2026-001" in rendered.subject
    assert "http://testserver/certificates/5/download/" in rendered.text
    assert "Mayor Quality Award" in rendered.text
