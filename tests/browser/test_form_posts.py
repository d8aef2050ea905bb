"""Form posts from real Chromium pass Django's CSRF origin check, on the app's own pages and the admin's.

Under a "no-referrer" policy Chromium sends "Origin: null" with a same-site post and Django refuses it with
a 403; the Django test client never shows this.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.urls import url_of
from tests.builders import PASSWORD, make_teacher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_teacher_logs_in_and_out(page):
    make_teacher("alice")
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url_of("/teach/"))
    expect(page.get_by_text("Signed in as alice")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(url_of("/accounts/login/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Teacher log in")


def test_the_admin_log_in_form_works(page):
    make_teacher("lead", staff=True)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("lead")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(url_of("/admin/"))
    expect(page.get_by_role("heading", name="Site administration")).to_be_visible()
