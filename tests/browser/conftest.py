"""Playwright driving Debian's Chromium against pytest-django's live server."""

import os
import time
from pathlib import Path

import pytest
from django.conf import settings as django_settings

CHROMIUM = "/usr/bin/chromium"
AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

# Playwright's sync API runs an event loop in this thread; the live server's database work
# happens in its own thread, but fixtures touching the ORM from here need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true but {CHROMIUM} is missing")
        pytest.skip(f"{CHROMIUM} is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


class PageProblems(list):
    """Console errors and CSP violations seen while a test drove the page."""


def _open(browser, live_server, *, lang=None, width=1280, height=900):
    """A page in a context of its own: Chinese browser, the site's language cookie when given."""
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height})
    if lang:
        context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": lang, "url": live_server.url}])
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = PageProblems()
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.problems = problems
    page.base = live_server.url
    # Requests the page still has in flight (an autosave, a poll) when the test ends: the live
    # server must answer them before the database is flushed, or the flush waits on their locks.
    in_flight = set()
    page.on("request", lambda r: in_flight.add(r))
    page.on("requestfinished", lambda r: in_flight.discard(r))
    page.on("requestfailed", lambda r: in_flight.discard(r))
    page.in_flight = in_flight
    return page


def close_page(page):
    """Wait (at most 5 s) for the page's requests in flight, close its context, refuse CSP violations."""
    if page.context.pages:
        deadline = time.monotonic() + 5
        while page.in_flight and time.monotonic() < deadline:
            page.wait_for_timeout(50)
        page.context.close()  # timers that have not fired yet (a debounced autosave) die with the page
    csp = [p for p in page.problems if "Content Security Policy" in p or "Refused to" in p]
    assert not csp, f"CSP violations: {csp}"


@pytest.fixture
def page(browser, live_server, settings):
    settings.SITE_URL = live_server.url
    page = _open(browser, live_server)
    yield page
    close_page(page)


@pytest.fixture
def open_page(browser, live_server, settings):
    """Open further pages: `open_page(lang="en", width=360)`; each is closed (see `close_page`)
    when the test ends unless the test closed it itself."""
    settings.SITE_URL = live_server.url
    opened = []

    def open_(*, lang="zh-hans", width=1280, height=900):
        page = _open(browser, live_server, lang=lang, width=width, height=height)
        opened.append(page)
        return page

    yield open_
    for page in opened:
        close_page(page)


def login(page, email, password="Correct-horse-42"):
    page.goto(page.base + "/accounts/login/")
    page.locator("input[name=username]").fill(email)
    page.locator("input[name=password]").fill(password)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")


def axe_violations(page, impact=("serious", "critical")):
    """Run axe-core on the current page; return serious and critical violations."""
    # Evaluated through the DevTools protocol, so the page's CSP (rightly) does not block it.
    page.evaluate(AXE.read_text())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:3]}
        for v in result["violations"]
        if v["impact"] in impact
    ]


def screenshot(page, name, *, full_page=True, locator=None, max_bytes=None):
    """A screenshot into docs/screenshots: the page (or one element); a long page whose file would
    pass `max_bytes` is taken at the viewport's height instead, to keep committed files small."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if locator:
        page.locator(locator).screenshot(path=str(path))
        return
    page.screenshot(path=str(path), full_page=full_page)
    if max_bytes and path.stat().st_size > max_bytes:
        page.screenshot(path=str(path), full_page=False)


def fits(page):
    """Nothing on the page scrolls sideways at its width."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), page.url


def switch_language(page, label):
    """Press the language switch's button ("English" or "中文")."""
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state("load")


def login_as(page, user):
    """Sign out whoever is signed in on this page's context, then sign `user` in."""
    page.context.clear_cookies()
    login(page, user.email)
