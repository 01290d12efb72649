"""Programme isolation, generated over the URL list: every role of programme A (secretary, expert,
committee member, applicant) requests every object of programme B through every URL pattern that
takes an object's id. Not one request may answer 200 with B's data.

Programme B gets one of everything a URL can point to (tests/factories/world.py builds it: panels,
assignments, sheets, a meeting with a ballot, a notice with an objection, a certificate, a visit,
a report, a presentation session…). A's people have their own cycle, memberships and application.
Pages that anyone may see (an anonymous visitor gets the same 200: the public notice's objection
form, public presentation sessions, certificate verification) are public by design and not counted.

The same walk over POSTs (an empty body, then the body of the form B's own people see for that URL)
asserts that B's rows are unchanged afterwards (a fingerprint of every row with a path to B's
programme, cycle, enterprises or people), that no answer shows B's data and that none is a 500.
"""

import hashlib
import itertools
import time
from collections import Counter
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from awards.enums import CycleRole
from awards.models import Application, AwardCycle, AwardProgramme, CycleMembership
from core.models import AuditEvent, OutboxMessage, User
from enterprises.models import Enterprise, EnterpriseMembership
from tests.factories.awards import CycleFactory, CycleMembershipFactory, ProgrammeFactory
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory
from tests.factories.forms import forms_of, plausible
from tests.factories.world import PARAM, build, routes, values_for, world

CHANGSHA = "430102"
TEXT_TYPES = ("text/", "application/json", "application/xml", "image/svg")


@pytest.fixture
def programme_b(db):
    programme = ProgrammeFactory(slug="hunan", name_zh="湖南省省长质量奖", name_en="Hunan Governor Quality Award")
    cycle = CycleFactory(programme=programme, title_zh="隔离测试乙届", title_en="Isolation Test B Cycle")

    def role(role_name, email):
        return CycleMembershipFactory(cycle=cycle, role=role_name, user=UserFactory(email=email)).user

    secretary = role(CycleRole.SECRETARY, "sec@hunan.example.cn")
    expert = role(CycleRole.EXPERT, "expert@hunan.example.cn")
    member = role(CycleRole.COMMITTEE, "member@hunan.example.cn")
    enterprise = EnterpriseFactory(name_zh="湖南乙方隔离有限公司", name_en="Hunan Isolation B Co., Ltd.")
    applicant = MembershipFactory(enterprise=enterprise, user=UserFactory(email="bea@hunan-b.example.cn")).user
    root = UserFactory(email="root-b@example.cn", is_superuser=True, is_staff=True)
    by_keyword, by_name, tokens, _objects = world(secretary, expert, member, applicant, enterprise, cycle, root)
    # B's applicants are registered outside Chenzhou: A's office has no reason to see them at all.
    Enterprise.objects.filter(Q(applications__cycle=cycle) | Q(pk=enterprise.pk)).update(district=CHANGSHA)
    by_name = {**by_name, "programme": [programme.slug]}
    people = {"secretary": secretary, "expert": expert, "committee": member, "applicant": applicant}
    return cycle, secretary, (by_keyword, by_name, tokens), people


def _markers(cycle) -> set[str]:
    """What only B's pages show: its cycle's titles and the names of its applicants."""
    names = set()
    for app in Application.objects.filter(cycle=cycle).select_related("enterprise"):
        names |= {app.enterprise.name_zh, app.enterprise.name_en.replace("&", "&amp;"), app.record_name_zh}
    return {m for m in names | {cycle.title_zh, cycle.title_en} if m}


def _shows(response, markers) -> str | None:
    kind = response.get("Content-Type", "")
    if response.streaming or not kind.startswith(TEXT_TYPES):
        return f"<{kind}>"  # a file of B's (PDF, spreadsheet, upload) handed out
    body = response.content.decode(errors="replace")
    return next((m for m in markers if m in body), None)


