"""Committee pages: happy paths, and a denial for every URL and every role that must not use it."""

import datetime as dt
import errno
import os
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards.enums import ApplicationStatus
from committee import services
from committee.models import Objection, Vote
from tests.factories.files import pdf_bytes

pytestmark = pytest.mark.django_db

PDF = pdf_bytes()


@pytest.fixture
def world(open_ballot, secretary, members, cycle, candidates):
    """A meeting in session with the first ballot open, plus a notice and an objection in another cycle."""
    return {"meeting": open_ballot.meeting, "ballot": open_ballot, "cycle": cycle}


def _objection(cycle, secretary, application):
    from committee.models import PublicNotice

    notice = PublicNotice.objects.create(
        cycle=cycle, starts_on=timezone.localdate(), ends_on=timezone.localdate(), published_by=secretary
    )
    notice.applications.add(application)
    return Objection.objects.create(notice=notice, application=application, name="张三", contact="a@b.cn", reasons="r")


# (url name, kwargs builder, method, who may use it: "view" members+office, "manage" office, "vote" members)
URLS = [
    ("committee:my_committee", lambda w: {}, "get", "view"),
    ("committee:cycle", lambda w: {"cycle_id": w["cycle"].pk}, "get", "view"),
    ("committee:meeting_new", lambda w: {"cycle_id": w["cycle"].pk}, "get", "manage"),
    ("committee:notice_publish", lambda w: {"cycle_id": w["cycle"].pk}, "post", "manage"),
    ("committee:objections", lambda w: {"cycle_id": w["cycle"].pk}, "get", "manage"),
    ("committee:confirm", lambda w: {"cycle_id": w["cycle"].pk}, "get", "manage"),
    ("committee:meeting", lambda w: {"pk": w["meeting"].pk}, "get", "view"),
    ("committee:meeting_invite", lambda w: {"pk": w["meeting"].pk}, "post", "manage"),
    ("committee:meeting_agenda", lambda w: {"pk": w["meeting"].pk}, "post", "manage"),
    ("committee:meeting_open", lambda w: {"pk": w["meeting"].pk}, "post", "manage"),
    ("committee:meeting_attendance", lambda w: {"pk": w["meeting"].pk}, "post", "manage"),
    ("committee:meeting_ranks", lambda w: {"pk": w["meeting"].pk}, "post", "manage"),
    ("committee:meeting_tie", lambda w: {"pk": w["meeting"].pk}, "post", "manage"),
    ("committee:meeting_remark", lambda w: {"pk": w["meeting"].pk}, "post", "manage"),
    ("committee:meeting_close", lambda w: {"pk": w["meeting"].pk}, "post", "manage"),
    ("committee:report", lambda w: {"pk": w["meeting"].pk}, "get", "view"),
    ("committee:report_pdf", lambda w: {"pk": w["meeting"].pk}, "post", "view"),
    ("committee:minutes_pdf", lambda w: {"pk": w["meeting"].pk}, "get", "view"),
    ("committee:dossier", lambda w: {"pk": w["ballot"].pk}, "get", "view"),
    ("committee:ballot_open", lambda w: {"pk": w["ballot"].pk}, "post", "manage"),
    ("committee:ballot_close", lambda w: {"pk": w["ballot"].pk}, "post", "manage"),
    ("committee:ballot_vote", lambda w: {"pk": w["ballot"].pk}, "post", "vote"),
    ("committee:ballot_recuse", lambda w: {"pk": w["ballot"].pk}, "post", "view"),
    ("committee:objection_handle", lambda w: {"pk": w["objection"].pk}, "get", "manage"),
    ("committee:objection_evidence", lambda w: {"pk": w["objection"].pk}, "get", "manage"),
    ("committee:meeting_reschedule", lambda w: {"pk": w["meeting"].pk}, "get", "manage"),
    ("committee:meeting_reschedule", lambda w: {"pk": w["meeting"].pk}, "post", "manage"),
    ("committee:notice_period", lambda w: {"pk": w["objection"].notice_id}, "get", "manage"),
    ("committee:notice_period", lambda w: {"pk": w["objection"].notice_id}, "post", "manage"),
]


