"""Browser-test harness: the real app on a live server, driven by Debian's Chromium at phone size.

Every test in tests/e2e/ is marked `e2e` and put in an xdist group: the page walk
(test_page_walk.py, about 40 % of the browser time) in "page-walk", the others in "browser". Under
`pytest -n 2 --dist loadgroup` each group runs whole on one worker, and the two start at once on
the two workers, which then share the request tests: neither waits for the other at the end.
Fixtures are per worker process: a worker that runs browser tests has its own live server (its
own demo ward in its own temporary folder, on a free port) and its own Chromium.

Fixtures: `live_server` (base URL), `browser`, `context` / `page` (360x740, touch, vi-VN),
`persistent_context` (a factory for profiles that keep service workers and storage, for offline
tests), `signal` (a cuttable relay in front of the server: see tests/e2e/network.py; Playwright's
offline switch alone does not stop what Chromium does at start-up). Helpers to import: `login`,
`wait_for` (an expression, CSP-proof), `wait_until` (for promises, which `wait_for_function` does
not await), `wait_until_sent`, `shot`, `assert_fits_360`.

The server is shared by all the browser tests of a worker: a test that changes data should create
its own rows (or pick ones no other test reads) rather than rely on a fresh demo ward.

A page or context that requests anything other than the live server fails its test: the app
ships every asset itself (no CDN, no web fonts). So does a page that logs a Content-Security-Policy
violation (core/headers.py): an inline script or handler crept back into a template.
"""

import contextlib
import os
import secrets
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from alembic import command
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from sqlmodel import select
from werkzeug.serving import make_server

from app import create_app
from core.clock import WARD_TIMEZONE
from core.db import session_scope
from core.migrate import alembic_config
from demo.ward import DEMO_PASSWORD, build_demo_ward
from households.models import GroupAssignment, ResidentialGroup
from tests.e2e.network import Signal
from volunteer.models import User

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-component-update"]
PHONE = {
    "viewport": {"width": 360, "height": 740},
    "is_mobile": True,
    "has_touch": True,
    "locale": "vi-VN",
    "timezone_id": WARD_TIMEZONE,
}
# The README's screenshots are rewritten only on request (UPDATE_SCREENSHOTS=1), so that a test
# run leaves the checkout clean; otherwise they go to a scratch folder and are still taken.
SCREENSHOTS = (
    Path(__file__).resolve().parents[2] / "docs" / "screenshots"
    if os.environ.get("UPDATE_SCREENSHOTS") == "1"
    else Path(tempfile.gettempdir()) / "thanhnien247-screenshots"
)
HERE = Path(__file__).resolve().parent
LOCAL_SCHEMES = {"data", "blob", "about", "chrome-extension", "devtools"}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: xdist's own hook turns the group mark into the scheduling key, so mark before it.
    for item in items:
        path = Path(str(item.path)).resolve()
        if HERE in path.parents:
            item.add_marker(pytest.mark.e2e)
            group = "page-walk" if path.name == "test_page_walk.py" else "browser"
            item.add_marker(pytest.mark.xdist_group(group))


class _GroupInNodeId:
    """pytest 9.2 keeps node ids in a structured `_id`; xdist 3.8 still appends "@group" to the
    old `_nodeid` string, so the group is silently lost (pytest-dev/pytest-xdist#1386). Copy it
    across. Without this the suite still passes: each worker then starts its own server and
    browser, which only costs time."""

    @pytest.hookimpl(trylast=True)  # after xdist's hook has written the suffix
    def pytest_collection_modifyitems(self, items):
        for item in items:
            legacy = item.__dict__.get("_nodeid")
            if isinstance(legacy, str) and "@" in legacy and "@" not in item.nodeid:
                item._id = NodeId.parse(legacy)


try:
    from _pytest.nodeid import NodeId  # pytest >= 9.2 only
except ImportError:  # older pytest: xdist's suffix works as it is
    NodeId = None


def pytest_configure(config):
    # xdist registers this mark itself; repeated here so `-p no:xdist` runs still collect.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker")
    if NodeId is not None and not config.pluginmanager.has_plugin("e2e-group-in-node-id"):
        config.pluginmanager.register(_GroupInNodeId(), "e2e-group-in-node-id")


# --- the live server ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """The real app on a migrated SQLite file holding the demo ward (CSRF on, as in production)."""
    folder = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{folder / 'e2e.db'}"
    app = create_app({"SECRET_KEY": secrets.token_hex(16), "DATABASE_URL": url})
    app.instance_path = str(folder / "instance")
    os.makedirs(app.instance_path, exist_ok=True)
    command.upgrade(alembic_config(url), "head")
    with app.app_context(), session_scope() as db:
        build_demo_ward(db, seed=247)
        _whole_ward_for_most_volunteers(db)
    yield app
    app.extensions["db_engine"].dispose()


# The browser tests of sync and the log screen predate issue 15 and are about the outbox, not the
# scope: their volunteers work in every group, so the phone holds the whole ward as before.
# tnv28-tnv30 keep no group, for tests/e2e/test_scope_flow.py.
SCOPED_VOLUNTEERS = ("tnv28", "tnv29", "tnv30")


def _whole_ward_for_most_volunteers(db) -> None:
    groups = db.exec(select(ResidentialGroup.id)).all()
    volunteers = db.exec(
        select(User.id).where(User.role == "volunteer", User.username.not_in(SCOPED_VOLUNTEERS))
    ).all()
    db.add_all(GroupAssignment(user_id=u, group_id=g) for u in volunteers for g in groups)


