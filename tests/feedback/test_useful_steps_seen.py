""" "Most useful parts" offers only the story steps this lesson showed: none (and so no question) for a student who
went straight to making a plan, the few they saw for one who stopped part-way, every step after the whole story."""

import re

import pytest

from feedback.models import FeedbackAnswer
from lessons.models import Step
from tests.builders import join_class, make_class_session, start_self_guided, walk_lesson
from tests.plans.builders import post_part

pytestmark = pytest.mark.django_db


def _offered_steps(page: str) -> list[str]:
    return re.findall(r'name="useful-steps" id="[^"]+" value="([^"]+)"', page)


def _main_keys(package) -> list[str]:
    return list(
        Step.objects.filter(package=package, detour=False).order_by("position").values_list("key", flat=True)
    )


def test_straight_to_the_plan_the_feedback_has_no_most_useful_question(client, bundled_package):
    post_part(client, "strategies", {"strategies": ["say-no"]})  # "Go straight to making my plan"
    page = client.get("/feedback/").content.decode()
    assert 'name="would-use-plan"' in page  # the feedback page, with the plan's questions
    assert 'name="useful-steps"' not in page
    assert "most useful" not in page.lower()
    # a step named anyway (a hand-made post) answers no question this student was asked: ignored
    response = client.post(
        "/feedback/", {"would-use-plan": "4", "useful-steps": [_main_keys(bundled_package)[0]]}
    )
    assert response.url == "/feedback/thanks/"
    assert FeedbackAnswer.objects.filter(question__key="would-use-plan").exists()
    assert not FeedbackAnswer.objects.filter(question__kind="useful_steps").exists()


def test_a_student_who_saw_part_of_the_story_is_offered_only_those_steps(client, bundled_package):
    start_self_guided(client, bundled_package)
    keys = _main_keys(bundled_package)
    for key in keys[:2]:
        assert client.get(f"/lesson/{key}/").status_code == 200
    post_part(client, "strategies", {"strategies": ["say-no"]})
    assert _offered_steps(client.get("/feedback/").content.decode()) == keys[:2]
    assert client.post("/feedback/", {"useful-steps": [keys[1]]}).url == "/feedback/thanks/"
    assert list(
        FeedbackAnswer.objects.filter(question__kind="useful_steps").values_list("step__key", flat=True)
    ) == [keys[1]]


def test_a_student_who_walked_the_story_is_offered_every_step(client, alice, bundled_package):
    join_class(client, make_class_session(teacher=alice, package=bundled_package))
    walk_lesson(client)
    assert _offered_steps(client.get("/feedback/").content.decode()) == _main_keys(bundled_package)
