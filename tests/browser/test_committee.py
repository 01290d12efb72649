"""Journey: the secretary runs the committee meeting, members vote, the winners go through public
notice (an objection is lodged and dismissed) and are confirmed. Screenshots of every page, zh and en."""

import datetime as dt

from django.utils import timezone

from awards.enums import ApplicationStatus
from committee.models import Meeting, Objection, PublicNotice
from tests.factories.committee import committee_of, nominated_application

from .conftest import SCREENSHOTS, axe_violations, login, login_as, screenshot, switch_language


def both(page, name):
    """Check accessibility, then screenshot the current page in Chinese and in English."""
    assert axe_violations(page) == [], name
    screenshot(page, f"committee-{name}-zh", max_bytes=300_000)
    switch_language(page, "English")
    screenshot(page, f"committee-{name}-en", max_bytes=300_000)
    switch_language(page, "中文")


def test_committee_journey(page, cycle, secretary, committee_member, enterprise_a, enterprise_b):
    page.on("dialog", lambda d: d.accept())
    members = committee_of(cycle, 7, existing=[committee_member])
    a = nominated_application(cycle, enterprise=enterprise_a)
    nominated_application(cycle, enterprise=enterprise_b)

    # The secretary schedules the meeting through the form.
    login_as(page, secretary)
    page.goto(page.base + f"/committee/cycles/{cycle.pk}/")
    both(page, "cycle")
    page.get_by_role("link", name="安排会议").click()
    both(page, "meeting-form")
    page.locator("#id_starts_at").fill("2030-01-15T09:30")
    page.locator("#id_place").fill("市政府第一会议室")
    page.get_by_role("button", name="安排", exact=True).click()
    page.wait_for_load_state("load")
    meeting = Meeting.objects.get(cycle=cycle)
    assert page.url.endswith(f"/committee/meetings/{meeting.pk}/")

    # Opens the meeting and records attendance: five of seven present is a quorum.
    page.get_by_role("button", name="宣布开会").click()
    page.wait_for_load_state("load")
    for m in members[:5]:
        page.locator(f"input[name=present][value='{m.pk}']").check()
    page.get_by_role("button", name="记录出席情况").click()
    page.wait_for_load_state("load")
    assert "已达到法定人数" in page.content()
    for _ in range(2):
        page.get_by_role("button", name="开始表决").first.click()
        page.wait_for_load_state("load")
    both(page, "meeting-secretary")

    # Four members vote by secret ballot; none sees another's vote, and a cast vote cannot be changed.
    for m, choice in ((members[0], "赞成"), (members[1], "赞成"), (members[2], "赞成"), (members[3], "赞成")):
        login_as(page, m)
        page.goto(page.base + f"/committee/meetings/{meeting.pk}/")
        for ballot in page.locator("article.ballot").all():
            ballot.get_by_label(choice).check()
            ballot.get_by_role("button", name="投票").click()
            page.wait_for_load_state("load")
    # A member sees neither the others' votes nor the running count (that is the office's).
    assert "名有表决权的委员已投票" not in page.content() and "无记名投票：表决结束后仅显示票数。" in page.content()
    assert "您已投票。无记名投票不显示您的选择，也不能修改。" in page.content()
    assert members[0].full_name not in page.locator("article.ballot").first.inner_text()
    both(page, "meeting-member")
    page.goto(page.base + "/dashboard/")
    both(page, "dashboard-member")
    page.goto(page.base + f"/committee/meetings/{meeting.pk}/report/")
    # four charts: by city, district or county, industry and outcome
    page.wait_for_function("document.querySelectorAll('canvas[data-chart]').length === 4")
    both(page, "report")
    page.goto(page.base + f"/committee/ballots/{meeting.ballots.get(application=a).pk}/")
    both(page, "dossier")

    # The secretary closes the ballots and the meeting, and publishes the proposed winners.
    # The fifth member present did not vote: closing asks for confirmation and records the silence.
    login_as(page, secretary)
    page.goto(page.base + f"/committee/meetings/{meeting.pk}/")
    assert "4 / 5 名有表决权的委员已投票" in page.content()
    for i in range(2):
        page.get_by_role("button", name="结束表决").first.click()
        page.wait_for_load_state("load")
        assert members[4].full_name in page.locator("main").inner_text()
        if i == 0:
            both(page, "ballot-close-confirm")
        page.get_by_role("button", name="结束表决并记为未投票").click()
        page.wait_for_load_state("load")
    assert page.content().count("该企业获得通过") == 2
    page.get_by_role("button", name="宣布闭会").click()
    page.wait_for_load_state("load")
    meeting.refresh_from_db()
    assert meeting.status == "closed" and meeting.minutes_pdf
    both(page, "meeting-closed")

    # After the close a member sees the counts and who did not vote, never who voted how.
    login_as(page, members[1])
    page.goto(page.base + f"/committee/meetings/{meeting.pk}/")
    card = page.locator("article.ballot").first.inner_text()
    assert "4 / 5 名有表决权的委员投了票" in card and "未投票：" in card and members[4].full_name in card
    assert all(m.full_name not in card for m in members[:4])
    assert "如何投票" not in card.replace("不记录每位委员如何投票", "")
    login_as(page, secretary)
    page.goto(page.base + f"/committee/cycles/{cycle.pk}/")
    page.get_by_role("button", name="公示拟获奖企业").click()
    page.wait_for_load_state("load")
    # The office extends the notice by two days, with a reason the public reads.
    notice = PublicNotice.objects.get(cycle=cycle)
    page.get_by_role("link", name="变更公示期").click()
    page.wait_for_load_state("load")
    page.locator("#id_ends_on").fill((notice.starts_on + dt.timedelta(days=1)).isoformat())
    page.locator("#id_reason").fill("按规定调整")
    page.get_by_role("button", name="变更公示期").click()
    page.wait_for_load_state("load")
    assert "公示期至少 5 天" in page.locator("main form").first.inner_text()  # beside the field
    both(page, "notice-period-error")
    page.locator("#id_ends_on").fill((notice.ends_on + dt.timedelta(days=2)).isoformat())
    page.locator("#id_reason").fill("收到补充材料，延长公示期")
    page.get_by_role("button", name="变更公示期").click()
    page.wait_for_load_state("load")
    assert "延长至" in page.content()
    page.goto(page.base + "/dashboard/")
    both(page, "dashboard-secretary")

    # The public notice page shows the proposed winners; an objection is lodged.
    page.context.clear_cookies()
    page.goto(page.base + "/notice/")
    assert enterprise_a.name_zh in page.content() and enterprise_b.name_zh in page.content()
    assert "收到补充材料，延长公示期" in page.content()
    both(page, "notice")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "committee-notice-phone-zh")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name=f"提出异议 — {enterprise_a.name_zh}").click()
    both(page, "objection-form")
    page.locator("#id_reasons").fill("该企业去年发生过产品质量投诉，未如实申报。")
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_load_state("load")
    assert "不受理匿名异议" in page.content()
    assert page.locator("#id_reasons").input_value() == "该企业去年发生过产品质量投诉，未如实申报。"
    assert axe_violations(page) == []
    screenshot(page, "committee-objection-form-error-zh")
    page.locator("#id_name").fill("王五")
    page.locator("#id_contact").fill("13800000000")
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_load_state("load")
    assert Objection.objects.filter(name="王五").exists()
    both(page, "objection-done")

    # The secretary dismisses it with a reply.
    login_as(page, secretary)
    page.goto(page.base + f"/committee/cycles/{cycle.pk}/objections/")
    both(page, "objections")
    page.get_by_role("link", name="处理").click()
    both(page, "objection-handle")
    page.get_by_label("不予采纳").check()
    page.locator("#id_reply").fill("经核查，该投诉已于当年依法处理完毕，不影响评审结论。")
    page.get_by_role("button", name="记录处理决定").click()
    page.wait_for_load_state("load")
    assert Objection.objects.get().status == "dismissed"

    # Confirmation is refused during the period; once it has ended the winners are confirmed.
    page.goto(page.base + f"/committee/cycles/{cycle.pk}/confirm/")
    page.locator("#id_decree_number").fill("郴政函〔2030〕8号")
    page.locator("#id_decree_date").fill("2030-02-01")
    page.get_by_role("button", name="记录审定并确认获奖企业").click()
    page.wait_for_load_state("load")
    assert "期满后方可确认" in page.content()
    both(page, "confirm")
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    PublicNotice.objects.filter(cycle=cycle).update(starts_on=yesterday - dt.timedelta(days=6), ends_on=yesterday)
    page.locator("#id_decree_number").fill("郴政函〔2030〕8号")
    page.locator("#id_decree_date").fill("2030-02-01")
    page.get_by_role("button", name="记录审定并确认获奖企业").click()
    page.wait_for_load_state("load")
    assert "获奖企业已确认" in page.content()
    assert set(cycle.applications.values_list("status", flat=True)) == {ApplicationStatus.AWARDED}

    # The year's notice stays public after the confirmation, the objection anonymised.
    page.context.clear_cookies()
    page.goto(page.base + f"/notice/{cycle.year}/")
    text = page.locator("main").inner_text()
    assert enterprise_a.name_zh in text and "不予采纳" in text and "王五" not in text and "13800000000" not in text
    both(page, "notice-year")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "committee-notice-year-320-zh")
    page.set_viewport_size({"width": 1280, "height": 900})

    login_as(page, secretary)
    page.goto(page.base + "/committee/")
    both(page, "index")
    page.context.clear_cookies()
    page.goto(page.base + "/winners/")
    assert enterprise_a.name_zh in page.content() and "郴政函〔2030〕8号" in page.content()
    both(page, "winners")


