"""`Looks`, for tests that look at many screens: each is checked, and kept as a screenshot for a person to look
at only when an environment variable names a folder (a screenshot costs the browser time the check does not)."""

import os
from pathlib import Path

from playwright.sync_api import Page

NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"


class Looks:
    """Looks at a screen as a student or teacher sees it: once it has loaded, nothing runs off the side. A
    screenshot is kept only when the environment variable names a folder to keep it in: a full-page one, once
    the page's pictures and polls have settled, takes about a second, and a lesson has hundreds of screens."""

    def __init__(self, variable: str):
        folder = os.environ.get(variable)
        self.folder = Path(folder) if folder else None
        if self.folder is not None:
            self.folder.mkdir(parents=True, exist_ok=True)

    def __call__(self, page: Page, name: str) -> None:
        page.wait_for_load_state("load")
        assert page.evaluate(NO_SIDEWAYS_SCROLL), f"{name} scrolls sideways"
        if self.folder is not None:
            page.wait_for_load_state("networkidle")
            page.screenshot(path=self.folder / f"{name}.png", full_page=True)
