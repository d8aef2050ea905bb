"""Fixtures for live lesson answers: alice's open class on the bundled package (a vote, words and a text)."""

import pytest

from tests.builders import make_class_session


@pytest.fixture
def live_class(alice, bundled_package):
    return make_class_session(teacher=alice, package=bundled_package)


@pytest.fixture
def teacher(client, alice):
    client.force_login(alice)
    return client
