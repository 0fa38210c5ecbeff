"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against pytest-django's
live server.

Without the browser these tests skip, unless REQUIRE_BROWSER is set (CI sets it): then they
fail, so a CI image that lost Chromium cannot pass silently. Each test gets a fresh browser
context and a page that records what must never happen: a JavaScript dialog (an XSS payload
that ran), a page error, or a Content-Security-Policy violation; the test fails if any did.
Every page of every context made here is checked by axe-core (tests/browser/axe_hook.py): a
WCAG 2.1 A or AA violation fails the test at its teardown, with the rule, element and URL.
Screenshots go to test-artifacts/screenshots/ (gitignored; CI keeps them as artifacts).
"""

from __future__ import annotations

import os
import re
from collections.abc import Generator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from config.celery_app import app as celery_app
from tests.browser.axe_hook import AXE_WAIT_SECONDS, AxeFindings, axe_finish, axe_watch

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO_ROOT / "test-artifacts" / "screenshots"
AXE_TIMINGS = REPO_ROOT / "test-artifacts" / "axe-timings.tsv"
LOCALE_MO = REPO_ROOT / "locale" / "fr" / "LC_MESSAGES" / "django.mo"

# Reported by the page itself: a violation event cannot be missed the way a console line could.
_CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CHROMIUM.exists():
        return
    if os.environ.get("REQUIRE_BROWSER"):
        return  # the browser fixture fails each test with the reason
    skip = pytest.mark.skip(reason=f"{CHROMIUM} is missing (set REQUIRE_BROWSER=1 to fail instead)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# What tests/conftest.py sets for each test; the live server must have it from the start.
@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Generator[None, Any, Any]:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture(scope="session")
def browser() -> Generator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; Django would then refuse
    # the ORM calls the tests make between page actions (they are plain synchronous code).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@dataclass
class PageWatch:
    """What the page did that a test must know about."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    console_csp: list[str] = field(default_factory=list)
    axe: AxeFindings = field(default_factory=AxeFindings)


@pytest.fixture
def worker_runs_tasks() -> Generator[None]:
    """Celery tasks (a photo's sizes) run as soon as they are queued, as a worker would,
    inside the live server's request."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.fixture
def watch() -> PageWatch:
    return PageWatch()


def _context(browser: Any, watch: PageWatch, **options: Any) -> Any:
    context = browser.new_context(
        locale=options.pop("locale", "en-GB"),
        timezone_id="Europe/Paris",
        viewport=options.pop("viewport", {"width": 1280, "height": 900}),
        **options,
    )
    context.set_default_timeout(10_000)
    context.add_init_script(_CSP_LISTENER)

    def on_page(page: Any) -> None:
        def on_dialog(dialog: Any) -> None:
            watch.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda error: watch.errors.append(str(error)))

        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
                watch.console_csp.append(message.text)

        page.on("console", on_console)

    context.on("page", on_page)
    # axe-core is JavaScript: a context with JavaScript off (the no-script test) cannot run
    # it; the same pages are checked in the other tests, with JavaScript on.
    if options.get("java_script_enabled", True):
        axe_watch(context, watch.axe)
        # A navigation first waits for axe on the page it leaves (long pages take seconds).
        context.set_default_navigation_timeout(10_000 + AXE_WAIT_SECONDS * 1000)
    return context


def _contexts_close(contexts: list[Any], watch: PageWatch) -> None:
    """Check what is still on screen, close, and fail on anything axe found in the contexts."""
    for context in contexts:
        axe_finish(context, watch.axe)
        context.close()
    if watch.axe.checked:  # what the checks cost, for CI's artifacts
        AXE_TIMINGS.parent.mkdir(parents=True, exist_ok=True)
        with AXE_TIMINGS.open("a") as timings:
            rows = zip(watch.axe.checked, watch.axe.milliseconds, strict=True)
            timings.writelines(f"{ms:.0f}\t{url}\n" for url, ms in rows)
    assert watch.axe.violations == [], watch.axe.report()


@pytest.fixture
def context(browser: Any, watch: PageWatch) -> Generator[Any]:
    context = _context(browser, watch)
    yield context
    _contexts_close([context], watch)


@pytest.fixture
def page(context: Any, watch: PageWatch, request: pytest.FixtureRequest) -> Generator[Any]:
    from django.core.cache import cache

    # Rate-limit counters live in the database cache table, which a transactional test's
    # flush does not empty: start every test with none.
    cache.clear()
    page = context.new_page()
    yield page
    if request.node.stash.get(_FAILED, False) and not page.is_closed():
        screenshot(page, f"FAILED-{request.node.name}")
    violations = page.evaluate("window.__cspViolations || []") if not page.is_closed() else []
    assert watch.dialogs == [], f"a script ran and opened a dialog: {watch.dialogs}"
    assert watch.errors == [], f"JavaScript errors: {watch.errors}"
    assert violations == [] and watch.console_csp == [], f"CSP violations: {violations} {watch.console_csp}"


@pytest.fixture
def make_context(browser: Any, watch: PageWatch) -> Generator[Any]:
    """For tests that need another context (JavaScript off, a French browser)."""
    made: list[Any] = []

    def make(**options: Any) -> Any:
        context = _context(browser, watch, **options)
        made.append(context)
        return context

    yield make
    _contexts_close(made, watch)


def screenshot(page: Any, name: str, *, full_page: bool = True) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^a-z0-9_-]+', '-', name.lower())}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def expect_image_loaded(image: Any, *, timeout_ms: float = 15_000) -> None:
    """Waits until the <img> (a locator) shows a real picture: loaded, with a width. Visible
    is not enough: its box shows (from its width and height) while the file still loads,
    and a broken image is `complete` too, with no width (it then fails at the timeout)."""
    image.page.wait_for_function(
        "i => i.complete && i.naturalWidth > 0", arg=image.element_handle(), timeout=timeout_ms
    )


def sign_in(page: Any, base_url: str, username: str, password: str) -> None:
    """Through the sign-in page, in whatever language it is shown."""
    page.goto(f"{base_url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "/accounts/login/" not in page.url, "sign-in failed"
