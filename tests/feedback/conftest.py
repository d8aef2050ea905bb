"""Fixtures for feedback tests: the bundled package (every question kind) and alice's open class."""

import pytest

from tests.builders import EARLIER_QUESTIONS, load_bundled_package, make_class_session


@pytest.fixture
def bundled_package(db):
    """The bundled package numbered as the first version of its slug, asking the questions its versions up to 2
    asked (seven 1–5 scales and a year-group question: tests/fixtures/earlier_questions.yaml): these tests
    publish versions 2 and 3 from it and read the numbers back in bundles, comparisons and pages."""
    return load_bundled_package(version=1, questions=EARLIER_QUESTIONS)


@pytest.fixture
def current_package(db):
    """The bundled package as it is, with its own questions (knowledge questions among them)."""
    return load_bundled_package()


@pytest.fixture
def class_session(alice, bundled_package):
    return make_class_session(teacher=alice, package=bundled_package)


@pytest.fixture(autouse=True)
def signing_key_file(tmp_path, settings):
    """Each test's server has its own bundle signing key, made on first use in a folder of its own."""
    settings.BUNDLE_SIGNING_KEY_FILE = tmp_path / "keys" / "bundle_signing_key"
    return settings.BUNDLE_SIGNING_KEY_FILE
