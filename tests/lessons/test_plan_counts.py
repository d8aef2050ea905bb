"""Plans made and downloaded, counted per class session and package version: once per student's lesson,
as numbers alone, and none lost when a class does it at the same moment."""

import pytest
from django.test import Client

from lessons.models import PlanCount
from tests.builders import join_class, make_class_session, start_self_guided
from tests.concurrency import all_at_once
from tests.plans.builders import build_plan, post_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_session(alice, bundled_package):
    return make_class_session(teacher=alice, package=bundled_package)


def _counts(**where) -> tuple[int, int]:
    row = PlanCount.objects.filter(**where).first()
    return (row.made, row.downloaded) if row else (0, 0)


def test_a_plan_is_counted_once_however_often_it_is_saved_or_downloaded(client, class_session):
    join_class(client, class_session)
    assert _counts(class_session=class_session) == (0, 0)
    post_part(client, "strategies", {"strategies": ["say-no"]})
    assert _counts(class_session=class_session) == (1, 0)
    build_plan(client, class_session.package)  # every part saved, some again
    post_part(client, "strategies", {"strategies": ["say-no"]})
    assert _counts(class_session=class_session) == (1, 0)
    for _ in range(3):
        assert client.get("/plan/download/").status_code == 200
    assert _counts(class_session=class_session) == (1, 1)


def test_a_plan_that_cannot_be_downloaded_yet_is_not_counted_as_downloaded(client, class_session):
    join_class(client, class_session)
    post_part(client, "strategies", {"strategies": ["say-no"]})  # no line yet
    assert client.get("/plan/download/").status_code == 302
    assert _counts(class_session=class_session) == (1, 0)


def test_counts_are_kept_apart_by_class_session_and_package_version(
    client, alice, class_session, mini_package
):
    other = make_class_session(teacher=alice, package=class_session.package, label="Another class")
    for lesson in [lambda c: join_class(c, class_session), lambda c: join_class(c, other)] * 2 + [
        lambda c: start_self_guided(c, class_session.package),
        lambda c: start_self_guided(c, mini_package),
    ]:
        device = Client()
        lesson(device)
        post_part(device, "strategies", {"strategies": ["say-no"]})
    assert _counts(class_session=class_session) == (2, 0)
    assert _counts(class_session=other) == (2, 0)
    assert _counts(class_session=None, package=class_session.package) == (1, 0)
    assert _counts(class_session=None, package=mini_package) == (1, 0)


def test_going_straight_to_the_plan_is_counted_as_self_guided(client, bundled_package):
    build_plan(client, bundled_package)
    assert client.get("/plan/download/").status_code == 200
    assert _counts(class_session=None, package=bundled_package) == (1, 1)


def test_a_count_is_linked_to_nothing_but_its_class_session_and_version(client, class_session):
    join_class(client, class_session)
    build_plan(client, class_session.package)
    client.get("/plan/download/")
    fields = {field.name for field in PlanCount._meta.get_fields()}
    assert fields == {
        "id",
        "package",
        "class_session",
        "made",
        "downloaded",
    }  # no plan, response, device or time
    row = PlanCount.objects.values().get()
    assert row == {
        "id": row["id"],
        "package_id": class_session.package_id,
        "class_session_id": class_session.pk,
        "made": 1,
        "downloaded": 1,
    }


@pytest.mark.django_db(transaction=True)
def test_thirty_students_at_once_are_all_counted(alice, bundled_package):
    """A class saving the first part of their plans at the same moment: the first makes the row, the rest
    raise it; none is lost (against the real SQLite file, or PostgreSQL)."""
    class_session = make_class_session(teacher=alice, package=bundled_package)

    def ready(n: int) -> Client:
        device = Client()
        join_class(device, class_session)
        return device

    def press(n: int, device: Client) -> int:
        return post_part(device, "strategies", {"strategies": ["say-no"]}).status_code

    assert all_at_once(30, press, ready=ready) == [302] * 30
    assert PlanCount.objects.count() == 1
    assert _counts(class_session=class_session) == (30, 0)