def _whole_responses(app):
    """Each response is read whole (and its file closed) before werkzeug writes it. A browser
    that drops a connection mid-response (a closed context, a cut `signal`) makes werkzeug's
    development server skip closing the response, and the open static file then fails a later
    test with a ResourceWarning."""

    def wsgi(environ, start_response):
        iterable = app(environ, start_response)
        try:
            return [b"".join(iterable)]
        finally:
            if hasattr(iterable, "close"):
                iterable.close()

    return wsgi


@pytest.fixture(scope="session")
def live_server(live_app) -> str:
    """Base URL of a threaded werkzeug server on 127.0.0.1 and a free port."""
    server = make_server("127.0.0.1", 0, _whole_responses(live_app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def live_db(live_app):
    """Run `fn(db)` against the live server's database (to look up demo rows for a test)."""

    def run(fn):
        with live_app.app_context(), session_scope() as db:
            return fn(db)

    return run


# --- the browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright_instance():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance) -> Browser:
    browser = playwright_instance.chromium.launch(
        executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
    )
    yield browser
    browser.close()


class ExternalRequests:
    """Collects every request a context makes to anything but the live server."""

    def __init__(self):
        self.urls: list[str] = []

    def __call__(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in LOCAL_SCHEMES:
            return
        if parts.hostname != "127.0.0.1":
            self.urls.append(request.url)

    def check(self) -> None:
        assert not self.urls, f"the page requested external URLs: {self.urls}"


class CspViolations:
    """Collects what Chromium logs when the Content-Security-Policy blocks something."""

    def __init__(self):
        self.messages: list[str] = []

    def __call__(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.messages.append(f"{message.location.get('url')}: {message.text}")

    def check(self) -> None:
        assert not self.messages, f"CSP violations: {self.messages}"


@pytest.fixture
def context(browser, live_server) -> BrowserContext:
    external, violations = ExternalRequests(), CspViolations()
    context = browser.new_context(base_url=live_server, **PHONE)
    context.set_default_timeout(10_000)
    context.on("request", external)
    context.on("console", violations)
    yield context
    context.close()
    external.check()
    violations.check()


@pytest.fixture
def page(context) -> Page:
    return context.new_page()


@pytest.fixture
def phone(browser, live_server):
    """Factory: a page in a phone context of its own, e.g. `phone(user_agent=IPHONE)`, or
    `phone(base_url=signal.url)` to browse through a `signal` the test can cut."""
    opened = []

    def open_page(**options) -> Page:
        external = ExternalRequests()
        context = browser.new_context(**{"base_url": live_server, **PHONE, **options})
        context.set_default_timeout(10_000)
        context.on("request", external)
        opened.append((context, external))
        return context.new_page()

    yield open_page
    for context, external in opened:
        context.close()
        external.check()


@pytest.fixture
def persistent_context(playwright_instance, live_server):
    """Factory: `persistent_context(tmp_path / "profile")` opens a phone-sized Chromium profile
    that keeps its service worker, cache and storage across reopenings of the same folder.
    Options override the defaults, e.g. `base_url=signal.url` to browse through a `signal`."""
    opened: list[tuple[BrowserContext, ExternalRequests, CspViolations]] = []

    def open_profile(user_data_dir, **options) -> BrowserContext:
        external, violations = ExternalRequests(), CspViolations()
        context = playwright_instance.chromium.launch_persistent_context(
            str(user_data_dir),
            executable_path=CHROMIUM,
            args=CHROMIUM_ARGS,
            headless=True,
            **{"base_url": live_server, **PHONE, **options},
        )
        context.set_default_timeout(10_000)
        context.on("request", external)
        context.on("console", violations)
        opened.append((context, external, violations))
        return context

    yield open_profile
    for context, _external, _violations in opened:
        with contextlib.suppress(Exception):  # a test may already have closed it
            context.close()
    for _context, external, violations in opened:
        external.check()
        violations.check()


@pytest.fixture
def signal(live_server):
    """The live server behind a relay the test can `cut()` and `restore()` (a phone's signal)."""
    relay = Signal(urlsplit(live_server).port)
    yield relay
    relay.close()


# --- helpers -----------------------------------------------------------------------------------


def login(page: Page, username: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the real form and wait until the app has left the login page."""
    page.goto("/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    page.wait_for_url(lambda url: "/login" not in url)


def wait_for(page: Page, expression: str, timeout: float = 10_000) -> None:
    """page.wait_for_function for an expression, handed over as a function: Playwright evals a
    bare expression again on every poll, which the app's CSP (no 'unsafe-eval') refuses, while
    a function is evaluated once, with the call, and then only called."""
    page.wait_for_function(f"() => ({expression})", timeout=timeout)


def wait_until(page: Page, expression: str, timeout: float = 10_000) -> None:
    """Poll a JavaScript expression that may return a promise (IndexedDB, caches) until it is
    truthy. `page.wait_for_function` does not await promises: a pending one counts as true."""
    deadline = time.monotonic() + timeout / 1000
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout:.0f} ms: {expression}"
        page.wait_for_timeout(100)


def wait_until_sent(page: Page, timeout: float = 30_000) -> None:
    """The outbox is empty (the server acknowledged everything) and the badge says so. The
    badge alone is no proof: it reads 0 on a fresh page until the app has counted the outbox,
    and still 0 for a moment after a record is saved."""
    wait_until(page, "T247.store.outbox().then(rows => rows.length === 0)", timeout)
    wait_for(
        page, "document.querySelector('#sync-badge [data-count]').textContent === '0'", timeout
    )


def shot(page: Page, name: str) -> Path:
    """Full-page PNG <name>.png in SCREENSHOTS (docs/screenshots/, linked from the README, when
    UPDATE_SCREENSHOTS=1)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True, animations="disabled")
    return path


def assert_fits_360(page: Page) -> None:
    """No horizontal scrolling on a 360 px wide phone."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{page.url} is {width} px wide, wider than a 360 px phone"
