"""Students answering at the same moment against the real database (SQLite file, or PostgreSQL): batches are
never skipped or split, and one device's double submission is stored once."""

import pytest
from django.db import connection

from feedback.models import FeedbackResponse
from tests.builders import make_class_session
from tests.concurrency import all_at_once
from tests.feedback.builders import store

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("already", [0, 3, 4])
def test_students_answering_together_release_whole_batches_only(alice, bundled_package, already):
    assert connection.vendor != "sqlite" or str(connection.settings_dict["NAME"]) != ":memory:"
    class_session = make_class_session(teacher=alice, package=bundled_package)
    for _ in range(already):
        store(package=bundled_package, class_session=class_session, **{"kept-attention": 3})
    all_at_once(
        12, lambda n: store(package=bundled_package, class_session=class_session, **{"kept-attention": 4})
    )
    total = already + 12
    released = FeedbackResponse.objects.released().count()
    assert FeedbackResponse.objects.count() == total
    assert released == total - total % 5  # every full batch released, and only whole batches


def test_self_guided_answers_together_release_whole_batches_only(bundled_package):
    all_at_once(12, lambda n: store(package=bundled_package, **{"kept-attention": 4}))
    assert FeedbackResponse.objects.self_guided().released().count() == 10


def test_one_device_sending_at_once_from_several_tabs_is_stored_once(class_session, bundled_package):
    outcomes = all_at_once(
        6,
        lambda n: store(
            package=bundled_package,
            class_session=class_session,
            token="one-device",
            **{"kept-attention": n % 5 + 1},
        ),
    )
    assert sorted(outcome.value for outcome in outcomes) == ["already given"] * 5 + ["stored"]
    assert FeedbackResponse.objects.count() == 1
