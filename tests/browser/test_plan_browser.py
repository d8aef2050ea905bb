"""A student builds a plan in Chromium by keyboard alone, downloads the PDF and reads it back; axe-core finds
no violations on any plan page; and the builder works with JavaScript turned off."""

import io

import pypdf
import pytest
from playwright.sync_api import Page, expect

from tests.browser.axe import assert_no_axe_violations
from tests.browser.keyboard import activate, tab_to
from tests.browser.urls import url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MY_LINE = "Not happening. I'm logging off now 👋"
EDITED_LINE = "No. I'm not sending that, and I mean it."


def save_and_continue(page: Page, next_path: str) -> None:
    activate(page, page.get_by_role("button", name="Save and continue"), url=url_of(next_path))
    expect(page.get_by_role("alert")).to_have_count(0)


def check_box(page: Page, label: str) -> None:
    box = page.get_by_role("checkbox", name=label)
    tab_to(page, box)
    page.keyboard.press("Space")
    expect(box).to_be_checked()


def type_into(page: Page, label: str, text: str, *, replace: bool = False) -> None:
    box = page.get_by_label(label, exact=True)
    tab_to(page, box)
    if replace:
        page.keyboard.press("Control+A")
        page.keyboard.press("Delete")
    page.keyboard.insert_text(text)
    expect(box).to_have_value(text)


def expect_part(page: Page, number: int, title: str) -> None:
    expect(page.locator("#plan-progress-label")).to_have_text(f"My plan: page {number} of 8")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_no_axe_violations(page)


@pytest.mark.long
def test_it_builds_a_plan_by_keyboard_and_downloads_the_pdf(page: Page, bundled_package, outside_requests):
    page.goto("/")
    activate(page, page.get_by_role("link", name="Go straight to making my plan"), url=url_of("/plan/"))
    assert_no_axe_violations(page)
    activate(page, page.get_by_role("link", name="Start my plan"), url=url_of("/plan/strategies/"))

    expect_part(page, 1, "What I could do")
    check_box(page, "Say no clearly. You never have to give a reason. A short, clear no is enough.")
    check_box(
        page,
        "Leave the chat. You can leave a chat or put your phone down. Nobody has to reply straight away.",
    )
    save_and_continue(page, "/plan/lines/")

    expect_part(page, 2, "Lines I could say")
    check_box(page, "No. I'm not sending that.")
    check_box(page, "I need to go now. Bye.")
    save_and_continue(page, "/plan/words/")

    expect_part(page, 3, "My words")
    type_into(page, "Line 1 (Say no clearly)", EDITED_LINE, replace=True)
    type_into(page, "My own line 1", MY_LINE)
    page.keyboard.press("Enter")  # Enter in a box saves and goes forward
    page.wait_for_url(url_of("/plan/signs/"))

    expect_part(page, 4, "Signs of pressure")
    check_box(page, "They rush you, or give you a time limit.")
    type_into(page, "Other signs, in my own words (optional)", "They say I owe them")
    activate(page, page.get_by_role("button", name="Back", exact=True), url=url_of("/plan/words/"))
    expect(page.get_by_label("My own line 1", exact=True)).to_have_value(MY_LINE)
    save_and_continue(page, "/plan/signs/")
    expect(page.get_by_label("Other signs, in my own words (optional)")).to_have_value("They say I owe them")
    save_and_continue(page, "/plan/people/")

    expect_part(page, 5, "People I can talk to")
    type_into(page, "Person 1", "07700 900123")
    save_and_continue_with_error = page.get_by_role("button", name="Save and continue")
    activate(page, save_and_continue_with_error, url=url_of("/plan/people/"))
    expect(page.get_by_role("alert")).to_contain_text("Write just a first name or a role")
    assert_no_axe_violations(page)
    type_into(page, "Person 1", "my big sister", replace=True)
    save_and_continue(page, "/plan/help/")

    expect_part(page, 6, "Where I can get help")
    check_box(page, "Childline: 0800 1111")
    save_and_continue(page, "/plan/already/")

    expect_part(page, 7, "If it has already happened")
    save_and_continue(page, "/plan/why/")

    expect_part(page, 8, "Why saying no matters to me")
    type_into(page, "Why saying no matters to me (optional)", "I decide who sees me.")
    save_and_continue(page, "/plan/summary/")

    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    for text in [EDITED_LINE, MY_LINE, "They say I owe them", "my big sister", "I decide who sees me."]:
        expect(page.get_by_text(text, exact=True)).to_be_visible()
    assert_no_axe_violations(page)

    with page.expect_download() as download_info:
        tab_to(page, page.get_by_role("link", name="Download my plan (PDF)"))
        page.keyboard.press("Enter")
    download = download_info.value
    assert download.suggested_filename == "my-plan.pdf"
    with open(download.path(), "rb") as handle:
        reader = pypdf.PdfReader(io.BytesIO(handle.read()))
    text = "\n".join(pdf_page.extract_text() for pdf_page in reader.pages)
    for words in [EDITED_LINE, "I'm logging off now", "They say I owe them", "my big sister", "0800 1111"]:
        assert words in text

    activate(page, page.get_by_role("link", name="Print my plan"), url=url_of("/plan/print/"))
    expect(page.get_by_text(EDITED_LINE, exact=True).first).to_be_visible()
    assert_no_axe_violations(page)
    activate(page, page.get_by_role("link", name="Back to my plan"), url=url_of("/plan/summary/"))

    activate(page, page.get_by_role("button", name="Delete my plan now"), url=url_of("/plan/"))
    expect(page.get_by_text("Your plan has been deleted")).to_be_visible()
    assert_no_axe_violations(page)
    page.goto("/plan/summary/")
    expect(page.get_by_text(EDITED_LINE)).to_have_count(0)
    outside_requests.assert_none()


