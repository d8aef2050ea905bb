"""Fixtures for feedback tests: the bundled package (every question kind) and alice's open class."""

import pytest

from tests.builders import load_bundled_package, make_class_session


@pytest.fixture
def bundled_package(db):
    """The bundled package numbered as the first version of its slug (as `bundled_version(1)` does elsewhere):
    these tests publish versions 2 and 3 from it and read the numbers back in bundles, comparisons and pages."""
    return load_bundled_package(version=1)


@pytest.fixture
def class_session(alice, bundled_package):
    return make_class_session(teacher=alice, package=bundled_package)


@pytest.fixture(autouse=True)
def signing_key_file(tmp_path, settings):
    """Each test's server has its own bundle signing key, made on first use in a folder of its own."""
    settings.BUNDLE_SIGNING_KEY_FILE = tmp_path / "keys" / "bundle_signing_key"
    return settings.BUNDLE_SIGNING_KEY_FILE
