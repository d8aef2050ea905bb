""" "Skip", the right to pass: every optional 1–5, choice and true-or-false question ends its row with a Skip
choice (value ""), and a Skip posted is stored as no answer to that question, never an error."""

import re

import pytest

from feedback.models import FeedbackAnswer, FeedbackResponse
from tests.builders import join_class, make_class_session, walk_lesson
from tests.plans.builders import post_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def student(client, alice, current_package):
    join_class(client, make_class_session(teacher=alice, package=current_package))
    walk_lesson(client)
    post_part(client, "strategies", {"strategies": ["say-no"]})
    return client


def test_every_radio_question_ends_with_a_skip_choice(student):
    page = student.get("/feedback/").content.decode()
    for key in ["confidence-saying-no", "law-under-18", "know-where-help", "would-use-plan"]:
        radios = re.findall(rf'<input type="radio" name="{key}" id="[^"]+" value="([^"]*)"', page)
        assert radios and radios[-1] == "", key  # the last choice is Skip, which sends no answer
        assert radios.count("") == 1, key
    assert page.count('Skip<span class="visually-hidden"> this question</span>') >= 4


def test_a_skip_posted_stores_no_answer_to_that_question(student):
    response = student.post(
        "/feedback/",
        {
            "confidence-saying-no": "",
            "law-under-18": "",
            "know-where-help": "",
            "would-use-plan": "4",
        },
    )
    assert response.status_code == 302 and response.url == "/feedback/thanks/"
    assert FeedbackResponse.objects.count() == 1
    assert list(FeedbackAnswer.objects.values_list("question__key", "scale_value")) == [("would-use-plan", 4)]


def test_the_check_in_offers_skip_too(client, alice, current_package):
    join_class(client, make_class_session(teacher=alice, package=current_package))
    page = client.get("/feedback/check-in/").content.decode()
    assert re.findall(r'<input type="radio" name="law-under-18" id="[^"]+" value="([^"]*)"', page)[-1] == ""
    assert client.post("/feedback/check-in/", {"law-under-18": ""}).status_code == 302
    assert not FeedbackAnswer.objects.exists()
