"""The workbench pages: a happy path each, and a denial for every role that must not use them."""

import pytest
from django.urls import reverse
from django.utils import translation

from onsite import services
from onsite.enums import Finding, LogKind
from onsite.models import ItemConsensus, ItemFlag, PlanEntry, VisitLog
from tests.factories.enterprises import MembershipFactory
from tests.factories.files import png_upload
from tests.factories.onsite import shortlisted

pytestmark = pytest.mark.django_db


def _zh(message: str) -> str:
    """A message as the (Chinese-speaking, by default) test users read it."""
    with translation.override("zh-hans"):
        return translation.gettext(message)


@pytest.fixture
def s(cycle):
    return shortlisted(cycle)


@pytest.fixture
def visit(s, secretary):
    return services.visit_open(application=s.application, by=secretary)


@pytest.fixture
def owner(s):
    return MembershipFactory(enterprise=s.application.enterprise).user


def url(name, visit, **kw):
    return reverse(f"onsite:{name}", kwargs={"visit_id": visit.pk, **kw})


def test_the_team_sees_the_workbench_with_the_carried_over_issues(client_for, s, visit):
    for user in (s.leader, s.member):
        r = client_for(user).get(url("visit", visit))
        assert r.status_code == 200
        assert "核实高层领导述职记录" in r.content.decode()


def test_the_office_sees_it_read_only(client_for, s, visit, secretary):
    r = client_for(secretary).get(url("visit", visit))
    assert r.status_code == 200 and url("log", visit) not in r.content.decode()


@pytest.mark.parametrize("who", ["outsider", "material", "owner", "committee", "stranger_expert"])
def test_everyone_else_gets_404_on_every_workbench_page(client_for, s, visit, owner, committee_member, expert, who):
    user = {
        "outsider": s.outsider,
        "material": s.material[0].expert,
        "owner": owner,
        "committee": committee_member,
        "stranger_expert": expert,
    }[who]
    c = client_for(user)
    item = s.items[0]
    entry = PlanEntry.objects.create(visit=visit, kind="site", title="车间", added_by=s.leader)
    for name, kw in [
        ("visit", {}),
        ("log", {}),
        ("close", {}),
        ("consensus", {"item_pk": item.pk}),
    ]:
        assert c.get(url(name, visit, **kw)).status_code == 404, name
    for name, kw in [("dates", {}), ("plan_add", {}), ("issue_add", {}), ("plan_remove", {"entry_id": entry.pk})]:
        assert c.post(url(name, visit, **kw), {"title": "x"}).status_code == 404, name
    r = c.post(url("log", visit), {"issue": visit.issues.first().pk, "kind": "document", "subject": "x", "notes": "y"})
    assert r.status_code == 404 and VisitLog.objects.count() == 0


def test_anonymous_is_sent_to_log_in(anonymous, visit):
    r = anonymous.get(url("visit", visit))
    assert r.status_code == 302 and "/accounts/login/" in r["Location"]


def test_a_member_logs_with_a_photo(client_for, s, visit):
    c = client_for(s.member)
    issue = visit.issues.first()
    assert c.get(url("log", visit) + f"?issue={issue.pk}").status_code == 200
    r = c.post(
        url("log", visit),
        {
            "issue": issue.pk,
            "kind": LogKind.INTERVIEW,
            "subject": "王经理",
            "notes": "访谈记录",
            "files": [png_upload()],
        },
    )
    assert r.status_code == 302
    log = VisitLog.objects.get()
    assert log.evidence.count() == 1
    ev = log.evidence.get()
    r = c.get(url("evidence", visit, evidence_id=ev.pk))
    assert r.status_code == 200 and r["Content-Type"] == "image/png" and r["X-Content-Type-Options"] == "nosniff"


def test_a_bad_file_is_an_error_next_to_the_field_and_the_text_is_kept(client_for, s, visit):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("photo.jpg", b"not a picture at all", content_type="image/jpeg")
    r = client_for(s.member).post(
        url("log", visit),
        {
            "issue": visit.issues.first().pk,
            "kind": "document",
            "subject": "制度文件",
            "notes": "我的笔记",
            "files": [bad],
        },
    )
    body = r.content.decode()
    assert r.status_code == 400 and "photo.jpg" in body and "我的笔记" in body and "制度文件" in body
    assert VisitLog.objects.count() == 0


def test_a_log_after_the_visit_is_closed_is_refused_with_a_message(client_for, s, visit):
    services.visit_close(visit=visit, summary="总结", by=s.leader)
    c = client_for(s.member)
    r = c.post(
        url("log", visit),
        {"issue": visit.issues.first().pk, "kind": "document", "subject": "x", "notes": "y"},
        follow=True,
    )
    assert _zh("The visit is closed: nothing more can be logged or changed.") in r.content.decode()
    assert VisitLog.objects.count() == 0


