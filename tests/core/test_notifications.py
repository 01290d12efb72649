"""Every party is told, in their language: render each notification and read its text."""

import pytest
from django.core import mail

from awards import services as award_services
from awards.enums import ApplicationStatus
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
            ApplicationStatus.ONSITE_REVIEW,
            {"onsite_from": "2026-03-02 08:00", "onsite_to": "2026-03-20 18:00"},
            "2026-03-02 08:00",
            "on-site review",
        ),
        (ApplicationStatus.NOMINATED, {}, "评审委员会", "nominated"),
        (ApplicationStatus.APPROVED, {}, "评审委员会", "approved"),
        (
            ApplicationStatus.NOT_APPROVED,
            {"comment": "Passed the vote, but no place was left within the award quotas."},
            "no place",
            "will not go further",
        ),
        (ApplicationStatus.PUBLIC_NOTICE, {}, "市长质量奖", "public notice"),
        (
            ApplicationStatus.AWARDED,
            {"decree_number": "郴政函〔2027〕3号", "decree_date": "2027-01-20"},
            "郴政函〔2027〕3号",
            "Mayor Quality Award",
        ),
        (
            ApplicationStatus.REVOKED,
            {"comment": "Fraud in the self-assessment"},
            "Fraud in the self-assessment",
            "revoked",
        ),
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
        context=_step(ApplicationStatus.AWARDED, decree_number="郴政函〔2027〕3号", decree_date="2027-01-20"),
        language="en",
    ).text
    assert "“Mayor Quality Award”" in text and "郴政函〔2027〕3号 of 2027-01-20" in text


def test_names_with_markup_characters_read_correctly_in_text_and_html():
    name = 'Tom & Jerry <Quality> "Works"'
    rendered = mail_render(
        template="application_step", context=_step(ApplicationStatus.NOMINATED, enterprise=name), language="en"
    )
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
    application = ApplicationFactory(cycle=cycle, enterprise=enterprise, status=ApplicationStatus.ONSITE_REVIEW)
    with django_capture_on_commit_callbacks(execute=True):
        award_services.application_transition(
            application=application, to_status=ApplicationStatus.NOMINATED, by=secretary, system=True
        )
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


# --- the eligibility decision: what happens next ---------------------------------------------------


def _decision(decision, **extra):
    context = {
        "decision": decision,
        "reason": "",
        "section_comments": [],
        "resubmit_by": "",
        "receipt_number": "MQA-2026-001",
        "enterprise": "郴州甲企业有限公司",
        "cycle_zh": "第七届郴州市市长质量奖",
        "cycle_en": "7th Chenzhou Mayor Quality Award",
        "material_review_due": "",
        "onsite_from": "",
        "onsite_to": "",
        "application_id": 7,
    }
    return {**context, **extra}


def test_the_eligible_mail_says_what_happens_next_with_the_cycles_dates():
    context = _decision("eligible", material_review_due="2026-04-30", onsite_from="2026-05-10", onsite_to="2026-05-31")
    english = mail_render(template="application_decision", context=context, language="en")
    assert english.subject == "7th Chenzhou Mayor Quality Award: Your application is eligible (MQA-2026-001)"
    assert "for the 7th Chenzhou Mayor Quality Award: it is eligible and complete" in english.text
    assert "What happens next:" in english.text
    assert "the material review is planned to end by 2026-04-30" in english.text
    assert "on-site review between 2026-05-10 and 2026-05-31" in english.text
    assert "You will receive an e-mail at each step." in english.text
    chinese = mail_render(template="application_decision", context=context, language="zh-hans")
    assert chinese.subject.startswith("第七届郴州市市长质量奖：") or chinese.subject.startswith(
        "第七届郴州市市长质量奖:"
    )
    assert "您的申报已通过资格审查" in chinese.subject
    assert "后续安排：" in chinese.text and "2026-04-30 前完成" in chinese.text
    assert "2026-05-10 至 2026-05-31" in chinese.text


def test_the_eligible_mail_without_planned_dates_still_says_what_comes_next():
    text = mail_render(template="application_decision", context=_decision("eligible"), language="en").text
    assert "A panel of experts reviews and scores the submitted material." in text
    assert "planned to end by" not in text and "between" not in text


def test_the_ineligible_mail_gives_the_reason_and_what_happens_next():
    context = _decision("ineligible", reason="The enterprise has been operating for less than 3 years.")
    english = mail_render(template="application_decision", context=context, language="en")
    assert "Your application is not eligible" in english.subject
    assert "does not meet the conditions of this cycle" in english.text
    assert "The enterprise has been operating for less than 3 years." in english.text
    assert "will not go further in this cycle" in english.text and "apply again in a later cycle" in english.text
    chinese = mail_render(template="application_decision", context=context, language="zh-hans")
    assert "不符合本届申报条件" in chinese.text and "以后各届再次申报" in chinese.text
    assert "eligible and complete" not in english.text  # not the eligible mail's next steps