@pytest.fixture
def outsider_member(db):
    """A committee member of another cycle."""
    from awards.enums import CycleRole
    from tests.factories.awards import CycleMembershipFactory

    return CycleMembershipFactory(role=CycleRole.COMMITTEE).user


@pytest.mark.parametrize(("name", "kwargs", "method", "who"), URLS, ids=[f"{u[0]}-{u[2]}" for u in URLS])
@pytest.mark.parametrize("role", ["anonymous", "applicant_a", "expert", "committee_member", "outsider_member"])
def test_denials(request, world, secretary, client_for, name, kwargs, method, who, role):
    world["objection"] = _objection(world["cycle"], secretary, world["ballot"].application)
    url = reverse(name, kwargs=kwargs(world))
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_for(user)
    response = getattr(client, method)(url)
    if role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif role == "outsider_member" and name == "committee:my_committee":
        assert response.status_code == 200  # lists the outsider's own cycle only
        assert world["cycle"].title_zh not in response.content.decode()
    elif role == "committee_member" and who in ("view", "vote"):
        assert response.status_code in (200, 302, 404)  # allowed (404: no PDF rendered yet)
    elif name == "committee:my_committee" or (
        role == "committee_member" and not name.startswith("committee:objection_")
    ):
        assert response.status_code == 403, (
            name,
            role,
            response.status_code,
        )  # a list page, or one they see but may not manage
    else:
        # Not theirs to see (another cycle's member, an applicant, an expert; objections are the
        # office's alone): not found, exactly like an object that does not exist.
        assert response.status_code == 404, (name, role, response.status_code)


@pytest.mark.parametrize(("name", "kwargs", "method", "who"), [u for u in URLS if u[3] == "vote"])
def test_secretary_does_not_vote(world, secretary, client_for, name, kwargs, method, who):
    response = client_for(secretary).post(reverse(name, kwargs=kwargs(world)), {"choice": "approve"})
    assert response.status_code == 403
    assert not Vote.objects.exists()


def test_roll_call_member_votes_and_does_not_see_others_votes_until_close(
    roll_call_ballot, members, client_for, secretary
):
    ballot, meeting = roll_call_ballot, roll_call_ballot.meeting
    c0, c1 = client_for(members[0]), client_for(members[1])
    url = reverse("committee:ballot_vote", args=[ballot.pk])
    c0.post(url, {"choice": "approve"})
    c1.post(url, {"choice": "reject"})
    c1.post(url, {"choice": "abstain"})
    assert Vote.objects.filter(ballot=ballot).count() == 2
    page = c0.get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    # A member sees neither how others voted nor how many have voted; the office sees the count.
    assert "eligible members have voted" not in page and "名有表决权的委员已投票" not in page
    office = client_for(secretary).get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    assert "2 / 5 名有表决权的委员已投票" in office
    assert members[1].full_name not in page.split("ballot-" + str(ballot.pk))[1].split("</article>")[0]
    for m in members[2:5]:
        services.vote_cast(ballot=ballot, by=m, choice="approve")
    client_for(secretary).post(reverse("committee:ballot_close", args=[ballot.pk]))
    page = c0.get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    assert members[1].full_name in page
    ballot.refresh_from_db()
    assert ballot.passed is True  # 4 of 5 present (the abstention counts in the base)
    assert (ballot.approvals, ballot.abstentions) == (4, 1)


