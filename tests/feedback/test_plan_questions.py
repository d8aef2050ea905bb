"""Questions about the plan ("I would use my plan") are asked only of a student who made a plan in this
lesson, so that they are never answered about nothing."""

import pytest

from feedback.models import FeedbackAnswer, FeedbackResponse
from tests.builders import join_class, make_class_session, walk_lesson
from tests.plans.builders import post_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def class_session(alice, current_package):
    """A class on the bundled package as it is: its would-use-plan question needs a plan."""
    return make_class_session(teacher=alice, package=current_package)


def _feedback_page(client) -> str:
    response = client.get("/feedback/")
    assert response.status_code == 200
    return response.content.decode()


def test_without_a_plan_the_feedback_leaves_out_the_plan_questions(client, class_session):
    join_class(client, class_session)
    walk_lesson(client)
    page = _feedback_page(client)
    assert 'name="would-use-plan"' not in page and "I would use my plan" not in page
    assert 'name="confidence-saying-no"' in page  # the other questions are still asked
    client.post(
        "/feedback/", {"would-use-plan": "5", "confidence-saying-no": "4"}
    )  # a forged answer is ignored
    stored = FeedbackResponse.objects.get()
    assert list(stored.answers.values_list("question__key", flat=True)) == ["confidence-saying-no"]


def test_with_a_plan_the_feedback_asks_about_it(client, class_session):
    join_class(client, class_session)
    walk_lesson(client)
    post_part(client, "strategies", {"strategies": ["say-no"]})
    page = _feedback_page(client)
    assert 'name="would-use-plan"' in page and "I would use my plan" in page
    client.post("/feedback/", {"would-use-plan": "5"})
    assert FeedbackAnswer.objects.get(question__key="would-use-plan").scale_value == 5


def test_a_deleted_plan_is_no_plan(client, class_session):
    join_class(client, class_session)
    walk_lesson(client)
    post_part(client, "strategies", {"strategies": ["say-no"]})
    assert 'name="would-use-plan"' in _feedback_page(client)
    client.post("/plan/delete/")
    assert 'name="would-use-plan"' not in _feedback_page(client)


def test_a_plan_question_is_never_asked_at_check_in(client, class_session):
    join_class(client, class_session)
    post_part(client, "strategies", {"strategies": ["say-no"]})
    assert 'name="would-use-plan"' not in client.get("/feedback/check-in/").content.decode()
