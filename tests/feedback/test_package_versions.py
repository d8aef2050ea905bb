"""Feedback keeps the package version it was given for: that version cannot be replaced or removed."""

import pytest
import yaml

from lessons.models import Package
from lessons.package_file import PackageFileError, load_package_file
from tests.builders import MINI_PACKAGE
from tests.feedback.builders import store

pytestmark = pytest.mark.django_db


def test_a_version_with_self_guided_feedback_cannot_be_replaced(mini_package, tmp_path):
    store(package=mini_package, confidence=4)
    data = yaml.safe_load(MINI_PACKAGE.read_text())
    data["title"] = "Changed"
    changed = tmp_path / "mini.yaml"
    changed.write_text(yaml.safe_dump(data))
    with pytest.raises(PackageFileError, match="has been used by a class or has feedback"):
        load_package_file(changed, replace=True)
    assert Package.objects.get(slug="mini").title == "Mini lesson"
