"""Hand-written builders for test data."""

import copy
import functools
import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from lessons.models import ClassSession, Package, Step
from lessons.package_file import load_package_data, parse_package, parse_package_bytes, pictures_beside
from lessons.services import class_session_open
from lessons.walkthrough import lesson_state

FIXTURES = Path(__file__).parent / "fixtures"
MINI_PACKAGE = FIXTURES / "mini_package.yaml"
BUNDLED_PACKAGE = Path(settings.BASE_DIR) / "packages" / "personal-plan.yaml"
# The questions the bundled package asked up to its version 2 (with a year-group question, seven 1–5 scales).
EARLIER_QUESTIONS = FIXTURES / "earlier_questions.yaml"
PASSWORD = "correct horse battery staple"


def make_teacher(username: str = "alice", *, staff: bool = False):
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=staff, is_superuser=staff
    )


@functools.cache
def _parsed(path: Path) -> dict:
    """A package file read, parsed and checked once per test run (most of what loading costs); every test
    still creates its own rows from a copy, and the database is rolled back after it."""
    return parse_package_bytes(path.read_bytes(), str(path))


def load_mini_package() -> Package:
    return load_package_data(
        copy.deepcopy(_parsed(MINI_PACKAGE)), str(MINI_PACKAGE), pictures_beside(MINI_PACKAGE)
    ).package


@functools.cache
def _with_questions(path: Path, questions: Path) -> dict:
    """The package file at `path` with its questions replaced by those in `questions`, parsed and checked."""
    text = path.read_text()
    text = text[: text.index("\nquestions:\n") + 1] + questions.read_text()
    return parse_package(text, str(path))


def load_bundled_package(*, version: int | None = None, questions: Path | None = None) -> Package:
    """The bundled package's rows; `version` numbers it otherwise (tests that publish versions 2 and 3 from it
    start it at 1), and `questions` (a file such as EARLIER_QUESTIONS) replaces its questions."""
    data = copy.deepcopy(
        _with_questions(BUNDLED_PACKAGE, questions) if questions else _parsed(BUNDLED_PACKAGE)
    )
    if version is not None:
        data["version"] = version
    return load_package_data(data, str(BUNDLED_PACKAGE), pictures_beside(BUNDLED_PACKAGE)).package


def make_class_session(*, teacher, package: Package, label: str = "Year 9, period 3") -> ClassSession:
    return class_session_open(teacher=teacher, package=package, label=label)


def join_class(client, class_session: ClassSession):
    """A student's browser joins a class with its code."""
    return client.post("/join/", {"code": class_session.join_code})


def start_self_guided(client, package: Package):
    return client.post(f"/start/{package.pk}/")


def walk_lesson(client, *, leave_out: int = 0):
    """A student's browser goes through every main step of the story it started, in order (the feedback
    counts only from a device that did); `leave_out` stops that many steps before the end."""
    package_id = lesson_state(client.session).package_id
    keys = list(
        Step.objects.filter(package_id=package_id, detour=False)
        .order_by("position")
        .values_list("key", flat=True)
    )
    for key in keys[: len(keys) - leave_out]:
        assert client.get(f"/lesson/{key}/").status_code == 200


def settings_in_subprocess(expression: str, **env: str) -> str:
    """The value of a settings expression in a fresh process with `env` set, as it would start on a server."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    code = f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings'); django.setup(); from django.conf import settings; print(repr(({expression})))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )
    return (result.stdout + result.stderr).strip()
