"""The three agreed includes render on their own from the context the live pages give them, or render nothing."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from lessons import live
from lessons.models import Step
from tests.lessons.live_responses.builders import VOTE_STEP, WORDS_STEP, ask, students

pytestmark = pytest.mark.django_db
INCLUDES = ["console", "projector", "student"]


def _render(include: str, **context) -> str:
    return render_to_string(f"lessons/live/includes/{include}_responses.html", context)


@pytest.mark.parametrize("include", INCLUDES)
def test_without_a_class_session_an_include_renders_nothing(include):
    assert _render(include, slide=VOTE_STEP).strip() == ""


def test_the_slide_may_be_a_steps_key_or_the_step_itself(live_class):
    step = Step.objects.get(package=live_class.package, key=WORDS_STEP)
    by_key = _render("projector", class_session=live_class, slide=WORDS_STEP)
    assert "pick up to three words on your screen" in by_key
    assert _render("projector", class_session=live_class, slide=step) == by_key


def test_a_special_slide_shows_only_the_question_box_on_the_console(live_class, alice):
    (student,) = students(live_class, 1)
    ask(student, "Is it ever OK?")
    request = RequestFactory().get("/console/")
    request.user = alice
    html = render_to_string(
        "lessons/live/includes/console_responses.html",
        {"class_session": live_class, "slide": live.RULES},
        request,
    )
    assert "Is it ever OK?" in html and "have voted" not in html
    assert _render("projector", class_session=live_class, slide=live.RULES).strip().startswith("<link")
    assert "Is it ever OK?" not in _render("projector", class_session=live_class, slide=live.RULES)


def test_the_student_include_renders_nothing_without_the_request_that_holds_the_devices_session(live_class):
    assert _render("student", class_session=live_class, slide=VOTE_STEP).strip() == ""


def test_the_consoles_panel_can_be_fetched_again_on_its_own(live_class, teacher):
    response = teacher.get(f"/teach/sessions/{live_class.pk}/responses/{VOTE_STEP}/?next=/console/")
    html = response.content.decode()
    assert html.lstrip().startswith("<section") and "<html" not in html
    assert "0 of 0 have voted" in " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert 'name="next" value="/console/"' in html
