"""Reflow (WCAG 1.4.10): at 320 px no page of the crawl scrolls sideways (issue 12).

Every URL pattern filled with real values (tests/factories/world.py) is opened once, as the first
role that may see it; the document may not be wider than the window. Tables scroll inside their
own box (`.table-scroll`), which the page does not count.
"""

import itertools

import pytest
from django.test import Client

from tests.factories.world import build, routes, values_for, world

from .conftest import SCREENSHOTS, close_page, login

WIDTH = 320
# Pages that are not for people reading on a phone, or not HTML pages.
NOT_PAGES = ("/admin/", "/healthz", "/favicon.ico", ".pdf", "/export.", "/download/", "/evidence/", "/attachments/")


def _measure(page):
    """The document's width, and the outermost elements that stick out of the window."""
    return page.evaluate(
        """() => {
            const doc = document.documentElement;
            const out = el => el.getBoundingClientRect().right > window.innerWidth + 1;
            const name = el => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
              + (typeof el.className === "string" && el.className ? "." + el.className.split(" ").join(".") : "");
            const wide = [...document.querySelectorAll("body *")]
              .filter(el => out(el) && !(el.parentElement && out(el.parentElement)))
              .slice(0, 4).map(el => name(el.parentElement) + " > " + name(el));
            return {width: doc.scrollWidth, wide};
        }"""
    )


@pytest.mark.browser
def test_no_page_scrolls_sideways_at_320_px(
    open_page, live_server, secretary, expert, committee_member, applicant_a, enterprise_a, cycle, admin_user
):
    by_keyword, by_name, tokens, _objects = world(
        secretary, expert, committee_member, applicant_a, enterprise_a, cycle, admin_user
    )
    roles = {"anonymous": None, "applicant": applicant_a, "expert": expert, "committee": committee_member}
    roles["secretary"] = secretary
    # Which role may see each page: the test client answers quickly.
    probes = {}
    for role, user in roles.items():
        probes[role] = Client()
        if user is not None:
            probes[role].force_login(user)
    urls = []
    for route, _name in routes():
        values = values_for(route, by_keyword, by_name, tokens)
        names = list(values)
        for combo in itertools.product(*(values[n] for n in names)) if names else [()]:
            url = build(route, dict(zip(names, combo, strict=True)))
            if any(part in url for part in NOT_PAGES) and not url.endswith("/attachments/"):
                continue
            for role in roles:
                response = probes[role].get(url)
                if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                    if url not in {u for _r, u in urls}:
                        urls.append((role, url))
                    break
    assert len(urls) > 40

    pages = {}
    for role, user in roles.items():
        page = open_page(lang=None, width=WIDTH, height=640)
        if user is not None:
            login(page, user.email)
        pages[role] = page
    too_wide = []
    for role, url in urls:
        page = pages[role]
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        measured = _measure(page)
        if measured["width"] > WIDTH:
            too_wide.append(f"{role} {url}: {measured['width']} px ({', '.join(measured['wide'])})")
    for page in pages.values():
        close_page(page)
    print(f"reflow crawl: {len(urls)} pages at {WIDTH} px")
    assert too_wide == [], "\n".join(too_wide)
    _phone_screenshots(open_page, live_server, urls, roles)


# The four pages that scrolled sideways on a phone before (issue 12), shot at 320 px in both languages.
PHONE_SHOTS = {
    "reviews-sheet-phone": r"^/reviews/assignment/\d+/$",
    "application-results-phone": r"^/applications/\d+/results/$",
    "application-attachments-phone": r"^/applications/\d+/attachments/$",
    "certificates-cycle-phone": r"^/certificates/cycle/\d+/$",
}


def _phone_screenshots(open_page, live_server, urls, roles):
    import re

    for lang, suffix in (("zh-hans", "zh"), ("en", "en")):
        contexts = {}
        for shot, pattern in PHONE_SHOTS.items():
            role, url = next((r, u) for r, u in urls if re.match(pattern, u))
            if role not in contexts:
                page = open_page(lang=lang, width=WIDTH, height=640)
                login(page, roles[role].email)
                contexts[role] = page
            page = contexts[role]
            page.goto(live_server.url + url)
            page.wait_for_load_state("load")
            measured = _measure(page)
            assert measured["width"] <= WIDTH, (lang, url, measured)
            height = min(page.evaluate("document.documentElement.scrollHeight"), 2400)  # the sheet is long
            clip = {"x": 0, "y": 0, "width": WIDTH, "height": height}
            page.screenshot(path=str(SCREENSHOTS / f"{shot}-{suffix}.png"), full_page=True, clip=clip)
        for page in contexts.values():
            close_page(page)