def _object_urls(by_keyword, by_name, tokens) -> tuple[int, list[tuple[str, str]]]:
    """The patterns that take an object's id, and (url name, url) for each combination of B's values."""
    patterns, urls = 0, []
    for route, url_name in routes():
        if not PARAM.search(route):
            continue  # no object in the address
        patterns += 1
        values = values_for(route, by_keyword, by_name, tokens)
        names = list(values)
        for combo in itertools.product(*(values[n] for n in names)):
            urls.append((url_name, build(route, dict(zip(names, combo, strict=True)))))
    return patterns, urls


def test_no_role_of_one_programme_reaches_another_programmes_objects(
    programme_b, cycle, secretary, expert, committee_member, applicant_a, application_a
):
    cycle_b, secretary_b, (by_keyword, by_name, tokens), _people = programme_b
    assert cycle.programme != cycle_b.programme
    markers = _markers(cycle_b)
    roles = {"secretary": secretary, "expert": expert, "committee": committee_member, "applicant": applicant_a}
    clients = {}
    for name, user in roles.items():
        clients[name] = Client()
        clients[name].force_login(user)
    anonymous = Client()
    # The control: B's own secretary reaches B's objects on these very URLs, so the walk can see a leak.
    control = Client()
    control.force_login(secretary_b)
    reached = 0

    leaks, requests, public = [], 0, set()
    patterns, urls = _object_urls(by_keyword, by_name, tokens)
    for url_name, url in urls:
        if anonymous.get(url).status_code == 200:
            public.add(url_name)  # anyone may see it: public by design
            continue
        own = control.get(url)
        reached += own.status_code == 200 and bool(_shows(own, markers))
        for role, client in clients.items():
            response = client.get(url)
            requests += 1
            if response.status_code == 200 and (shown := _shows(response, markers)):
                leaks.append((role, url_name, url, shown))
    print(f"isolation walk: {patterns} patterns, {requests} requests, B's secretary reached {reached}")
    print(f"public by design: {sorted(public)}")
    assert patterns > 60 and requests > 200  # the walk saw the site's object pages
    assert reached > 35  # and they show B's data to B's office
    assert leaks == [], "\n".join(f"{role:10} {name:35} {url} shows {shown}" for role, name, url, shown in leaks)


# --- the same walk over POSTs ---------------------------------------------------------------------


def _lookups(model, targets: set, depth: int = 4) -> list[tuple[str, type]]:
    """Lookups from `model` to each target model along forward foreign keys and one-to-ones
    (`assignment__panel__round__cycle`), "pk" when the model is a target itself; each model on the
    way is expanded once, by its shortest path."""
    found, frontier, expanded = [], [(model, "")], set()
    for _ in range(depth + 1):
        following = []
        for m, prefix in frontier:
            if m in targets:
                found.append((prefix or "pk", m))
                continue
            if m in expanded:
                continue
            expanded.add(m)
            for f in m._meta.concrete_fields:
                if (f.many_to_one or f.one_to_one) and f.related_model is not None:
                    following.append((f.related_model, f"{prefix}__{f.name}" if prefix else f.name))
        frontier = following
    return found


def _fingerprint(cycle) -> dict[str, object]:
    """Every row of B's world: for each model with a path to B's programme, cycle, enterprises or
    people, how many rows and a hash of their values; and how many audit events and outbox messages
    the database holds (a refused request writes neither)."""
    enterprises = set(Enterprise.objects.filter(applications__cycle=cycle).values_list("pk", flat=True))
    users = set(CycleMembership.objects.filter(cycle=cycle).values_list("user", flat=True))
    users |= set(EnterpriseMembership.objects.filter(enterprise__in=enterprises).values_list("user", flat=True))
    pks = {AwardProgramme: {cycle.programme_id}, AwardCycle: {cycle.pk}, Enterprise: enterprises, User: users}
    result: dict[str, object] = {}
    for model in apps.get_models():
        if model._meta.proxy or not (paths := _lookups(model, set(pks))):
            continue
        q = Q()
        for lookup, target in paths:
            q |= Q(**{f"{lookup}__in": pks[target]})
        ids = set(model._base_manager.filter(q).values_list("pk", flat=True))
        rows = model._base_manager.filter(pk__in=ids).order_by("pk")
        values = list(rows.values_list(*(f.attname for f in model._meta.concrete_fields)))
        result[model._meta.label] = (len(values), hashlib.sha256(repr(values).encode()).hexdigest())
    result["all AuditEvent"] = AuditEvent.objects.count()
    result["all OutboxMessage"] = OutboxMessage.objects.count()
    return result


