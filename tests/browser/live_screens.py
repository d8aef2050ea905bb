"""Looking at the live lesson's screens: the console, the projector and students' phones at the sizes they are
used at (test_live_looks and the whole lesson in test_live_lesson). Screenshots are kept for a look in
LIVE_SCREENSHOTS_DIR when set."""

from playwright.sync_api import Page

from tests.browser.screenshots import Looks

NO_DOWNWARD_SCROLL = "() => document.documentElement.scrollHeight <= window.innerHeight"
BODY_FONT = "() => parseFloat(getComputedStyle(document.body).fontSize)"
SMALLEST_HEADING = """() => Math.min(Infinity, ...Array.from(
    document.querySelectorAll('.projector-slide h1, .projector-slide h2, .projector-slide h3'),
    (heading) => parseFloat(getComputedStyle(heading).fontSize)))"""

look = Looks("LIVE_SCREENSHOTS_DIR")


def within_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


def fits_the_projector(page: Page, name: str) -> None:
    """Every slide fits the screen, its text made smaller where it must be but never below 16px, and nothing
    on it is smaller than its body text but the progress line and small print."""
    assert page.evaluate(NO_DOWNWARD_SCROLL), f"{name} runs off the bottom"
    font_size = page.evaluate(BODY_FONT)
    assert font_size >= 16, f"{name} at {font_size}px is too small for the back of a classroom"
    assert page.evaluate(SMALLEST_HEADING) >= font_size, f"{name}: a heading"


def has_followed(page: Page) -> None:
    """Wait until the student's page has had its first answer from the class (live-student.js keeps the
    teacher's slide it saw). A student who reads the page first always has; one who moves on in the first
    milliseconds would be brought back to the teacher's slide by that first answer."""
    page.wait_for_function("() => window.sessionStorage.getItem('live-followed') !== null")