def test_secretary_reschedules_a_meeting(page, cycle, secretary, committee_member, enterprise_a):
    from tests.factories.committee import schedule

    committee_of(cycle, 7, existing=[committee_member])
    nominated_application(cycle, enterprise=enterprise_a)
    meeting = schedule(cycle, secretary)
    login_as(page, secretary)
    page.goto(page.base + f"/committee/meetings/{meeting.pk}/")
    page.get_by_role("link", name="改期或取消").click()
    page.wait_for_load_state("load")
    both(page, "meeting-reschedule")
    page.set_viewport_size({"width": 320, "height": 800})
    screenshot(page, "committee-meeting-reschedule-320-zh")
    page.set_viewport_size({"width": 1280, "height": 900})
    # Into the past: refused next to the field.
    page.locator("#id_starts_at").fill("2020-01-15T09:30")
    page.locator("#id_reason").fill("会场冲突")
    page.get_by_role("button", name="改期并通知委员").click()
    page.wait_for_load_state("load")
    assert "会议不能改到已经过去的时间。" in page.locator("main form").first.inner_text()
    screenshot(page, "committee-meeting-reschedule-error-zh")
    page.locator("#id_starts_at").fill("2031-03-10T14:00")
    page.locator("#id_place").fill("市政府第二会议室")
    page.locator("#id_reason").fill("会场冲突")
    page.get_by_role("button", name="改期并通知委员").click()
    page.wait_for_load_state("load")
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M") == "2031-03-10 14:00"
    assert "会场冲突" in page.content() and "市政府第二会议室" in page.content()
    both(page, "meeting-rescheduled")