def test_the_leader_plans_records_consensus_and_closes(client_for, s, visit, owner):
    c = client_for(s.leader)
    assert c.post(url("dates", visit), {"starts_on": "2026-12-08", "ends_on": "2026-12-09"}).status_code == 302
    r = c.post(
        url("plan_add", visit),
        {"kind": "agenda", "title": "首次会议", "detail": "会议室", "starts_at": "2026-12-08T09:00"},
    )
    assert r.status_code == 302 and PlanEntry.objects.filter(visit=visit).count() == 1
    item = s.items[0]
    assert c.get(url("consensus", visit, item_pk=item.pk)).status_code == 200
    r = c.post(url("consensus", visit, item_pk=item.pk), {"finding": Finding.CONFIRMED, "text": "属实"})
    assert r.status_code == 302 and ItemConsensus.objects.get().finding == Finding.CONFIRMED
    assert c.get(url("close", visit)).status_code == 200
    assert c.post(url("close", visit), {"summary": ""}).status_code == 400
    assert c.post(url("close", visit), {"summary": "末次会议总结"}).status_code == 302
    # The enterprise reads the summary and the findings, on the application too, never the logs.
    oc = client_for(owner)
    r = oc.get(url("summary", visit))
    assert r.status_code == 200 and "末次会议总结" in r.content.decode() and "属实" in r.content.decode()
    r = oc.get(reverse("awards:application", kwargs={"pk": s.application.pk}))
    assert "末次会议总结" in r.content.decode()
    assert oc.get(url("visit", visit)).status_code == 404


def test_a_member_may_not_plan_consensus_or_close(client_for, s, visit):
    c = client_for(s.member)
    assert c.post(url("plan_add", visit), {"kind": "site", "title": "x"}).status_code == 403
    assert c.get(url("consensus", visit, item_pk=s.items[0].pk)).status_code == 403
    assert c.get(url("close", visit)).status_code == 403
    assert c.post(url("dates", visit), {"starts_on": "2026-12-08", "ends_on": "2026-12-09"}).status_code == 403


def test_the_enterprise_cannot_read_the_summary_before_the_close(client_for, visit, owner):
    assert client_for(owner).get(url("summary", visit)).status_code == 404


def test_dates_in_the_wrong_order_are_a_form_error(client_for, s, visit):
    r = client_for(s.leader).post(url("dates", visit), {"starts_on": "2026-12-09", "ends_on": "2026-12-08"})
    assert r.status_code == 400


def test_the_list_shows_visits_by_role(client_for, s, visit, secretary, expert, applicant_a):
    assert s.application.display_name in client_for(s.member).get(reverse("onsite:my_visits")).content.decode()
    assert s.application.display_name in client_for(secretary).get(reverse("onsite:my_visits")).content.decode()
    assert s.application.display_name not in client_for(expert).get(reverse("onsite:my_visits")).content.decode()
    assert client_for(applicant_a).get(reverse("onsite:my_visits")).status_code == 403


def test_the_office_opens_a_visit_from_the_list(client_for, s, secretary):
    c = client_for(secretary)
    assert (
        reverse("onsite:open", kwargs={"app_pk": s.application.pk})
        in c.get(reverse("onsite:my_visits")).content.decode()
    )
    r = c.post(reverse("onsite:open", kwargs={"app_pk": s.application.pk}))
    assert r.status_code == 302 and s.application.site_visit.issues.count() == 3


def test_a_member_may_not_open(client_for, s):
    r = client_for(s.member).post(reverse("onsite:open", kwargs={"app_pk": s.application.pk}))
    assert r.status_code == 403


def test_an_expert_off_the_team_does_not_find_the_application(client_for, s):
    r = client_for(s.outsider).post(reverse("onsite:open", kwargs={"app_pk": s.application.pk}))
    assert r.status_code == 404


def test_a_material_expert_flags_an_item(client_for, s):
    a = s.material[2]
    c = client_for(a.expert)
    page = reverse("onsite:flags", kwargs={"assignment_id": a.pk})
    assert c.get(page).status_code == 200
    r = c.post(page, {"item": s.items[2].pk, "kind": "clarify", "note": "请说明"})
    assert r.status_code == 302 and ItemFlag.objects.filter(assignment=a).count() == 1
    r = c.post(page, {"item": s.items[2].pk, "kind": "verify", "note": ""})
    assert r.status_code == 400 and _zh("Say what the team should look at on site.") in r.content.decode()
    assert c.post(page, {"item": "abc", "kind": "verify", "note": "x"}).status_code == 400


def test_only_the_assignments_expert_sees_its_flags(client_for, s, secretary):
    page = reverse("onsite:flags", kwargs={"assignment_id": s.material[2].pk})
    for user in (s.material[0].expert, s.leader, secretary):
        assert client_for(user).get(page).status_code == 404
    # an on-site assignment has no flag page
    assert (
        client_for(s.leader).get(reverse("onsite:flags", kwargs={"assignment_id": s.onsite[0].pk})).status_code == 404
    )


def test_workbench_queries_do_not_grow_with_logs(client_for, s, visit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    c = client_for(s.member)
    services.log_add(
        visit=visit,
        issue=visit.issues.first(),
        kind="document",
        subject="首",
        notes="n",
        files=[png_upload()],
        by=s.member,
    )
    with CaptureQueriesContext(connection) as few:
        c.get(url("visit", visit))
    for i in range(6):
        services.log_add(
            visit=visit,
            issue=visit.issues.all()[i % 3],
            kind="document",
            subject=f"文件{i}",
            notes="n",
            files=[png_upload()],
            by=s.member,
        )
    with CaptureQueriesContext(connection) as many:
        c.get(url("visit", visit))
    assert len(many) == len(few)