def _post(client, url, data, role, failures):
    """A POST whose exception or 500 is a failure naming the URL; in a savepoint, so that a database
    error does not end the walk's transaction."""
    try:
        with transaction.atomic():
            response = client.post(url, data)
    except Exception as exc:  # noqa: BLE001 -- the walk reports every failure at the end
        failures.append(f"{role:10} POST {url}: {type(exc).__name__}: {exc}"[:400])
        return None
    if response.status_code >= 500:
        failures.append(f"{role:10} POST {url}: HTTP {response.status_code}")
    return response


def _has_object(path: str) -> bool:
    try:
        return PARAM.search(resolve(path).route) is not None
    except Resolver404:
        return False


def test_no_role_of_one_programme_changes_another_programmes_objects(
    programme_b, cycle, secretary, expert, committee_member, applicant_a, application_a
):
    """Every role of A POSTs to every object URL of B, once empty and once with the body of the form
    B's own people see there (read from B's pages: the form whose action is that URL). B's rows are
    the same afterwards, no answer shows B's data, none is a 500. Public pages (an anonymous visitor
    gets a 200: the objection form) are left out, as in the GET walk."""
    started = time.monotonic()
    cycle_b, secretary_b, (by_keyword, by_name, tokens), people_b = programme_b
    markers = _markers(cycle_b)
    roles = {"secretary": secretary, "expert": expert, "committee": committee_member, "applicant": applicant_a}
    clients = {name: Client() for name in roles}
    for name, user in roles.items():
        clients[name].force_login(user)
    own = {name: Client() for name in people_b}
    for name, user in people_b.items():
        own[name].force_login(user)
    anonymous = Client()

    # B's people read their pages first: the forms they are shown, by the URL each posts to.
    patterns, urls = _object_urls(by_keyword, by_name, tokens)
    forms: dict[str, dict] = {}
    for _url_name, url in urls:
        for client in own.values():
            response = client.get(url)
            if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
                continue
            for form in forms_of(response.content.decode(errors="replace")):
                action = urlsplit(urljoin("http://testserver" + url, form["action"]))
                if form["method"] != "post" or action.netloc != "testserver":
                    continue
                target = action.path + (f"?{action.query}" if action.query else "")
                if len(form["fields"]) > len(forms.get(target, {"fields": ()})["fields"]):
                    forms[target] = form
    # The URLs their forms post to are walked too (with a query string, or other ids of B's).
    walked = {url for _name, url in urls}
    extra = [
        (resolve(urlsplit(t).path).view_name, t) for t in forms if t not in walked and _has_object(urlsplit(t).path)
    ]

    before = _fingerprint(cycle_b)
    leaks, failures, public, statuses, requests, with_body = [], [], set(), Counter(), 0, 0
    for url_name, url in urls + extra:
        if anonymous.get(url).status_code == 200:
            public.add(url_name)
            continue
        form = forms.get(url)
        with_body += form is not None
        for role, client in clients.items():
            for data in ({}, *([plausible(form)] if form else [])):
                response = _post(client, url, data, role, failures)
                requests += 1
                if response is None:
                    continue
                statuses[response.status_code] += 1
                has_body = response.streaming or bool(response.content)
                if 200 <= response.status_code < 300 and has_body and (shown := _shows(response, markers)):
                    leaks.append(f"{role:10} {url_name:35} {url} {'with form' if data else 'empty'} shows {shown}")
    after = _fingerprint(cycle_b)
    assert all("_auth_user_id" in c.session for c in clients.values())  # no POST signed A's people out
    elapsed = time.monotonic() - started
    print(
        f"POST isolation walk: {patterns} patterns, {len(urls) + len(extra)} URLs ({len(extra)} from B's forms), "
        f"{with_body} with a form body, {requests} POSTs, {elapsed:.0f} s; statuses {dict(sorted(statuses.items()))}"
    )
    rows = sum(v[0] for v in before.values() if isinstance(v, tuple))
    print(f"fingerprint of B: {len(before) - 2} models, {rows} rows; public by design: {sorted(public)}")
    assert failures == [], "\n".join(failures)
    assert leaks == [], "\n".join(leaks)
    changed = sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == [], f"A's POSTs changed B's rows: {changed}"
    assert patterns > 60 and with_body > 40 and requests > 600  # the walk saw the site's forms

    # The control: one action of B's own secretary (closing B's open ballot) shows in the fingerprint.
    ballot = build("committee/ballots/<int:pk>/close/", {"pk": by_keyword["ballots"]})
    assert _post(own["secretary"], ballot, {"confirm": "1"}, "control", failures).status_code == 302
    assert _fingerprint(cycle_b) != after
    # And the bodies are plausible: posted by B's own people, they are accepted (a redirect) on many URLs.
    accepted = set()
    for url, form in forms.items():
        if _has_object(urlsplit(url).path):
            for client in own.values():
                response = _post(client, url, plausible(form), "B's own", failures)
                if response is not None and response.status_code == 302:
                    accepted.add(url)
    assert len(accepted) > 30 and failures == [], (sorted(accepted), failures)


