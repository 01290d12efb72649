"""Programme isolation, generated over the URL list: every role of programme A (secretary, expert,
committee member, applicant) requests every object of programme B through every URL pattern that
takes an object's id. Not one request may answer 200 with B's data.

Programme B gets one of everything a URL can point to (tests/factories/world.py builds it: panels,
assignments, sheets, a meeting with a ballot, a notice with an objection, a certificate, a visit,
a report, a presentation session…). A's people have their own cycle, memberships and application.
Pages that anyone may see (an anonymous visitor gets the same 200: the public notice's objection
form, public presentation sessions, certificate verification) are public by design and not counted.
"""

import itertools

import pytest
from django.db.models import Q
from django.test import Client

from awards.enums import CycleRole
from awards.models import Application
from enterprises.models import Enterprise
from tests.factories.awards import CycleFactory, CycleMembershipFactory, ProgrammeFactory
from tests.factories.core import UserFactory
from tests.factories.enterprises import EnterpriseFactory, MembershipFactory
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
    return cycle, secretary, (by_keyword, by_name, tokens)


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


def test_no_role_of_one_programme_reaches_another_programmes_objects(
    programme_b, cycle, secretary, expert, committee_member, applicant_a, application_a
):
    cycle_b, secretary_b, (by_keyword, by_name, tokens) = programme_b
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

    leaks, requests, public, patterns = [], 0, set(), 0
    for route, url_name in routes():
        if not PARAM.search(route):
            continue  # no object in the address
        patterns += 1
        values = values_for(route, by_keyword, by_name, tokens)
        names = list(values)
        for combo in itertools.product(*(values[n] for n in names)):
            url = build(route, dict(zip(names, combo, strict=True)))
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
