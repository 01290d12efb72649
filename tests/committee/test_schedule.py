"""The office corrects the schedule: reschedule or cancel a meeting, extend or shorten a notice, the
decree date checked against the notice, and each year's notice public after the confirmation."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from committee import services
from committee.enums import MeetingStatus
from committee.models import GovernmentApproval, Meeting, NoticePeriodChange, ScheduleChange
from core.enums import AuditEventType
from core.errors import NotAllowed
from core.models import AuditEvent
from tests.factories.committee import schedule

pytestmark = pytest.mark.django_db


def _later(days=5):
    return timezone.now() + dt.timedelta(days=days)


# --- reschedule and cancel -----------------------------------------------------------------------


def test_reschedule_moves_the_meeting_and_mails_every_member(
    meeting, secretary, members, django_capture_on_commit_callbacks
):
    when = _later(10).replace(microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_reschedule(
            meeting=meeting, by=secretary, starts_at=when, place="市政府第二会议室", reason="主任出差"
        )
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place) == (when, "市政府第二会议室")
    change = ScheduleChange.objects.get(meeting=meeting)
    assert change.reason == "主任出差" and change.place_before == "市政府第一会议室"
    assert len(mail.outbox) == 7 and all("主任出差" in m.body for m in mail.outbox)
    assert "改期" in mail.outbox[0].subject
    assert AuditEvent.objects.filter(event=AuditEventType.MEETING_RESCHEDULED).count() == 1


def test_reschedule_refused_into_the_past_without_reason_for_members_and_once_open(
    meeting, secretary, members, committee_member
):
    before = (meeting.starts_at, meeting.place)
    with pytest.raises(NotAllowed) as e:
        services.meeting_reschedule(
            meeting=meeting, by=secretary, starts_at=timezone.now() - dt.timedelta(hours=1), place="x", reason="r"
        )
    assert e.value.code == "starts_past"
    with pytest.raises(NotAllowed) as e:
        services.meeting_reschedule(meeting=meeting, by=secretary, starts_at=_later(), place="x", reason=" ")
    assert e.value.code == "reason_required"
    with pytest.raises(PermissionDenied):
        services.meeting_reschedule(meeting=meeting, by=committee_member, starts_at=_later(), place="x", reason="r")
    services.meeting_open(meeting=meeting, by=secretary)
    with pytest.raises(NotAllowed) as e:
        services.meeting_reschedule(meeting=meeting, by=secretary, starts_at=_later(), place="x", reason="r")
    assert e.value.code == "not_scheduled"
    with pytest.raises(NotAllowed):
        services.meeting_cancel(meeting=meeting, by=secretary, reason="r")
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.place) == before and not ScheduleChange.objects.exists()


def test_cancel_mails_the_members_and_a_new_meeting_takes_the_candidates(
    meeting, secretary, members, cycle, candidates, committee_member, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        services.meeting_cancel(meeting=meeting, by=committee_member, reason="r")
    with pytest.raises(NotAllowed):
        services.meeting_cancel(meeting=meeting, by=secretary, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(meeting=meeting, by=secretary, reason="议程调整")
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED and meeting.cancel_reason == "议程调整"
    assert len(mail.outbox) == 7 and "取消" in mail.outbox[0].subject
    again = schedule(cycle, secretary)
    assert sorted(again.ballots.values_list("application_id", flat=True)) == sorted(c.pk for c in candidates)


def test_reschedule_page_office_only_and_errors_next_to_the_field(meeting, secretary, members, client_for):
    url = reverse("committee:meeting_reschedule", args=[meeting.pk])
    for user in (members[0], None):
        response = client_for(user).get(url)
        assert response.status_code in (403, 302)
    c = client_for(secretary)
    assert c.get(url).status_code == 200
    past = (timezone.localtime() - dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page = c.post(url, {"reschedule": "1", "starts_at": past, "place": "p", "reason": "r"}).content.decode()
    assert "会议不能改到已经过去的时间。" in page
    assert page.index("会议不能改到已经过去的时间。") > page.index('name="reschedule"') - 3000  # in the form
    future = (timezone.localtime() + dt.timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    response = c.post(url, {"reschedule": "1", "starts_at": future, "place": "新会场", "reason": "场地冲突"})
    assert response.status_code == 302
    page = c.get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    assert "场地冲突" in page and "新会场" in page
    response = c.post(url, {"cancel": "1", "cancel-reason": "取消原因"})
    assert response.status_code == 302 and Meeting.objects.get(pk=meeting.pk).status == "cancelled"


# --- notice period, decree date, the year's public notice -----------------------------------------


def _published(open_meeting, members, secretary, cycle, starts_on=None):
    for ballot in open_meeting.ballots.order_by("rank"):
        services.ballot_open(ballot=ballot, by=secretary)
        for m in members[:5]:
            services.vote_cast(ballot=ballot, by=m, choice="approve")
        services.ballot_close(ballot=ballot, by=secretary)
    services.meeting_close(meeting=open_meeting, by=secretary)
    return services.notice_publish(cycle=cycle, by=secretary, starts_on=starts_on)


def test_notice_extended_and_shortened_with_reason_shown_publicly(open_meeting, members, secretary, cycle, client_for):
    notice = _published(open_meeting, members, secretary, cycle)
    end = notice.ends_on
    services.notice_period_change(
        notice=notice, by=secretary, ends_on=end + dt.timedelta(days=3), reason="收到补充材料"
    )
    assert notice.ends_on == end + dt.timedelta(days=3)
    page = client_for(None).get(reverse("committee:notice")).content.decode()
    assert f"延长至 {notice.ends_on:%Y-%m-%d}" in page and "收到补充材料" in page
    services.notice_period_change(notice=notice, by=secretary, ends_on=end - dt.timedelta(days=2), reason="按规定调整")
    page = client_for(None).get(reverse("committee:notice")).content.decode()
    assert "缩短至" in page
    assert NoticePeriodChange.objects.filter(notice=notice).count() == 2
    cycle.refresh_from_db()
    assert cycle.public_notice_end == notice.ends_on


def test_notice_cannot_be_shortened_below_the_legal_minimum_or_into_the_past(
    open_meeting, members, secretary, cycle, committee_member
):
    notice = _published(open_meeting, members, secretary, cycle)
    minimum = notice.starts_on + dt.timedelta(days=cycle.min_notice_days - 1)
    with pytest.raises(NotAllowed) as e:
        services.notice_period_change(notice=notice, by=secretary, ends_on=minimum - dt.timedelta(days=1), reason="r")
    assert e.value.code == "below_minimum"
    with pytest.raises(NotAllowed):
        services.notice_period_change(notice=notice, by=secretary, ends_on=minimum, reason=" ")
    with pytest.raises(PermissionDenied):
        services.notice_period_change(notice=notice, by=committee_member, ends_on=minimum, reason="r")
    type(notice).objects.filter(pk=notice.pk).update(starts_on=notice.starts_on - dt.timedelta(days=20))
    notice.refresh_from_db()
    with pytest.raises(NotAllowed) as e:
        services.notice_period_change(
            notice=notice, by=secretary, ends_on=timezone.localdate() - dt.timedelta(days=1), reason="r"
        )
    assert e.value.code == "ends_past"
    assert not NoticePeriodChange.objects.exists()


def test_notice_period_page_office_only_and_error_next_to_the_field(
    open_meeting, members, secretary, cycle, client_for
):
    notice = _published(open_meeting, members, secretary, cycle)
    url = reverse("committee:notice_period", args=[notice.pk])
    assert client_for(members[0]).get(url).status_code == 403
    assert client_for(None).get(url).status_code == 302
    short = notice.starts_on + dt.timedelta(days=1)
    page = client_for(secretary).post(url, {"ends_on": short.isoformat(), "reason": "r"}).content.decode()
    assert "公示期至少 5 天" in page
    assert page.index("公示期至少 5 天") < page.index('name="reason"')  # beside the date, before the reason


def test_decree_date_before_the_notice_ends_refused(open_meeting, members, secretary, cycle, client_for):
    start = timezone.localdate() - dt.timedelta(days=10)
    notice = _published(open_meeting, members, secretary, cycle, starts_on=start)
    args = {"cycle": cycle, "by": secretary, "decree_number": "郴政函〔2026〕3号"}
    with pytest.raises(NotAllowed) as e:
        services.winners_confirm(**args, decree_date=notice.ends_on)
    assert e.value.code == "decree_early"
    assert not GovernmentApproval.objects.exists()
    page = (
        client_for(secretary)
        .post(
            reverse("committee:confirm", args=[cycle.pk]),
            {"decree_number": "郴政函〔2026〕3号", "decree_date": notice.ends_on.isoformat()},
        )
        .content.decode()
    )
    assert "文件日期不能早于公示结束" in page
    services.winners_confirm(**args, decree_date=notice.ends_on + dt.timedelta(days=1))
    assert GovernmentApproval.objects.filter(cycle=cycle).exists()


def test_the_years_notice_stays_public_after_confirmation_without_the_objectors_name(
    open_meeting, members, secretary, cycle, candidates, client_for
):
    notice = _published(open_meeting, members, secretary, cycle)
    objection = services.objection_lodge(
        notice=notice,
        application=candidates[0],
        name="李异议",
        contact="yiyi@example.cn",
        reasons="材料不实",
        ip="10.1.1.1",
    )
    services.objection_handle(
        objection=objection, by=secretary, outcome="dismissed", reply="李异议先生：经核查不属实。"
    )
    type(notice).objects.filter(pk=notice.pk).update(
        starts_on=notice.starts_on - dt.timedelta(days=10), ends_on=notice.ends_on - dt.timedelta(days=10)
    )
    services.winners_confirm(
        cycle=cycle, by=secretary, decree_number="郴政函〔2026〕4号", decree_date=timezone.localdate()
    )
    anonymous = client_for(None)
    assert cycle.title_zh not in anonymous.get(reverse("committee:notice")).content.decode().split("往年公示")[0]
    listing = anonymous.get(reverse("committee:notice")).content.decode()
    assert reverse("committee:notice_year", args=[cycle.year]) in listing
    page = anonymous.get(reverse("committee:notice_year", args=[cycle.year])).content.decode()
    assert candidates[0].enterprise.name_zh in page and "不予采纳" in page and "郴政函〔2026〕4号" in page
    for secret in ("李异议", "yiyi@example.cn", "材料不实", "经核查不属实"):
        assert secret not in page
    assert anonymous.get(reverse("committee:notice_year", args=[1999])).status_code == 404