# --- the Django admin ------------------------------------------------------------------------------


def _rows_of(model, model_admin, programme) -> list[int]:
    """Up to three pks of `model` that belong to `programme` (by the scoped manager's path, or the
    admin's own `programme_path` for the province's records it filters), read with the base manager."""
    path = getattr(type(model._default_manager), "scope_path", "") or getattr(model_admin, "programme_path", "")
    if not path:
        return []
    return list(model._base_manager.filter(**{path: programme}).order_by("pk").values_list("pk", flat=True)[:3])


def test_the_admin_of_one_programmes_staff_shows_nothing_of_another(programme_b, cycle, secretary, admin_user):
    """Every model in the Django admin, generated: A's secretary as staff with every admin right gets
    no change page of B's rows and no link to them in the lists; a superuser gets both (the control)."""
    from django.contrib import admin
    from django.contrib.auth.models import Permission

    cycle_b = programme_b[0]
    secretary.is_staff = True
    secretary.save(update_fields=["is_staff"])
    secretary.user_permissions.add(*Permission.objects.all())
    staff, root = Client(), Client()
    staff.force_login(secretary)
    root.force_login(admin_user)
    models, opened, leaks, reached = 0, 0, [], 0
    for model, model_admin in admin.site._registry.items():
        pks = _rows_of(model, model_admin, cycle_b.programme_id)
        if not pks:
            continue
        models += 1
        info = (model._meta.app_label, model._meta.model_name)
        changelist = staff.get(reverse("admin:{}_{}_changelist".format(*info)))
        shown = changelist.content.decode() if changelist.status_code == 200 else ""
        root_list = root.get(reverse("admin:{}_{}_changelist".format(*info))).content.decode()
        for pk in pks:
            url = reverse("admin:{}_{}_change".format(*info), args=[pk])
            opened += 1
            page = staff.get(url)
            # the admin's answer for an object it cannot find: back to the index with a message
            if page.status_code == 200:
                leaks.append(f"{model._meta.label} {pk}: change page 200")
            if f'href="{url}"' in shown:
                leaks.append(f"{model._meta.label} {pk}: linked in the list")
            reached += root.get(url).status_code == 200 and f'href="{url}"' in root_list
    print(f"admin walk: {models} models with rows of B, {opened} change pages; the superuser reached {reached}")
    assert models >= 25 and reached == opened  # the walk saw B's rows, and the superuser sees them
    assert leaks == [], "\n".join(leaks)
