"""The browser helpers look at the page a student would see, not the one they just left.

A form with a mistake posts back to its own address, so that address matches before the answer has even
arrived. Waiting only for the address once let an axe check measure a half-loaded, unstyled page (a 20 px
high Quick exit link) and fail CI. This test slows the stylesheets down and checks that `activate` waits for
the new page and its styles.
"""

import time

import pytest
from playwright.sync_api import Page, Route

from tests.browser.keyboard import activate
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
