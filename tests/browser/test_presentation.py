"""The presentation and defence: the office arranges a session and schedules an application, the
enterprise confirms on a 360 px phone, a panel member records a question and a score on the phone,
and the public page shows the session."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from awards import services as award_services
from awards.enums import ApplicationStatus, CycleRole, StageKind
from awards.models import Application
from awards.stages import StageSpec
from reviews.enums import RoundKind
from reviews.models import Panel, PanelScore, ReviewRound
from tests.factories.awards import CycleMembershipFactory
from tests.factories.core import UserFactory
from vetting.models import PresentationNote, PresentationScore, PresentationSlot

from .conftest import axe_violations, close_page, fits, login, screenshot

PHONE = 360
K = StageKind
STAGES = (K.ELIGIBILITY, K.MATERIAL_REVIEW, K.PRESENTATION, K.COMMITTEE, K.PUBLIC_NOTICE, K.GOVERNMENT_APPROVAL)


def _submit(page, action=None):
    selector = f"main button[name=action][value={action}]" if action else "main form button[type=submit]"
    page.locator(selector).first.click()
    page.wait_for_load_state("load")


@pytest.mark.browser
@pytest.mark.parametrize(("lang", "suffix"), [("zh-hans", "zh"), ("en", "en")])
def test_office_schedules_enterprise_confirms_panel_records_on_a_phone(
    open_page, cycle, secretary, application_a, applicant_a, lang, suffix
):
    member = CycleMembershipFactory(
        cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email="panel@pool.example.cn", full_name="答辩专家甲")
    ).user
    today = timezone.localdate()
    award_services.cycle_stages_set(
        cycle=cycle,
        stages=[
            StageSpec(k, today, today + dt.timedelta(days=7), panel=(member.pk,))
            if k == K.PRESENTATION
            else StageSpec(k)
            for k in STAGES
        ],
        by=secretary,
    )
    Application.objects.filter(pk=application_a.pk).update(
        status=ApplicationStatus.PRESENTATION, receipt_number="2100-007"
    )
    # Its material review is scored (the ranking shows the presentation beside it, weighted 20 %).
    cycle.presentation_weight = 20
    cycle.save()
    rnd = ReviewRound.objects.create(
        cycle=cycle,
        kind=RoundKind.MATERIAL,
        opens_at=timezone.now() - dt.timedelta(days=20),
        closes_at=timezone.now() - dt.timedelta(days=2),
    )
    PanelScore.objects.create(
        panel=Panel.objects.create(round=rnd, application=application_a),
        application=application_a,
        kind=RoundKind.MATERIAL,
        total=Decimal("702.50"),
        results=Decimal("281.00"),
        items_scored=23,
    )
    day = (today + dt.timedelta(days=1)).isoformat()

    # The office arranges a public session and schedules the application in it.
    page = open_page(lang=lang)
    login(page, secretary.email)
    page.goto(page.base + f"/vetting/office/cycles/{cycle.pk}/presentations/")
    page.locator("input[name=starts_at]").fill(f"{day}T09:00")
    page.locator("input[name=duration_minutes]").fill("120")
    page.locator("input[name=place]").fill("市市场监管局三楼会议室")
    page.locator("input[name=is_public]").check()
    for box in page.locator("input[name=panel]:checked").all():  # the stage's panel comes ticked
        box.uncheck()
    _submit(page)
    assert page.locator(".form-errors, .error").count() >= 1  # no panel chosen: refused, text kept
    assert page.locator("input[name=place]").input_value() == "市市场监管局三楼会议室"
    page.locator(f"input[name=panel][value='{member.pk}']").check()
    _submit(page)
    assert "/vetting/office/presentations/" in page.url
    page.locator("select[name=slot-application]").select_option(str(application_a.pk))
    page.locator("input[name=slot-starts_at]").fill(f"{day}T09:30")
    page.locator("input[name=slot-minutes]").fill("40")
    _submit(page, "schedule")
    _submit(page, "invite")
    assert page.locator(".messages .message-success").count() == 1
    assert axe_violations(page) == []
    screenshot(page, f"presentation-session-office-{suffix}")
    page.goto(page.base + f"/vetting/office/cycles/{cycle.pk}/presentations/")
    screenshot(page, f"presentation-sessions-office-{suffix}")
    close_page(page)
    slot = PresentationSlot.objects.get(application=application_a)
    assert slot.invited_at is not None

    # The enterprise confirms on its phone, from its application page.
    page = open_page(lang=lang, width=PHONE)
    login(page, applicant_a.email)
    page.goto(page.base + f"/applications/{application_a.pk}/")
    page.locator(f"a[href='/vetting/presentations/invitations/{slot.pk}/']").click()
    page.wait_for_load_state("load")
    fits(page)
    assert axe_violations(page) == []
    page.locator("input[name=response][value=confirmed]").check()
    screenshot(page, f"presentation-invitation-phone-{suffix}")
    _submit(page)
    assert page.url.endswith(f"/applications/{application_a.pk}/")
    close_page(page)
    slot.refresh_from_db()
    assert slot.confirmed

    # The office opens the session; the panel member records on the phone.
    page = open_page(lang=lang)
    login(page, secretary.email)
    page.goto(page.base + f"/vetting/office/presentations/{slot.session_id}/")
    _submit(page, "open")
    close_page(page)
    page = open_page(lang=lang, width=PHONE)
    login(page, member.email)
    page.goto(page.base + "/vetting/presentations/")
    fits(page)
    page.locator(f"a[href='/vetting/presentations/{slot.pk}/']").click()
    page.wait_for_load_state("load")
    fits(page)
    page.locator("input[name=score]").fill("101")
    _submit(page, "score")
    assert page.locator("#id_score_error").count() == 1  # off the scale: refused next to the field
    page.locator("input[name=score]").fill("86.5")
    _submit(page, "score")
    page.locator("select[name=category]").select_option("4.3")
    page.locator("textarea[name=question]").fill("顾客满意度如何测量？近三年趋势如何？")
    page.locator("textarea[name=answer]").fill("委托第三方每年调查，满意度由 86 分提升到 91 分。")
    _submit(page, "note")
    fits(page)
    assert axe_violations(page) == []
    screenshot(page, f"presentation-record-phone-{suffix}")
    close_page(page)
    assert PresentationScore.objects.get(slot=slot).score == 86.5
    assert PresentationNote.objects.get(slot=slot).category == "4.3"

    # The office's ranking: the presentation score and the weighted figure beside the panel score.
    page = open_page(lang=lang)
    login(page, secretary.email)
    page.goto(page.base + f"/reviews/office/cycle/{cycle.pk}/ranking/?basis=material")
    body = page.locator("main").inner_text()
    screenshot(page, f"presentation-ranking-{suffix}")
    assert "86.50" in body and "735.00" in body  # (0.8 × 0.7025 + 0.2 × 0.865) × 1000 = 562 + 173
    close_page(page)

    # Anyone sees the public schedule, with the confirmed enterprise and no score.
    page = open_page(lang=lang, width=PHONE)
    page.goto(page.base + "/vetting/presentations/public/")
    fits(page)
    body = page.locator("main").inner_text()
    assert "市市场监管局三楼会议室" in body and "86.5" not in body
    names = {"zh": application_a.enterprise.name_zh, "en": application_a.enterprise.name_en}
    assert names[suffix] in body
    assert axe_violations(page) == []
    screenshot(page, f"presentation-public-phone-{suffix}")
    close_page(page)
