"""Where a browser test keeps the screenshots it takes for a person to look at: the folder an environment
variable names, or the test's own temporary folder."""

import os
from pathlib import Path


def screenshot_folder(variable: str, fallback: Path) -> Path:
    folder = Path(os.environ.get(variable) or fallback)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
