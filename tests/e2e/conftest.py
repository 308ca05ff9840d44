"""Browser journeys: Playwright driving Debian's Chromium against a live server.

Accessibility is checked with axe-core, served from our own origin so the site's strict
Content Security Policy stays on; any CSP violation in the browser console fails the test.
"""

import functools
import io
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

# Playwright's `expect` waits 5 s by default; a loaded 2-core CI machine can take longer for a
# page that runs a task inline (publishing to the sandbox, a rebuild), so allow 15 s.
expect.set_options(timeout=15_000)

CHROMIUM = os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Browser tests use an SQLite file, as the site does, not the in-memory database.

    In memory, SQLite's shared cache fails a request with "database table is locked" when
    another request (the admin's autosave, a live-update poll) holds the table, where a file
    database with WAL and busy_timeout makes it wait. Run on its own (`make test-e2e`).
    """
    from django.conf import settings

    db = settings.DATABASES["default"]
    if db["ENGINE"] == "django.db.backends.sqlite3":
        folder = Path(settings.VAR_DIR) / "test"
        folder.mkdir(parents=True, exist_ok=True)
        name = folder / "e2e.sqlite3"
        # --reuse-db (pyproject) would keep the last run's flushed database: start afresh.
        for stale in (name, name.with_name(name.name + "-wal"), name.with_name(name.name + "-shm")):
            stale.unlink(missing_ok=True)
        db.setdefault("TEST", {})["NAME"] = str(name)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (.ci/run installs Debian's chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
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


@functools.cache
def _axe_source() -> str:
    return (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()


# The innermost elements reaching past the window's right edge (named in the failure message).
WIDEST_ELEMENTS = """() => {
  const w = document.documentElement.clientWidth;
  const past = el => el.getBoundingClientRect().right > w + 1;
  return [...document.querySelectorAll('body *')]
    .filter(el => past(el) && ![...el.children].some(past))
    .slice(0, 5)
    .map(el => `${el.tagName.toLowerCase()}.${String(el.className).split(' ').join('.')}`);
}"""


class Journey:
    """One person's browser session, with the checks every journey makes on every page."""

    def __init__(self, browser, base_url, *, javascript=True, width=1024):
        self.context = browser.new_context(
            base_url=base_url,
            java_script_enabled=javascript,
            viewport={"width": width, "height": 900},
            accept_downloads=True,
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.javascript = javascript
        self.csp_violations = []
        self.page.on("console", self._console)

    def _console(self, message):
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.csp_violations.append(message.text)

    def goto(self, path):
        response = self.page.goto(path)
        assert response is not None and response.status < 400, (
            f"{path}: {response and response.status}"
        )
        return response

    def check_accessibility(self, context=""):
        """Fail on any axe-core violation of WCAG 2.0/2.1/2.2 A and AA rules."""
        if not self.javascript:
            return  # axe needs JavaScript; the same pages are checked in the JS journeys
        if not self.page.evaluate("() => typeof window.axe === 'object'"):
            # Evaluated through the DevTools protocol, which the page's CSP does not govern,
            # so the strict policy stays on and no extra file has to be served.
            self.page.evaluate(f"() => {{ {_axe_source()} }}")
        result = self.page.evaluate(
            "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
        )
        problems = [
            f"{v['id']} ({v['impact']}): {v['help']} -> "
            + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
            for v in result["violations"]
        ]
        assert problems == [], f"axe violations on {self.page.url} {context}:\n" + "\n".join(
            problems
        )

    def check_no_horizontal_scroll(self):
        """At the current width the page's text must not need horizontal scrolling."""
        overflow = self.page.evaluate(
            "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        culprits = []
        if overflow > 1:
            culprits = self.page.evaluate(WIDEST_ELEMENTS)
        assert overflow <= 1, f"{self.page.url} scrolls sideways by {overflow}px: {culprits}"

    def screenshot(self, name, show=None, height=None):
        """Save a screenshot for the README (`make screenshots`; plain test runs skip it).

        `show`: a locator the picture is about, scrolled to the middle of the window first;
        `height`: a taller window for this picture only."""
        if not os.environ.get("PARLEY_SCREENSHOTS"):
            return
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        size = self.page.viewport_size
        if height:
            self.page.set_viewport_size({"width": size["width"], "height": height})
        if show is not None:
            show.evaluate("el => el.scrollIntoView({block: 'center'})")
        # One screenful only, so the PNGs committed for the README stay small.
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
        self.page.set_viewport_size(size)

    def close(self):
        assert self.csp_violations == [], "CSP violations:\n" + "\n".join(self.csp_violations)
        self.context.close()


@pytest.fixture
def server_errors():
    """Tracebacks of every exception the live server raised while handling a request."""
    import traceback

    from django.core.signals import got_request_exception

    errors = []

    def record(sender, request=None, **kwargs):
        path = getattr(request, "path", "?")
        errors.append(f"{getattr(request, 'method', '?')} {path}\n{traceback.format_exc()}")

    got_request_exception.connect(record, weak=False, dispatch_uid="e2e-server-errors")
    yield errors
    got_request_exception.disconnect(dispatch_uid="e2e-server-errors")


@pytest.fixture
def journey(browser, live_server, server_errors):
    """Open browser sessions: journey() for JS on, journey(javascript=False) for JS off."""
    opened = []

    def open_journey(**kwargs):
        j = Journey(browser, live_server.url, **kwargs)
        opened.append(j)
        return j

    yield open_journey
    for j in opened:
        j.close()
    assert server_errors == [], "the server raised:\n" + "\n".join(server_errors)


def link_from_email(message, pattern=r"https?://\S+"):
    """The path of the first link in an email (the live server's host differs from testserver)."""
    url = re.search(pattern, message.body).group(0)
    return re.sub(r"^https?://[^/]+", "", url)


_DEMO_SNAPSHOT: dict[str, Path] = {}


@pytest.fixture
def story(settings, tmp_path, tmp_path_factory):
    """The demo content (`seed_demo`) and a live X sandbox on loopback that the worker uses.

    Tasks run at once in the live server's request threads (the test settings' immediate
    backend), so approving a post publishes it to this sandbox before the response returns.
    The first journey seeds; on SQLite the seeded database and sandbox state are kept and
    copied back for the next journeys, which is the same content without the wait, and the
    search index is rebuilt from the restored rows.
    """
    import shutil
    import sqlite3

    from django.core.management import call_command
    from django.db import connection

    from social.sandbox.server import SandboxServer

    state = tmp_path / "x-sandbox"
    settings.SANDBOX_STATE_DIR = state
    settings.WAGTAILADMIN_BASE_URL = "http://testserver"
    snapshot = _DEMO_SNAPSHOT.get("dir")
    connection.ensure_connection()
    if connection.vendor != "sqlite":
        call_command("seed_demo", stdout=io.StringIO())
    elif snapshot is None:
        call_command("seed_demo", stdout=io.StringIO())
        snapshot = tmp_path_factory.mktemp("demo-snapshot")
        with sqlite3.connect(snapshot / "db.sqlite3") as target:
            connection.connection.backup(target)
        shutil.copytree(state, snapshot / "x-sandbox")
        _DEMO_SNAPSHOT["dir"] = snapshot
    else:
        with sqlite3.connect(snapshot / "db.sqlite3") as source:
            source.backup(connection.connection)
        shutil.copytree(snapshot / "x-sandbox", state)
        # The search index lives outside the database (and every test starts with it empty):
        # build it from the restored rows, as after restoring a backup.
        call_command("rebuild_modelsearch_index", verbosity=0)
    server = SandboxServer(state, port=0).start()
    settings.X_API_BASE_URL = server.base_url
    settings.X_API_TIMEOUT = 5
    try:
        yield server
    finally:
        server.stop()
