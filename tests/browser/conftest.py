"""Browser tests: Debian's Chromium driven by pytest-playwright against `live_server`.

- No `playwright install`: the browser is /usr/bin/chromium (or $CHROMIUM_PATH). Without
  it the tests skip, unless REQUIRE_BROWSER_TESTS=1, when they fail and say why.
- Every request the browser makes is routed: anything not for 127.0.0.1/localhost is
  aborted and recorded, and each test ends by asserting that nothing was.
- Screenshots go to test-artifacts/screenshots/ at the repository root: `shot(page, name)`
  at key steps, and a full-page one of every open page when a test fails.
"""

import os
import re
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.db import connection

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# there unless told that this is safe (it is: the loop never runs Django code).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents and item.get_closest_marker("browser") is None:
            raise pytest.UsageError(f"{item.nodeid}: browser tests must be marked 'browser'")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """pytest-playwright's launch options, pointed at the system Chromium."""
    if not (os.path.isfile(CHROMIUM_PATH) and os.access(CHROMIUM_PATH, os.X_OK)):
        message = (
            f"Chromium not found at {CHROMIUM_PATH} (set CHROMIUM_PATH, or "
            "`apt-get install chromium`); browser tests cannot run"
        )
        if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
            pytest.fail(f"REQUIRE_BROWSER_TESTS=1: {message}", pytrace=False)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM_PATH, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def live_server(live_server):
    """pytest-django's live server, taking one request at a time on SQLite.

    The SQLite test database lives in memory, shared by the server's request threads
    with table-level locks that fail at once ("database table is locked") instead of
    waiting. A browser does send overlapping requests (an autosave on blur while the
    next click autosaves), so on SQLite they are served in turn; PostgreSQL keeps the
    threaded server and the app's row locks are exercised for real.
    """
    if connection.vendor == "sqlite":
        httpd = live_server.thread.httpd
        application = httpd.get_app()
        lock = threading.Lock()

        def one_at_a_time(environ, start_response):
            with lock:
                return application(environ, start_response)

        httpd.set_app(one_at_a_time)
    return live_server


@pytest.fixture(scope="session")
def base_url(pytestconfig):
    """Replaces pytest-playwright's fallback fixture, a method that pytest 9 warns about."""
    return pytestconfig.getoption("--base-url", None) or None


# --- network guard --------------------------------------------------------------------


class NetworkGuard:
    """Aborts and records every request that would leave this machine."""

    def __init__(self) -> None:
        self.blocked: list[str] = []

    def attach(self, context) -> None:
        context.route("**/*", self._route)

    def _route(self, route) -> None:
        url = route.request.url
        if urlsplit(url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort("blockedbyclient")


@pytest.fixture
def network_guard():
    return NetworkGuard()


@pytest.fixture
def make_context(new_context, network_guard, request):
    """A new browser context (same options as Playwright's `new_context`), guarded.

    On failure, every page still open gets a full-page screenshot before it closes.
    """
    contexts = []

    def make(**kwargs):
        context = new_context(**kwargs)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        network_guard.attach(context)
        contexts.append(context)
        return context

    yield make
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        for c_index, context in enumerate(contexts):
            for p_index, page in enumerate(context.pages):
                name = f"{_slug(request.node.name)}-FAILED-{c_index}-{p_index}.png"
                try:
                    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=SCREENSHOTS / name, full_page=True, timeout=5_000)
                except Exception as exc:  # a crashed page must not hide the real failure
                    print(f"could not save failure screenshot {name}: {exc}")


@pytest.fixture
def context(make_context):
    """Overrides pytest-playwright's `context`: guarded, shorter default timeout."""
    return make_context()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def assert_no_external_requests(network_guard):
    """Call at the end of a test: nothing may have tried to leave 127.0.0.1."""

    def check():
        assert network_guard.blocked == [], (
            f"requests to other hosts were attempted: {network_guard.blocked}"
        )

    return check


# --- screenshots ----------------------------------------------------------------------


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")


@pytest.fixture(autouse=True)
def _fresh_screenshots(request):
    """Remove this test's screenshots of an earlier run, so none is mistaken for new."""
    for old in SCREENSHOTS.glob(f"{_slug(request.node.name)}-*.png"):
        old.unlink()


@pytest.fixture
def shot(request):
    """shot(page, "step-name", full_page=False): save a numbered screenshot for this test."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    prefix = _slug(request.node.name)
    counter = iter(range(1, 1000))

    def take(page, name: str, *, full_page: bool = False) -> Path:
        path = SCREENSHOTS / f"{prefix}-{next(counter):02d}-{_slug(name)}.png"
        page.screenshot(path=path, full_page=full_page)
        return path

    return take
