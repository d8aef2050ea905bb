"""Shared test set-up: plain static storage (no collectstatic needed) and builders with named users."""

import pytest
from django.conf import settings


def pytest_configure(config):
    # Tests render templates without a collectstatic manifest; `make test` runs collectstatic separately.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def mini_package(db):
    from tests.builders import load_mini_package

    return load_mini_package()


@pytest.fixture
def bundled_package(db):
    from tests.builders import load_bundled_package

    return load_bundled_package()


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
