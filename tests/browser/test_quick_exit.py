"""The quick exit in Chromium: the button and Shift pressed three times leave at once, replacing the page."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.urls import url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Both outside sites are answered inside the browser, so no test touches the real network.
PREVIOUS_SITE = "https://previous.example/"


def _answer_locally(page: Page, url: str, heading: str, outside_requests) -> None:
    body = f"<!doctype html><html lang='en'><title>{heading}</title><h1>{heading}</h1></html>"
    address = re.compile("^" + re.escape(url))
    page.route(address, lambda route: route.fulfill(status=200, content_type="text/html", body=body))
    outside_requests.answered_locally(address)


def leave_with_button(page: Page) -> None:
    page.get_by_role("link", name="Quick exit").click()


def leave_with_shift(page: Page) -> None:
    for _ in range(3):
        page.keyboard.press("Shift")


@pytest.mark.parametrize("leave", [leave_with_button, leave_with_shift], ids=["button", "shift-three-times"])
def test_quick_exit_leaves_and_replaces_the_lesson_in_history(
    new_context, bundled_package, outside_requests, leave
):
    page = new_context().new_page()
    _answer_locally(page, settings.QUICK_EXIT_URL, "Weather", outside_requests)
    _answer_locally(page, PREVIOUS_SITE, "Somewhere else", outside_requests)
    page.goto("/")
    page.get_by_role("button", name="Start on my own").click()
    page.wait_for_url(url_of("/lesson/"))
    page.goto(PREVIOUS_SITE)
    page.goto("/lesson/meet-jordan/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Jordan and Alex")
    entries = page.evaluate("() => history.length")

    leave(page)

    page.wait_for_url(re.compile("^" + re.escape(settings.QUICK_EXIT_URL) + "/?$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")
    assert page.evaluate("() => history.length") == entries
    page.go_back()
    expect(page).to_have_url(PREVIOUS_SITE)
    expect(page.get_by_role("heading", level=1)).to_have_text("Somewhere else")
    outside_requests.assert_none()


def test_two_shift_presses_and_shift_tab_do_not_leave(page, bundled_package):
    page.goto("/help/")
    # Moving back through the page with Shift+Tab: the Tab breaks each run of Shift presses.
    for _ in range(3):
        page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift")
    page.keyboard.press("Shift")
    # Give the page's script time to act if it wrongly would.
    page.wait_for_timeout(200)
    expect(page).to_have_url(url_of("/help/"))
