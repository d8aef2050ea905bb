"""Shared test set-up: plain static storage (no collectstatic needed) and builders with named users."""

import hashlib
import os
import pickle
from pathlib import Path

import pytest
from django.conf import settings


def pytest_configure(config):
    # Tests render templates without a collectstatic manifest; `make test` runs collectstatic separately.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Every test Client builds the middleware afresh, and WhiteNoise would read all of staticfiles/ (over 3,000
    # files) each time: about a second a client on a busy machine, most of the suite's set-up. In tests it finds
    # a file when it is asked for, as it does under DEBUG; the deploy tests' gunicorn servers do the real scan.
    settings.WHITENOISE_AUTOREFRESH = True
    # Django's default hasher takes a third of a second or more a password on purpose, and tests make teachers
    # by the hundred. Nothing here tests the hashing; the deploy tests' servers keep the real settings.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(config, items):
    """Tests marked `long` run first, the rest in their usual order. pytest-xdist hands tests to its workers
    in this order, so a long one left until last would keep one worker busy while the other sat idle."""
    items.sort(key=lambda item: item.get_closest_marker("long") is None)


@pytest.fixture
def mini_package(db):
    from tests.builders import load_mini_package

    return load_mini_package()


@pytest.fixture
def bundled_package(request, db):
    """The bundled package; a test marked `bundled_version(1)` gets it numbered as that version (tests that
    publish the next versions from it and name them)."""
    from tests.builders import load_bundled_package

    marker = request.node.get_closest_marker("bundled_version")
    return load_bundled_package(version=marker.args[0] if marker else None)


@pytest.fixture
def alice(db):
    """A teacher who owns the class sessions under test."""
    from tests.builders import make_teacher

    return make_teacher("alice")


@pytest.fixture
def bob(db):
    """Another teacher at the same school: must never see alice's sessions."""
    from tests.builders import make_teacher

    return make_teacher("bob")


@pytest.fixture
def lead(db):
    """A pilot lead (staff) who sees every session on the server."""
    from tests.builders import make_teacher

    return make_teacher("lead", staff=True)


@pytest.fixture(autouse=True)
def _clear_step_caches():
    """Each test starts as a new process would: no package content, step page, class state or form kept."""
    from lessons import live, walkthrough
    from lessons.live_responses.rendering import panel_forms, plain_panels
    from lessons.step_cache import step_pages

    kept = (walkthrough.lesson_contents, step_pages, live.recent_states, panel_forms, plain_panels)
    for what in kept:
        what.clear()
    yield
    for what in kept:
        what.clear()


@pytest.fixture(scope="session", autouse=True)
def _pictures_prepared_once_a_run():
    """Loading the bundled package checks and re-encodes its pictures: about 4 s of CPU, which every process of
    a run (each part's workers) spent again, since a process keeps what it made only for itself. Under
    scripts/run-tests, the first process to prepare a file keeps the result in the run's shared folder and the
    others read it: the same bytes in, the same picture out (lessons/pictures.py re-encodes deterministically).
    A file it refuses is refused afresh each time; without the shared folder nothing changes."""
    folder = os.environ.get("TEST_COLLECTED_STATIC_DIR")
    if not folder:
        yield
        return
    from lessons import pictures

    kept = Path(folder) / "prepared-pictures"
    kept.mkdir(exist_ok=True)
    prepare = pictures._prepare

    def prepared_once(data: bytes):
        path = kept / f"{hashlib.sha256(data).hexdigest()}.pickle"
        try:
            return pickle.loads(path.read_bytes())  # noqa: S301 - written by this run's own processes
        except (FileNotFoundError, EOFError, pickle.UnpicklingError):
            result = prepare(data)
            partial = path.with_suffix(f".{os.getpid()}.partial")
            partial.write_bytes(pickle.dumps(result))
            partial.replace(path)  # whole or not at all, for another process reading it now
            return result

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pictures, "_prepare", prepared_once)
        yield