def test_the_eligible_mail_reaches_every_member_in_their_language_with_the_cycles_dates(
    cycle, applicant_a, application_a, secretary, django_capture_on_commit_callbacks
):
    import datetime as dt

    from awards.enums import EligibilityDecision
    from awards.models import CycleStage
    from tests.factories.awards import fill_application

    CycleStage.objects.create(cycle=cycle, kind="material_review", order=2, ends_on=dt.date(2026, 4, 30))
    submitted = award_services.application_submit(
        application=fill_application(application_a, applicant_a), by=applicant_a
    )
    applicant_a.preferred_language = "en"
    applicant_a.save()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        award_services.application_decide_eligibility(
            application=submitted, by=secretary, decision=EligibilityDecision.ELIGIBLE
        )
    (message,) = mail.outbox
    assert message.to == [applicant_a.email]
    assert "Your application is eligible" in message.subject and cycle.title_en in message.subject
    assert "planned to end by 2026-04-30" in message.body
    assert submitted.official_name in message.body


# --- an objection about the enterprise: upheld or dismissed, in neutral words ----------------------


def _on_notice(cycle, secretary):
    """An application of a new enterprise on public notice for the Mayor level, with an objection."""
    from django.utils import timezone

    from committee.models import Objection, PublicNotice

    enterprise = EnterpriseFactory(name_zh="郴州丁企业有限公司", name_en="Chenzhou Delta Co., Ltd.")
    owner = MembershipFactory(enterprise=enterprise).user
    editor = MembershipFactory(enterprise=enterprise).user
    editor.preferred_language = "en"
    editor.save()
    application = ApplicationFactory(
        cycle=cycle,
        enterprise=enterprise,
        status=ApplicationStatus.PUBLIC_NOTICE,
        award_level=cycle.levels.get(code="mayor"),
    )
    today = timezone.localdate()
    notice = PublicNotice.objects.create(cycle=cycle, starts_on=today, ends_on=today, published_by=secretary)
    notice.applications.add(application)
    objection = Objection.objects.create(
        notice=notice,
        application=application,
        name="王举报",
        contact="wang.objector@example.cn",
        reasons="理由",
    )
    return application, objection, owner, editor


@pytest.mark.parametrize(
    ("outcome", "status", "zh", "en"),
    [
        (
            "dismissed",
            ApplicationStatus.PUBLIC_NOTICE,
            "该异议不成立",
            "The proposed award “Mayor Quality Award” stands.",
        ),
        ("upheld_returned", ApplicationStatus.NOMINATED, "退回评审委员会重新审议", "goes back to the review committee"),
        ("upheld_withdrawn", ApplicationStatus.NOT_APPROVED, "予以撤回", "will not go further in this cycle"),
    ],
)
def test_the_enterprise_hears_the_objection_outcome_without_the_objector(
    cycle, secretary, django_capture_on_commit_callbacks, outcome, status, zh, en
):
    from committee import services as committee_services

    application, objection, owner, editor = _on_notice(cycle, secretary)
    with django_capture_on_commit_callbacks(execute=True):
        committee_services.objection_handle(
            objection=objection, by=secretary, outcome=outcome, reply="王举报先生：经核查，情况如下。"
        )
    application.refresh_from_db()
    assert application.status == status
    by_address = {m.to[0]: m for m in mail.outbox}
    # The objector gets the reply; each member of the enterprise one neutral mail, nothing more.
    assert set(by_address) == {owner.email, editor.email, "wang.objector@example.cn"}
    assert len(mail.outbox) == 3
    chinese, english = by_address[owner.email], by_address[editor.email]
    assert zh in chinese.body and "市长质量奖" in chinese.body and cycle.title_zh in chinese.subject
    assert en in english.body and cycle.title_en in english.subject
    assert "does not disclose who raised it" in english.body
    for message in (chinese, english):
        text = message.body + message.subject + message.alternatives[0][0]
        assert "王举报" not in text and "wang.objector" not in text and "情况如下" not in text
    assert "upheld" in english.subject and ("not upheld" in english.subject) == (outcome == "dismissed")
    rows = OutboxMessage.objects.filter(template="objection_outcome")
    assert {(r.recipient, r.language) for r in rows} == {(owner.email, owner.preferred_language), (editor.email, "en")}
    # The upheld step is told once, by this mail, not again by the generic step mail.
    assert not OutboxMessage.objects.filter(template="application_step").exists()


def test_an_objection_refused_for_lack_of_a_reply_tells_nobody(cycle, secretary, django_capture_on_commit_callbacks):
    from committee import services as committee_services
    from core.errors import NotAllowed

    _application, objection, _owner, _editor = _on_notice(cycle, secretary)
    with pytest.raises(NotAllowed), django_capture_on_commit_callbacks(execute=True):
        committee_services.objection_handle(objection=objection, by=secretary, outcome="dismissed", reply=" ")
    assert mail.outbox == [] and not OutboxMessage.objects.filter(template="objection_outcome").exists()
