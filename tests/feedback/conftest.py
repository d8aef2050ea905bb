"""Fixtures for feedback tests: the bundled package (every question kind) and alice's open class."""

import pytest

from tests.builders import make_class_session


@pytest.fixture
def class_session(alice, bundled_package):
    return make_class_session(teacher=alice, package=bundled_package)
