"""No input gives an error page (issue 12): every URL pattern and every form, for every role, with
bad values in path segments, query parameters and form fields. Asserts no 500 and no exception.

One database set-up for the whole walk (a single test), values sampled per field (each form is sent
a few times, each field with a different value of the corpus each time), the Django test client.
"""

from __future__ import annotations

import itertools
import time
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from awards.enums import ApplicationStatus
from tests.factories.awards import ApplicationFactory
from tests.factories.committee import schedule
from tests.factories.core import UserFactory
from tests.factories.enterprises import InvitationFactory
from tests.factories.reviews import AssignmentFactory, PanelFactory, ReviewRoundFactory
from tests.factories.world import build, routes, values_for, world

pytestmark = pytest.mark.django_db

LONG = "长" * 10_000
# Values that reach PostgreSQL only through a validating field (NUL is refused by a middleware).
CORPUS = [
    "NaN",
    "sNaN",
    "Infinity",
    "-Infinity",
    "1e309",
    "-0",
    "abc",
    "-1",
    "99999999999999999999",
    LONG,
    "A" * 10_000,
    "\u202e\u200f\u200b",  # RTL override, RTL mark, zero-width space
    "\u200b",
    "Ab中文العربيةКириллица",  # mixed scripts
    "\x01\x07\x1b\x7f",  # control characters
    "٣٤",  # Arabic-Indic digits
    "１２",  # full-width digits
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "",
    "2026-02-30",
    "0x10",
    "%00",
]
NUL_CORPUS = ["\x00", "a\x00b"]
PATH_CORPUS = ["abc", "%00", "99999999999999999999", "x" * 300, "%E2%80%8B"]
QUERY_NAMES = [
    "q",
    "page",
    "p",
    "o",
    "status",
    "cycle",
    "round",
    "city",
    "district",
    "candidate",
    "by",
    "invitation",
    "next",
]


