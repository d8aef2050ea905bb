"""A student walks the whole bundled package in Chromium: by keyboard alone, and with JavaScript turned off."""

import pytest
from django.conf import settings
from playwright.sync_api import Locator, Page, expect

from lessons.models import ChoiceOption, Step
from tests.browser.keyboard import activate, tab_to
from tests.browser.urls import url_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAIN_STEPS = 13
LESSON_STEPS = MAIN_STEPS + 3  # the check-in first, then the story, the plan and the feedback
# The step where the walk checks that a refresh, and coming back later, keep the student's place.
RESUME_AT = 4


class ByKeyboard:
    """Only Tab, Enter and Space: no mouse. JavaScript is on, so a choice shows what happens in place."""

    def follow(self, page: Page, link: Locator, path: str) -> None:
        activate(page, link, url=url_of(path))

    def press(self, page: Page, button: Locator, path: str) -> None:
        activate(page, button, key="Space", url=url_of(path))

    def pick(self, page: Page, option: Locator, step: Step, position: int) -> None:
        """One press of the option's button: the page stays (no reload) and its address names the option."""
        page.evaluate("window.stillTheSamePage = true")
        tab_to(page, option)
        page.keyboard.press("Space")
        expect(page).to_have_url(url_of(f"/lesson/{step.key}/?option={position}"))
        assert page.evaluate("window.stillTheSamePage === true"), "the page was loaded again"


class ByMouse:
    """Clicks; used with JavaScript off, so a choice loads the page again showing the option picked."""

    def follow(self, page: Page, link: Locator, path: str) -> None:
        link.click()
        page.wait_for_url(url_of(path))

    press = follow

    def pick(self, page: Page, option: Locator, step: Step, position: int) -> None:
        with page.expect_navigation(url=url_of(f"/lesson/{step.key}/?option={position}#choice-result")):
            option.click()


def expect_step(page: Page, step: Step, number: int, *, detour: bool = False) -> None:
    progress = f"Step {number + 1} of {LESSON_STEPS}" + (": another ending" if detour else "")
    expect(page.locator("#progress-label")).to_have_text(progress)
    expect(page.get_by_role("heading", level=1)).to_have_text(step.title)


def step_nav(page: Page, name: str) -> Locator:
    return page.get_by_role("navigation", name="Steps").get_by_role("link", name=name, exact=True)


def check_place_is_kept(page: Page, how, step: Step, number: int) -> None:
    page.reload()
    expect_step(page, step, number)
    page.goto("/")
    how.follow(page, page.get_by_role("link", name="Carry on where you left off"), f"/lesson/{step.key}/")
    expect_step(page, step, number)
    page.goto("/lesson/resume/")
    expect(page).to_have_url(url_of(f"/lesson/{step.key}/"))


def try_every_option(page: Page, how, step: Step, number: int) -> None:
    """Each option costs one press, and shows what might happen; an option with an ending opens it, and the
    ending comes back to the choice."""
    options = list(ChoiceOption.objects.filter(step=step).order_by("position"))
    expect(page.locator(".choice-feedback:visible")).to_have_count(0)
    endings = []
    for option in options:
        button = page.get_by_role("button", name=option.label, exact=True)
        how.pick(page, button, step, option.position)
        shown = page.locator(f"#choice-{option.position}")
        expect(shown).to_be_visible()
        expect(shown).to_contain_text(f"You picked: {option.label}")
        expect(shown).to_contain_text(" ".join(option.feedback.split()))
        expect(page.locator(".choice-feedback:visible")).to_have_count(1)
        expect(button).to_have_attribute("aria-pressed", "true")
        if option.leads_to:
            ending = Step.objects.get(package_id=step.package_id, key=option.leads_to)
            how.follow(page, shown.get_by_role("link", name="See how it could go"), f"/lesson/{ending.key}/")
            expect_step(page, ending, number, detour=True)
            expect(page.locator(".chat-message").first).to_be_visible()
            how.follow(page, step_nav(page, "Back to the story"), f"/lesson/{step.key}/")
            expect_step(page, step, number)
            endings.append(option.label)
    assert endings == ["Say no clearly", "Reply with a joke", "Block and report Alex"]


def walk_the_bundled_package(page: Page, how, package) -> None:
    main = list(Step.objects.filter(package=package, detour=False).order_by("position"))
    assert len(main) == MAIN_STEPS

    page.goto("/")
    how.press(page, page.get_by_role("button", name="Start on my own"), "/lesson/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Before we start")
    expect(page.locator(".ground-rules li").first).to_contain_text("people in the story")
    how.follow(page, page.get_by_role("link", name="Next: a quick check-in"), "/feedback/check-in/")
    expect(page.locator("#progress-label")).to_have_text(f"Step 1 of {LESSON_STEPS}")
    how.follow(
        page,
        page.get_by_role("link", name="Skip the check-in and start the story"),
        f"/lesson/{main[0].key}/",
    )

    for number, step in enumerate(main, start=1):
        expect_step(page, step, number)
        if number == RESUME_AT:
            check_place_is_kept(page, how, step, number)
        if step.key == "go-back":
            try_every_option(page, how, step, number)
        if number < MAIN_STEPS:
            how.follow(page, step_nav(page, "Next"), f"/lesson/{main[number].key}/")
        else:
            how.follow(page, step_nav(page, "Next: make your plan"), "/plan/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Make my plan")
    expect(page.locator("#progress-label")).to_have_text(f"Step {LESSON_STEPS - 1} of {LESSON_STEPS}")


@pytest.mark.long
def test_a_student_walks_the_whole_package_by_keyboard_alone(page, bundled_package, outside_requests):
    walk_the_bundled_package(page, ByKeyboard(), bundled_package)
    outside_requests.assert_none()


def test_the_whole_walk_through_works_without_javascript(new_context, bundled_package, outside_requests):
    page = new_context(java_script_enabled=False).new_page()
    walk_the_bundled_package(page, ByMouse(), bundled_package)
    # Without the script the quick exit is still a plain link to the neutral site.
    expect(page.get_by_role("link", name="Quick exit")).to_have_attribute("href", settings.QUICK_EXIT_URL)
    outside_requests.assert_none()
