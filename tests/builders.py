"""Hand-written builders for test data."""

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from lessons.models import ClassSession, Package, Step
from lessons.package_file import load_package_file
from lessons.services import class_session_open
from lessons.walkthrough import lesson_state

FIXTURES = Path(__file__).parent / "fixtures"
MINI_PACKAGE = FIXTURES / "mini_package.yaml"
BUNDLED_PACKAGE = Path(settings.BASE_DIR) / "packages" / "personal-plan.yaml"
PASSWORD = "correct horse battery staple"


def make_teacher(username: str = "alice", *, staff: bool = False):
    return get_user_model().objects.create_user(
        username=username, password=PASSWORD, is_staff=staff, is_superuser=staff
    )


def load_mini_package() -> Package:
    return load_package_file(MINI_PACKAGE).package


def load_bundled_package() -> Package:
    return load_package_file(BUNDLED_PACKAGE).package


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
