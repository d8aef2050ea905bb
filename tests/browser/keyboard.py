"""Moving through a page the way a keyboard user does: Tab until something has focus, then press a key."""

import re

from playwright.sync_api import Locator, Page

_HAS_FOCUS = "element => element === document.activeElement"


def has_focus(locator: Locator) -> bool:
    return locator.evaluate(_HAS_FOCUS)


def tab_to(page: Page, locator: Locator, *, limit: int = 40) -> None:
    """Press Tab until `locator` has focus; fails if Tab never reaches it (it is not in the tab order)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if has_focus(locator):
            return
    raise AssertionError(f"Pressing Tab {limit} times on {page.url} never reached {locator}")


def activate(
    page: Page, locator: Locator, *, key: str = "Enter", url: str | re.Pattern | None = None
) -> None:
    """Tab to a link or button and press Enter (or Space); with `url`, wait for the page it opens.

    Waiting for a navigation, rather than for the address, matters when a form posts back to its own
    address (a form with an error): the address already matches before the new page has even arrived.
    """
    tab_to(page, locator)
    if url is None:
        page.keyboard.press(key)
        return
    with page.expect_navigation(url=url, wait_until="load"):
        page.keyboard.press(key)