class _Forms(HTMLParser):
    """The forms of a page: method, action and fields (name, kind, options)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": []}
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "textarea", "select", "button") and a.get("name"):
            kind = a.get("type", "text") if tag == "input" else tag
            field = {"name": a["name"], "kind": kind, "value": a.get("value") or "", "options": []}
            if tag == "button" and kind not in ("submit",):
                kind = "submit"
            if kind not in ("reset",):
                self._form["fields"].append(field)
            if tag == "select":
                self._select = field
        elif tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


class Walk:
    def __init__(self, clients):
        self.clients = clients
        self.failures: list[str] = []
        self.requests = 0
        self.forms_seen: set = set()
        self.variant = itertools.count()

    def send(self, role, method, url, data=None):
        client = self.clients[role]
        self.requests += 1
        try:
            response = client.get(url, data) if method == "get" else client.post(url, data or {})
        except Exception as exc:  # noqa: BLE001 -- the walk reports every failure at the end
            self.failures.append(f"{role} {method.upper()} {url} {_short(data)}: {type(exc).__name__}: {exc}"[:400])
            return None
        if response.status_code >= 500:
            self.failures.append(f"{role} {method.upper()} {url} {_short(data)}: HTTP {response.status_code}")
        return response

    def page(self, role, url):
        response = self.send(role, "get", url)
        if response is None or response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            return
        # Query parameters the views read, all at once with one bad value (a different one each page).
        value = CORPUS[next(self.variant) % len(CORPUS)]
        self.send(role, "get", url, dict.fromkeys(QUERY_NAMES, value))
        parser = _Forms()
        parser.feed(response.content.decode(errors="replace"))
        for form in parser.forms:
            self.form(role, url, form)

    def form(self, role, page_url, form):
        action = urlsplit(urljoin("http://testserver" + page_url, form["action"]))
        if action.netloc != "testserver" or action.path.rstrip("/").endswith("logout"):
            return
        names = tuple(sorted({f["name"] for f in form["fields"]}))
        key = (role, action.path, form["method"], names)
        if key in self.forms_seen:
            return
        self.forms_seen.add(key)
        for variant in range(3):
            corpus = NUL_CORPUS if variant == 0 else CORPUS
            start = next(self.variant)
            data: dict[str, object] = {}
            for i, field in enumerate(form["fields"]):
                name, kind = field["name"], field["kind"]
                if name == "csrfmiddlewaretoken" or kind == "submit":
                    data.setdefault(name, field["value"])
                    continue
                bad = corpus[(start + i) % len(corpus)]
                if kind == "file":
                    data[name] = SimpleUploadedFile(
                        "poly.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF", "application/pdf"
                    )
                elif kind in ("checkbox", "radio", "select") and field["options"] and variant == 2:
                    data[name] = [field["options"][-1], bad]  # a real choice beside a bad one
                else:
                    data[name] = bad
            if form["method"] == "post":
                self.send(role, "post", action.path, data)
            else:
                self.send(role, "get", action.path, {k: v for k, v in data.items() if isinstance(v, str)})


def _short(data):
    if not data:
        return ""
    text = urlencode({k: (v if isinstance(v, str) else "<file>") for k, v in data.items()}, doseq=True)
    return text[:160]


def test_no_input_gives_an_error_page(
    client_for, secretary, expert, committee_member, applicant_a, enterprise_a, cycle, admin_user, settings
):
    settings.REGISTRATION_RATE_LIMIT = 10_000
    set_up = time.monotonic()
    by_keyword, by_name, tokens, _objects = world(
        secretary, expert, committee_member, applicant_a, enterprise_a, cycle, admin_user
    )
    roles = {
        "anonymous": None,
        "applicant": applicant_a,
        "expert": expert,
        "committee": committee_member,
        "secretary": secretary,
        "admin": admin_user,
    }
    clients = {}
    for role, user in roles.items():
        clients[role] = Client(raise_request_exception=True)
        if user is not None:
            clients[role].force_login(user)
    walk = Walk(clients)
    started = time.monotonic()
    print(f"bad-input walk: set-up {started - set_up:.0f} s")
    patterns = list(routes())
    assert len(patterns) > 80  # the walk sees the whole site

    for route, _name in patterns:
        values = values_for(route, by_keyword, by_name, tokens)
        names = list(values)
        for combo in itertools.product(*(values[n] for n in names)) if names else [()]:
            url = build(route, dict(zip(names, combo, strict=True)))
            for role in roles:
                walk.page(role, url)
        # Path segments: each parameter in turn replaced by bad values, the others real.
        for name in names:
            for bad in PATH_CORPUS:
                url = build(route, {n: (bad if n == name else values[n][0]) for n in names})
                walk.send("secretary", "get", url)  # a converter refuses it before any role is looked at
        # NUL in a query parameter is refused before any view sees it.
        walk.send("anonymous", "get", build(route, {n: values[n][0] for n in names}), {"q": "\x00"})

    # The Django admin: every model's list with bad search, ordering, page and filter values; its forms.
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        for bad in ("abc", LONG, "\u202e\u200b", "-1", "NaN"):
            walk.send("admin", "get", changelist, {"q": bad, "o": bad, "p": bad, "id__exact": bad})
        walk.page("admin", changelist)
        for bad in ("abc", "99999999999999999999", "%E2%80%8B"):
            walk.send("admin", "get", changelist + bad + "/change/")
    # Log-in forms: the 10,000-character username of the earlier attempt.
    for url in (reverse("login"), reverse("admin:login")):
        walk.send("anonymous", "post", url, {"username": "a" * 10_000 + "@x.cn", "password": "x"})
        walk.send("anonymous", "post", url, {"username": LONG, "password": LONG})

    elapsed = time.monotonic() - started
    print(f"bad-input walk: {walk.requests} requests, {len(walk.forms_seen)} forms, {elapsed:.0f} s")
    assert walk.failures == [], "\n".join(walk.failures[:60])
    assert walk.requests > 1500


# --- the causes found by the walk, one by one -----------------------------------------------------


def test_nul_in_a_path_or_a_query_is_refused_before_the_database(client_for, secretary, anonymous):
    assert anonymous.get("/invitation/%00/").status_code == 404  # the token converter refuses it
    assert anonymous.get("/accounts/register/", {"invitation": "\x00"}).status_code == 400
    assert client_for(secretary).get("/office/enterprises/", {"q": "a\x00"}).status_code == 400
    assert anonymous.post("/accounts/login/", {"username": "\x00", "password": "x"}).status_code == 400


def test_real_tokens_and_codes_pass_the_converter(applicant_a, enterprise_a, cycle):
    import secrets

    from django.urls import resolve

    from certificates.services import new_verification_code
    from enterprises.tokens import email_verification_token

    invitation = InvitationFactory(enterprise=enterprise_a, invited_by=applicant_a)
    for _ in range(50):
        assert resolve(reverse("certificates:verify", args=[new_verification_code()])).url_name == "verify"
        assert resolve(f"/invitation/{secrets.token_urlsafe(32)}/").url_name == "invitation"
    assert resolve(reverse("enterprises:invitation", args=[invitation.token])).kwargs["token"] == invitation.token
    long_address = UserFactory(email="x" * 60 + "@" + "y" * 60 + ".example.cn")
    token = email_verification_token(long_address)
    assert resolve(reverse("enterprises:verify_email", args=[token])).kwargs["token"] == token


def test_start_with_a_non_numeric_enterprise_is_not_found(client_for, applicant_a, cycle):
    response = client_for(applicant_a).post(reverse("awards:start"), {"enterprise": "abc", "cycle": cycle.pk})
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity", "1e309", "1e-309"])
def test_a_score_that_is_not_a_number_is_a_form_error(client_for, expert, cycle, value):
    from awards.models import Application, CriteriaItem

    app = ApplicationFactory(cycle=cycle)
    Application.objects.filter(pk=app.pk).update(status=ApplicationStatus.MATERIAL_REVIEW)
    assignment = AssignmentFactory(
        panel=PanelFactory(round=ReviewRoundFactory(cycle=cycle), application=app), expert=expert
    )
    item = CriteriaItem.objects.filter(category__framework=cycle.framework).first()
    c = client_for(expert)
    response = c.post(reverse("reviews:sheet", args=[assignment.pk]), {f"item-{item.pk}": value, "action": "save"})
    assert response.status_code == 400
    response = c.post(reverse("reviews:autosave", args=[assignment.pk]), {f"item-{item.pk}": value})
    assert response.status_code == 200 and item.code in response.content.decode()


def test_a_tie_form_with_a_malformed_key_is_refused_with_a_message(client_for, secretary, cycle):
    meeting = schedule(cycle, secretary)
    response = client_for(secretary).post(
        reverse("committee:meeting_tie", args=[meeting.pk]), {"order_abc": "1", "order_²": "2", "order_": "3"}
    )
    assert response.status_code == 302


@pytest.mark.parametrize("url_name", ["login", "admin:login"])
def test_a_10000_character_username_is_a_failed_log_in(anonymous, admin_user, url_name):
    from axes.models import AccessAttempt

    response = anonymous.post(reverse(url_name), {"username": "a" * 10_000 + "@x.cn", "password": "x"})
    assert response.status_code == 200
    response = anonymous.post(reverse(url_name), {"username": "长" * 10_000, "password": "x"})
    assert response.status_code == 200
    assert all(len(a.username or "") <= 254 for a in AccessAttempt.objects.all())


def test_an_admin_action_on_ids_that_are_not_ids_is_refused(client_for, admin_user):
    response = client_for(admin_user).post(
        reverse("admin:core_user_changelist"), {"action": "delete_selected", "_selected_action": ["0x10"]}
    )
    assert response.status_code == 400