def test_secret_ballot_member_never_sees_who_voted_how(world, members, client_for, secretary):
    ballot, meeting = world["ballot"], world["meeting"]
    url = reverse("committee:ballot_vote", args=[ballot.pk])
    for m, choice in zip(members[:5], ["approve", "reject", "approve", "approve", "approve"], strict=True):
        client_for(m).post(url, {"choice": choice})
    refused = client_for(members[1]).post(url, {"choice": "approve"}, follow=True).content.decode()
    assert "不能修改" in refused
    client_for(secretary).post(reverse("committee:ballot_close", args=[ballot.pk]))
    ballot.refresh_from_db()
    assert ballot.status == "closed" and (ballot.approvals, ballot.rejections) == (4, 1) and ballot.passed
    card = client_for(members[0]).get(reverse("committee:meeting", args=[meeting.pk])).content.decode()
    card = card.split(f'id="ballot-{ballot.pk}"')[1].split("</article>")[0]
    assert "无记名投票" in card
    for m in members[1:5]:
        assert m.full_name not in card  # no name next to any choice (nor a list of choices at all)
    assert not Vote.objects.exists()


def test_closing_before_everyone_voted_asks_for_confirmation(world, members, client_for, secretary):
    ballot = world["ballot"]
    for m in members[:3]:
        services.vote_cast(ballot=ballot, by=m, choice="approve")
    c = client_for(secretary)
    page = c.post(reverse("committee:ballot_close", args=[ballot.pk])).content.decode()
    assert "3 / 5 名有表决权的委员已投票" in page and members[3].full_name in page and members[4].full_name in page
    ballot.refresh_from_db()
    assert ballot.status == "open"
    c.post(reverse("committee:ballot_close", args=[ballot.pk]), {"confirm": "1"})
    ballot.refresh_from_db()
    assert ballot.status == "closed" and ballot.passed is False  # 3 × 3 < 2 × 5
    assert [m["id"] for m in ballot.roll["not_voted"]] == sorted(
        [members[3].pk, members[4].pk], key=lambda pk: next(m.full_name for m in members if m.pk == pk)
    )


def test_refused_vote_shows_the_reason(world, members, client_for):
    response = client_for(members[6]).post(
        reverse("committee:ballot_vote", args=[world["ballot"].pk]), {"choice": "approve"}, follow=True
    )
    assert (
        "Only members recorded as present may vote." in response.content.decode() or "出席" in response.content.decode()
    )
    assert not Vote.objects.exists()


def test_secretary_runs_the_meeting_through_pages(cycle, secretary, members, candidates, client_for):
    c = client_for(secretary)
    r = c.post(
        reverse("committee:meeting_new", args=[cycle.pk]),
        {"starts_at": "2030-01-15T09:30", "place": "市政府第三会议室", "notes": ""},
    )
    assert r.status_code == 302
    meeting = cycle.meetings.get()
    c.post(reverse("committee:meeting_open", args=[meeting.pk]))
    c.post(reverse("committee:meeting_attendance", args=[meeting.pk]), {"present": [u.pk for u in members[:5]]})
    for b in meeting.ballots.all():
        c.post(reverse("committee:ballot_open", args=[b.pk]))
        for m in members[:5]:
            client_for(m).post(reverse("committee:ballot_vote", args=[b.pk]), {"choice": "approve"})
        c.post(reverse("committee:ballot_close", args=[b.pk]))
    c.post(reverse("committee:meeting_remark", args=[meeting.pk]), {"text": "建议扩大宣传。"})
    r = c.post(reverse("committee:meeting_close", args=[meeting.pk]), follow=True)
    assert r.status_code == 200
    meeting.refresh_from_db()
    assert meeting.status == "closed" and meeting.remarks.count() == 1
    r = c.post(reverse("committee:notice_publish", args=[cycle.pk]))
    assert {a.status for a in cycle.applications.all()} == {ApplicationStatus.PUBLIC_NOTICE}
    r = c.get(reverse("committee:report", args=[meeting.pk]))
    assert r.status_code == 200 and "committee-chart-data" in r.content.decode()


def test_meeting_form_keeps_input_on_error(cycle, secretary, client_for):
    r = client_for(secretary).post(
        reverse("committee:meeting_new", args=[cycle.pk]), {"starts_at": "not a date", "place": "会议室"}
    )
    assert r.status_code == 200
    assert "会议室" in r.content.decode()


