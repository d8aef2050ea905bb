"""The browser helpers look at the page a student would see, not the one they just left, and no page reaches
another host.

A form with a mistake posts back to its own address, so that address matches before the answer has even
arrived. Waiting only for the address once let an axe check measure a half-loaded, unstyled page (a 20 px
high Quick exit link) and fail CI. This test slows the stylesheets down and checks that `activate` waits for
the new page and its styles.
"""

import time

import pytest
from playwright.sync_api import Page, Route

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.keyboard import activate
from tests.browser.network import NO_PROXY_THERE
from tests.browser.urls import url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STYLESHEET_DELAY_S = 1.0


def slow_stylesheets(page: Page) -> None:
    def delay(route: Route) -> None:
        time.sleep(STYLESHEET_DELAY_S)
        route.continue_()

    page.route("**/*.css", delay)  # routing also turns off the browser's cache


def test_activate_waits_for_the_page_a_form_with_a_mistake_posts_back_to(page: Page, bundled_package):
    page.goto("/join/")
    page.get_by_label("Class code").fill("ZZZZZZ")
    slow_stylesheets(page)

    activate(page, page.get_by_role("button", name="Join the lesson"), url=url_of("/join/"))

    # No auto-waiting here: right after `activate` the new page, with its message, is already the page.
    assert page.get_by_text("Check it with your teacher.").count() == 1
    quick_exit_height = page.get_by_role("link", name="Quick exit").bounding_box()["height"]
    assert quick_exit_height >= 44  # 2.75rem from app.css, not an unstyled 20 px link


def test_a_request_for_another_host_is_kept_and_never_reaches_it(page: Page, outside_requests, live_server):
    """Pictures from a named host and from an address are kept with the page that asked for them, and fail;
    the live server's own address still answers."""
    page.goto("/help/")
    outside = ["http://pictures.example/a.png", "http://192.0.2.1/b.png"]
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.evaluate(LOAD_PICTURES, outside)
    _wait_for(lambda: len(failed) == 2, page)
    assert sorted(failed) == sorted(outside)
    assert sorted(outside_requests.urls) == sorted(outside)
    with pytest.raises(AssertionError) as kept:
        outside_requests.assert_none()
    for url in outside:
        assert f"{url} (asked for by {live_server.url}/help/)" in str(kept.value)
    assert page.evaluate("() => fetch('/help/').then((answer) => answer.status)") == 200


@pytest.mark.parametrize("way_out", [False, True], ids=["the-tests-browser", "with-a-way-out"])
def test_another_host_that_would_answer_is_never_reached(browser, recording_server, way_out):
    """The host name points at a server that answers (as a real site would): the tests' Chromium never asks
    it; the same browser without the dead proxy does, which shows the check can fail."""
    port = recording_server.server_address[1]
    args = [arg for arg in CHROMIUM_ARGS if not (way_out and arg == NO_PROXY_THERE)]
    other = browser.browser_type.launch(
        executable_path=str(CHROMIUM),
        headless=True,
        args=[*args, f"--host-resolver-rules=MAP pictures.example 127.0.0.1:{port}"],
    )
    try:
        page = other.new_page()
        done = []
        page.on("requestfailed", lambda request: done.append(request))
        page.on("requestfinished", lambda request: done.append(request))
        page.evaluate(LOAD_PICTURES, ["http://pictures.example/a.png"])
        _wait_for(lambda: done, page)
    finally:
        other.close()
    assert recording_server.requests == (["/a.png"] if way_out else [])


LOAD_PICTURES = "(urls) => urls.forEach((url) => { const img = new Image(); img.src = url; })"


def _wait_for(condition, page: Page, seconds: float = 5) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    assert condition(), "the browser gave no answer in time"