def test_it_shows_a_clear_error_without_a_line(page: Page, bundled_package):
    page.goto("/plan/words/")
    activate(page, page.get_by_role("button", name="Save and continue"), url=url_of("/plan/words/"))
    expect(page.get_by_role("alert")).to_contain_text("Your plan needs at least one line.")
    expect(page).to_have_title("Error: My words (page 3 of 8) – Personal Plan")
    assert_no_axe_violations(page)


def test_it_builds_a_plan_with_javascript_turned_off(new_context, bundled_package):
    page = new_context(java_script_enabled=False).new_page()
    page.goto("/plan/strategies/")
    page.get_by_role("checkbox", name="Use a kind joke", exact=False).check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(url_of("/plan/lines/"))
    page.get_by_role("checkbox", name="Nice try. Here's a cloud instead.").check()
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(url_of("/plan/words/"))
    page.get_by_label("My own line 1", exact=True).fill("No JavaScript, still no.")
    page.get_by_role("button", name="Back", exact=True).click()
    page.wait_for_url(url_of("/plan/lines/"))
    page.get_by_role("button", name="Save and continue").click()
    expect(page.get_by_label("My own line 1", exact=True)).to_have_value("No JavaScript, still no.")
    for path in [
        "/plan/signs/",
        "/plan/people/",
        "/plan/help/",
        "/plan/already/",
        "/plan/why/",
        "/plan/summary/",
    ]:
        page.get_by_role("button", name="Save and continue").click()
        page.wait_for_url(url_of(path))
    expect(page.get_by_text("No JavaScript, still no.", exact=True)).to_be_visible()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my plan (PDF)").click()
    with open(download_info.value.path(), "rb") as handle:
        text = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(handle.read())).pages)
    assert "No JavaScript, still no." in text
    assert "Nice try. Here's a cloud instead." in text


def test_finish_and_clear_leaves_nothing_for_the_next_student(new_context, bundled_package, outside_requests):
    context = new_context()
    page = context.new_page()
    page.goto("/plan/words/")
    page.get_by_label("My own line 1", exact=True).fill(MY_LINE)
    page.get_by_role("button", name="Save and continue").click()
    page.wait_for_url(url_of("/plan/signs/"))
    (cookie,) = [cookie for cookie in context.cookies() if cookie["name"] == "sessionid"]
    assert cookie["expires"] == -1  # a session cookie: it goes when the browser closes
    page.goto("/plan/summary/")
    expect(page.get_by_text(MY_LINE, exact=True)).to_be_visible()

    activate(
        page, page.get_by_role("button", name="Finish and clear this computer"), url=url_of("/plan/cleared/")
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("This computer is cleared")
    expect(page.get_by_text("Now close this browser")).to_be_visible()
    expect(page.get_by_role("link", name="More places to get help")).to_be_visible()
    assert_no_axe_violations(page)
    assert [c for c in context.cookies() if c["name"] == "sessionid"] == []

    page.go_back()  # the next student presses Back
    expect(page.get_by_role("heading", level=1)).to_have_text("My plan")
    expect(page.get_by_text(MY_LINE)).to_have_count(0)

    stolen = new_context()  # someone who copied the old cookie before it was cleared
    stolen.add_cookies([cookie])
    other = stolen.new_page()
    other.goto("/plan/summary/")
    expect(other.get_by_text(MY_LINE)).to_have_count(0)
    outside_requests.assert_none()