@pytest.fixture
def notice(open_meeting, members, secretary, cycle):
    for ballot in open_meeting.ballots.all():
        services.ballot_open(ballot=ballot, by=secretary)
        for m in members[:5]:
            services.vote_cast(ballot=ballot, by=m, choice="approve")
        services.ballot_close(ballot=ballot, by=secretary)
    services.meeting_close(meeting=open_meeting, by=secretary)
    return services.notice_publish(cycle=cycle, by=secretary)


def test_public_notice_page_lists_proposed_winners(notice, anonymous):
    page = anonymous.get(reverse("committee:notice")).content.decode()
    assert "郴州甲企业有限公司" in page and "郴州乙企业有限公司" in page


def test_objection_lodged_with_evidence(notice, candidates, anonymous):
    url = reverse("committee:objection_new", args=[notice.pk])
    r = anonymous.post(
        url,
        {
            "application": candidates[0].pk,
            "name": "王五",
            "contact": "wangwu@example.cn",
            "reasons": "该企业存在虚报数据。",
            "evidence": SimpleUploadedFile("e.pdf", PDF, content_type="application/pdf"),
        },
    )
    assert r.status_code == 302 and r["Location"].endswith("/done/")
    o = Objection.objects.get()
    assert o.evidence and o.ip_address == "127.0.0.1"


def test_objection_without_name_or_contact_refused_text_kept(notice, candidates, anonymous):
    url = reverse("committee:objection_new", args=[notice.pk])
    r = anonymous.post(url, {"application": candidates[0].pk, "name": "", "contact": "", "reasons": "我的理由很长。"})
    page = r.content.decode()
    assert r.status_code == 200 and "我的理由很长。" in page
    assert "Anonymous objections are not accepted" in page or "不受理匿名" in page
    r = anonymous.post(
        url, {"application": candidates[0].pk, "name": "王五", "contact": "not a contact", "reasons": "x"}
    )
    assert "not a contact" in r.content.decode()
    assert not Objection.objects.exists()


def test_objection_after_period_refused_text_kept(notice, candidates, anonymous):
    type(notice).objects.filter(pk=notice.pk).update(
        starts_on=notice.starts_on - dt.timedelta(days=10), ends_on=notice.ends_on - dt.timedelta(days=10)
    )
    r = anonymous.post(
        reverse("committee:objection_new", args=[notice.pk]),
        {"application": candidates[0].pk, "name": "王五", "contact": "13800000000", "reasons": "逾期的理由。"},
    )
    page = r.content.decode()
    assert "逾期的理由。" in page and not Objection.objects.exists()


def test_objection_rate_limited(notice, candidates, anonymous):
    from django.core.cache import cache

    cache.clear()
    url = reverse("committee:objection_new", args=[notice.pk])
    data = {"application": candidates[0].pk, "name": "王五", "contact": "13800000000", "reasons": "理由。"}
    for _ in range(services.OBJECTIONS_PER_HOUR):
        anonymous.post(url, data)
    r = anonymous.post(url, {**data, "reasons": "第六次的理由。"})
    assert "第六次的理由。" in r.content.decode()
    assert Objection.objects.count() == services.OBJECTIONS_PER_HOUR
    cache.clear()