def test_winners_2017_page_shows_the_two_enterprises(page, db):
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.goto(page.base + "/winners/2017/")
    text = page.locator("main").inner_text()
    assert "Hunan Dijing Chemical New Material Co., Ltd." in text
    assert "Chenzhou Jinxing Construction Co., Ltd." in text
    assert "市长质量奖" in text
    both(page, "winners-2017")
    login(page, "secretary@demo.mqa.cn", "Award-demo-2026")
    meeting = Meeting.objects.get(cycle__year=2017)
    page.goto(page.base + f"/committee/meetings/{meeting.pk}/")
    both(page, "meeting-2017")


def _shot_at(page, name, selector):
    """A viewport screenshot with `selector` scrolled to the top, in Chinese and in English."""
    for lang, label in (("zh", None), ("en", "English")):
        if label:
            switch_language(page, label)
        page.wait_for_function("!window.Chart || document.querySelectorAll('canvas[data-score-chart]').length > 0")
        page.locator(selector).evaluate("el => el.scrollIntoView({block: 'start'})")
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{lang}.png"), full_page=False)
    switch_language(page, "中文")


def test_2017_report_and_dossier_show_the_expert_scores(page, db):
    """seed_demo: the 2017 meeting's report and dossiers carry the expert review's figures."""
    from django.core.management import call_command

    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    login(page, "secretary@demo.mqa.cn", "Award-demo-2026")
    meeting = Meeting.objects.get(cycle__year=2017)
    page.goto(page.base + f"/committee/meetings/{meeting.pk}/report/")
    text = page.locator("main").inner_text()
    assert "专家评审情况" in text and "736.53" in text  # Dijing's combined score, first in the ranking
    assert page.locator("canvas[data-score-chart='histogram']").is_visible()
    assert axe_violations(page) == []
    _shot_at(page, "committee-report-scores", "#experts-heading")
    dijing = meeting.ballots.get(application__enterprise__name_en__startswith="Hunan Dijing")
    page.goto(page.base + f"/committee/ballots/{dijing.pk}/")
    text = page.locator("main").inner_text()
    assert "703.33" in text and "758.66" in text and "现场评审" in text
    assert page.locator("canvas[data-score-chart='categories']").is_visible()
    assert axe_violations(page) == []
    _shot_at(page, "committee-dossier-scores", "#scores-heading")
    page.locator("#visit-heading").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(SCREENSHOTS / "committee-dossier-visit-zh.png"), full_page=False)
