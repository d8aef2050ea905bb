"""Where PDF stylesheets come from: one way to name an app's stylesheet, and the ones to prepare at start-up."""

from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings

PROJECT_STATIC_DIR = Path(settings.BASE_DIR) / "static"
# The pdf app's own files: the base stylesheet every PDF starts with and the fonts it names.
ASSETS_DIR = PROJECT_STATIC_DIR / "pdf"
FONTS_DIR = ASSETS_DIR / "fonts"
BASE_STYLESHEET = ASSETS_DIR / "pdf-base.css"


def stylesheet(name: str) -> Path:
    """The stylesheet `name`, such as "plans/pdf-plan.css": a .css file in the static folder of the installed
    app it starts with, either the project's static/plans/ or the app's own plans/static/plans/.

    Anything else (an absolute path, `..`, another kind of file, an app that is not installed, a file that is
    not there) is refused with ValueError, so a render can only ever read the app's own stylesheets.
    """
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or "\\" in name
        or ".." in path.parts
        or len(path.parts) < 2
        or path.suffix != ".css"
    ):
        raise ValueError(f"{name!r} is not the name of a stylesheet: use '<app>/<file>.css'.")
    label, *rest = path.parts
    try:
        app = apps.get_app_config(label)
    except LookupError:
        raise ValueError(f"{name!r}: {label!r} is not an installed app.") from None
    for folder in (PROJECT_STATIC_DIR / label, Path(app.path) / "static" / label):
        found = folder.joinpath(*rest).resolve()
        if found.is_relative_to(folder.resolve()) and found.is_file():
            return found
    raise ValueError(f"{name!r}: no such stylesheet in {label}'s static folder.")


# Stylesheets to parse when a worker starts (gunicorn.conf.py), so that no one's first download waits for it.
# Each app registers its own in its AppConfig.ready, so this app never imports the apps above it. Kept for the
# life of the process; it holds paths, never anything rendered.
_to_prepare: dict[Path, None] = {}


def register(*stylesheets: Path) -> None:
    """Prepare these stylesheets (from `stylesheet`) at start-up along with the base one."""
    for path in stylesheets:
        _to_prepare[path] = None


def registered() -> tuple[Path, ...]:
    return tuple(_to_prepare)