def test_secretary_handles_objection_and_confirms(notice, candidates, secretary, client_for, cycle):
    o = services.objection_lodge(
        notice=notice, application=candidates[0], name="王五", contact="a@b.cn", reasons="理由", ip="10.1.1.1"
    )
    c = client_for(secretary)
    assert "王五" in c.get(reverse("committee:objections", args=[cycle.pk])).content.decode()
    r = c.post(reverse("committee:objection_handle", args=[o.pk]), {"outcome": "dismissed", "reply": "经核查不属实。"})
    assert r.status_code == 302
    r = c.post(
        reverse("committee:confirm", args=[cycle.pk]),
        {"decree_number": "郴政函〔2030〕8号", "decree_date": "2030-02-01"},
    )
    assert r.status_code == 200 and "郴政函〔2030〕8号" in r.content.decode()  # refused: period running
    type(notice).objects.filter(pk=notice.pk).update(ends_on=timezone.localdate() - dt.timedelta(days=1))
    r = c.post(
        reverse("committee:confirm", args=[cycle.pk]),
        {"decree_number": "郴政函〔2030〕8号", "decree_date": "2030-02-01"},
    )
    assert r.status_code == 302
    assert {a.status for a in cycle.applications.all()} == {ApplicationStatus.AWARDED}
    page = client_for(None).get(reverse("committee:winners_year", args=[cycle.year])).content.decode()
    assert "郴州甲企业有限公司" in page and "郴政函〔2030〕8号" in page
    # Afterwards the confirmation page shows the recorded approval, not an empty form to fill again.
    again = client_for(secretary).get(reverse("committee:confirm", args=[cycle.pk])).content.decode()
    assert "郴政函〔2030〕8号" in again and 'name="decree_number"' not in again
    assert "郴州甲企业有限公司" in again


def test_winners_page_publishes_revocations_with_their_date_not_the_reason(anonymous, db, cycle, secretary):
    from certificates.services import certificate_revoke
    from tests.factories.certificates import issued_certificate

    kept = issued_certificate(cycle=cycle)
    lost = issued_certificate(cycle=cycle)
    certificate_revoke(certificate=lost, by=secretary, reason="材料造假（内部说明）")
    page = anonymous.get(reverse("committee:winners_year", args=[cycle.year]), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    won, revoked = html.split("Awards revoked") if "Awards revoked" in html else html.split("已撤销")
    assert kept.application.enterprise.name_zh in won and lost.application.enterprise.name_zh not in won
    assert lost.application.enterprise.name_zh in revoked
    assert timezone.localdate().isoformat() in revoked
    assert "材料造假" not in html


def test_winners_page_unknown_year_404(anonymous, db):
    assert anonymous.get(reverse("committee:winners_year", args=[1990])).status_code == 404
    assert anonymous.get(reverse("committee:winners")).status_code == 200


def test_meeting_page_queries_do_not_grow(open_meeting, secretary, client_for, django_assert_max_num_queries, cycle):
    from tests.factories.committee import nominated_application

    c = client_for(secretary)
    url = reverse("committee:meeting", args=[open_meeting.pk])
    c.get(url)
    with django_assert_max_num_queries(60) as small:
        c.get(url)
    for _ in range(6):
        app = nominated_application(cycle)
        open_meeting.ballots.create(application=app, rank=9)
    with django_assert_max_num_queries(len(small.captured_queries) + 2):
        c.get(url)


def test_public_pages_queries_do_not_grow(notice, anonymous, django_assert_max_num_queries):
    anonymous.get(reverse("committee:notice"))
    with django_assert_max_num_queries(12):
        anonymous.get(reverse("committee:notice"))
    with django_assert_max_num_queries(12):
        anonymous.get(reverse("committee:winners"))


def test_minutes_pdf_served_to_members_only(notice, members, client_for, applicant_a):
    meeting = notice.cycle.meetings.get()
    from committee.tasks import render_minutes

    render_minutes(meeting_id=meeting.pk)
    url = reverse("committee:minutes_pdf", args=[meeting.pk])
    r = client_for(members[0]).get(url)
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    assert b"".join(r.streaming_content).startswith(b"%PDF")
    assert client_for(applicant_a).get(url).status_code == 404


def test_objection_with_a_disguised_evidence_file_refused_text_kept(notice, candidates, anonymous):
    r = anonymous.post(
        reverse("committee:objection_new", args=[notice.pk]),
        {
            "application": candidates[0].pk,
            "name": "王五",
            "contact": "13800000000",
            "reasons": "附件是证据。",
            "evidence": SimpleUploadedFile("evidence.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf"),
        },
    )
    page = r.content.decode()
    assert r.status_code == 200 and "附件是证据。" in page and "evidence.pdf" in page
    assert not Objection.objects.exists()


def _objection_post(candidates, evidence):
    return {
        "application": candidates[0].pk,
        "name": "王五",
        "contact": "wangwu@example.cn",
        "reasons": "该企业存在虚报数据，详见附件。",
        "evidence": evidence,
    }


def test_objection_evidence_is_stored_under_a_generated_name_and_served_safely(
    notice, candidates, anonymous, client_for, secretary
):
    upload = SimpleUploadedFile("poly.html", PDF, content_type="text/html")
    anonymous.post(reverse("committee:objection_new", args=[notice.pk]), _objection_post(candidates, upload))
    o = Objection.objects.get()
    assert o.evidence.name.startswith("committee/objections/") and o.evidence.name.endswith(".pdf")
    assert "poly" not in o.evidence.name
    r = client_for(secretary).get(reverse("committee:objection_evidence", args=[o.pk]))
    assert r["Content-Type"] == "application/pdf" and r["X-Content-Type-Options"] == "nosniff"
    assert r["Content-Disposition"] == f'attachment; filename="objection-{o.pk}.pdf"'


def test_objection_with_an_html_polyglot_is_refused(notice, candidates, anonymous):
    poly = SimpleUploadedFile("e.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF")
    r = anonymous.post(reverse("committee:objection_new", args=[notice.pk]), _objection_post(candidates, poly))
    assert r.status_code == 200 and "e.pdf" in r.content.decode()
    assert not Objection.objects.exists()


def test_objection_on_a_full_disk_keeps_the_text_and_leaves_nothing(notice, candidates, anonymous, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)

    def fdopen(fd, mode):
        os.close(fd)
        raise OSError(errno.ENOSPC, "No space left on device")

    upload = SimpleUploadedFile("e.pdf", PDF, content_type="application/pdf")
    with mock.patch("core.storage.os.fdopen", fdopen):
        r = anonymous.post(reverse("committee:objection_new", args=[notice.pk]), _objection_post(candidates, upload))
    page = r.content.decode()
    assert r.status_code == 200 and "该企业存在虚报数据，详见附件。" in page and "wangwu@example.cn" in page
    assert "未能保存" in page
    assert not Objection.objects.exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]


