"""Real-browser set-up: one headless Debian Chromium per run, a context per student device, no outside requests.

Fixtures for every browser test:
- `browser`: the session's Chromium (skipped when /usr/bin/chromium is missing, failed instead under CI=true
  or REQUIRE_BROWSER=1). A browser is never downloaded.
- `new_context(java_script_enabled=True, **options)`: a new BrowserContext (a separate device, with its own
  cookies) whose relative URLs go to the live server; every context is closed after the test.
- `page`: a Page in a fresh JavaScript-enabled context.
- `outside_requests`: records the requests that any of the test's contexts tried to send to another host;
  none reaches it, so no test ever uses the real network.
"""

import os
from pathlib import Path

import pytest

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.network import OutsideRequests
from tests.recording_server import recording_server  # noqa: F401  (a fixture)

# Playwright's sync API keeps an asyncio loop running on the main thread, so Django would refuse ORM calls
# from test bodies and fixtures with SynchronousOnlyOperation. Nothing here runs Django code on that loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

# Fail fast: a page of this app loads in well under a second.
TIMEOUT_MS = 10_000


def _browser_required() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true" or os.environ.get(
        "REQUIRE_BROWSER", ""
    ).strip().lower() in {"1", "true"}


def _no_browser(reason: str):
    if _browser_required():
        pytest.fail(
            f"Browser tests are required here (CI=true or REQUIRE_BROWSER=1) but cannot run: {reason}. "
            "Install Debian's Chromium (apt-get install chromium) and the test dependencies; "
            "the tests never download a browser.",
            pytrace=False,
        )
    pytest.skip(f"Browser tests skipped: {reason}")


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        _no_browser(f"{CHROMIUM} is missing")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _no_browser(f"the playwright package cannot be imported ({error})")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def outside_requests(live_server) -> OutsideRequests:
    return OutsideRequests(live_server.url)


@pytest.fixture
def new_context(browser, live_server, outside_requests):
    contexts = []

    def make(java_script_enabled: bool = True, **options):
        context = browser.new_context(
            java_script_enabled=java_script_enabled, base_url=live_server.url, **options
        )
        context.set_default_timeout(TIMEOUT_MS)
        outside_requests.watch(context)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


def pytest_collection_modifyitems(config, items):
    """Every test here runs in Chromium, so it must carry the browser mark: `-m "not browser"` (the quick run)
    and CI's check that the browser tests ran both rely on it."""
    here = Path(__file__).parent
    unmarked = [
        item.nodeid
        for item in items
        if here in item.path.parents and item.get_closest_marker("browser") is None
    ]
    if unmarked:
        raise pytest.UsageError(f"browser tests without the browser mark: {', '.join(unmarked)}")
