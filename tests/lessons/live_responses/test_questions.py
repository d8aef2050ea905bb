"""The anonymous question box: on the console only, unless the teacher shows one; five per device a lesson."""

import pytest

from lessons.live_responses.models import AnonymousQuestion
from lessons.live_responses.services import QUESTIONS_PER_DEVICE
from tests.builders import start_self_guided
from tests.lessons.live_responses.builders import PANEL, VOTE_STEP, ask, page_text, students

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.lessons.live_responses.pages")]


def test_a_question_shows_on_the_console_only_until_the_teacher_puts_it_on_the_projector(teacher, live_class):
    asker, classmate = students(live_class, 2)
    response = ask(asker, "QUESTION-MARKER what if it was sent already?", **PANEL)
    assert response.status_code == 200
    assert "Your teacher cannot tell who sent it" in page_text(response)
    pages = {
        "console": f"/test-live/console/{live_class.pk}/rules/",
        "projector": f"/test-live/projector/{live_class.pk}/rules/",
    }
    assert "QUESTION-MARKER" in teacher.get(pages["console"]).content.decode()
    assert "QUESTION-MARKER" not in teacher.get(pages["projector"]).content.decode()
    for browser in (asker, classmate):
        assert "QUESTION-MARKER" not in browser.get("/test-live/student/rules/").content.decode()

    question = AnonymousQuestion.objects.get()
    base = f"/teach/sessions/{live_class.pk}/responses/questions/{question.pk}"
    teacher.post(f"{base}/show/")
    assert "A question from the class QUESTION-MARKER" in page_text(teacher.get(pages["projector"]))
    teacher.post(f"{base}/answered/")
    assert "QUESTION-MARKER" not in teacher.get(pages["projector"]).content.decode()
    assert "Answered (1)" in page_text(teacher.get(pages["console"]))
    teacher.post(f"{base}/hide/")
    assert "QUESTION-MARKER" not in teacher.get(pages["console"]).content.decode()


def test_showing_one_question_takes_the_last_one_off_the_projector(teacher, live_class):
    (student,) = students(live_class, 1)
    ask(student, "First?")
    ask(student, "Second?")
    for question in AnonymousQuestion.objects.order_by("pk"):
        teacher.post(f"/teach/sessions/{live_class.pk}/responses/questions/{question.pk}/show/")
    assert list(AnonymousQuestion.objects.filter(on_projector=True).values_list("text", flat=True)) == [
        "Second?"
    ]


def test_the_box_says_who_can_help_instead_and_the_console_what_to_do_with_a_worrying_question(
    teacher, live_class
):
    (student,) = students(live_class, 1)
    box = page_text(student.get(f"/test-live/student/{VOTE_STEP}/"))
    assert "Your teacher sees your question but not who sent it" in box
    assert "cannot talk to you about it on your own" in box
    assert "Childline on 0800 1111" in box
    console = page_text(teacher.get(f"/test-live/console/{live_class.pk}/{VOTE_STEP}/"))
    assert "remind the whole class where to get help" in console
    assert "tell your designated safeguarding lead (DSL) today what it said" in console


def test_a_device_may_send_five_questions_in_a_lesson(live_class):
    student, other = students(live_class, 2)
    for number in range(QUESTIONS_PER_DEVICE):
        assert ask(student, f"Question {number}?", **PANEL).status_code == 200
    refused = ask(student, "One more?", **PANEL)
    assert refused.status_code == 400
    assert f"You have sent {QUESTIONS_PER_DEVICE} questions in this lesson" in page_text(refused)
    assert AnonymousQuestion.objects.count() == QUESTIONS_PER_DEVICE
    assert ask(other, "Mine?", **PANEL).status_code == 200  # another device has its own five


def test_an_empty_or_too_long_question_gets_a_message_and_keeps_what_was_typed(live_class):
    (student,) = students(live_class, 1)
    assert "Write your question first." in page_text(ask(student, "  ", **PANEL))
    long_question = "Why " + "y" * 300
    response = ask(student, long_question, **PANEL)
    assert response.status_code == 400
    assert "Keep your question to 280 characters or fewer." in page_text(response)
    assert long_question in response.content.decode()
    assert '<details class="question-box mt-3" open>' in response.content.decode()
    assert not AnonymousQuestion.objects.exists()


def test_a_browser_not_in_a_class_is_sent_to_the_start(client, mini_package):
    start_self_guided(client, mini_package)
    assert ask(client, "Hello?")["Location"] == "/"
    assert not AnonymousQuestion.objects.exists()