@pytest.mark.parametrize("name", ["\u200b", "\u200b\u200d\u2060\ufeff", "\u3164\u3164"])
def test_a_zero_width_name_is_not_a_real_name(notice, candidates, anonymous, name):
    post = _objection_post(candidates, "")
    post.pop("evidence")
    r = anonymous.post(reverse("committee:objection_new", args=[notice.pk]), post | {"name": name})
    page = r.content.decode()
    assert r.status_code == 200 and "该企业存在虚报数据，详见附件。" in page
    assert not Objection.objects.exists()


def test_a_full_width_name_is_normalised(notice, candidates, anonymous):
    post = _objection_post(candidates, "")
    post.pop("evidence")
    anonymous.post(reverse("committee:objection_new", args=[notice.pk]), post | {"name": "Ｗａｎｇ\u200b　Ｗｕ"})
    assert Objection.objects.get().name == "Wang Wu"


def test_objection_text_has_a_stated_maximum(notice, candidates, anonymous):
    url = reverse("committee:objection_new", args=[notice.pk])
    page = anonymous.get(url).content.decode()
    assert 'maxlength="5000"' in page and "5000" in page.split('maxlength="5000"', 1)[1]
    post = _objection_post(candidates, "")
    post.pop("evidence")
    r = anonymous.post(url, post | {"reasons": "很" * 5001})
    assert r.status_code == 200 and not Objection.objects.exists()
    assert r.context["form"].errors["reasons"]
