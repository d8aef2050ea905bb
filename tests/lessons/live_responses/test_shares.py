"""Think steps: words shared as a chart after Reveal; a short text reaches the board only once approved."""

import pytest

from lessons.live_responses.models import SharedText, WordPick
from tests.lessons.live_responses.builders import (
    PANEL,
    TEXT_STEP,
    WORDS_STEP,
    page_text,
    share_text,
    share_words,
    students,
    teacher_action,
)

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.lessons.live_responses.pages")]


def test_words_make_a_chart_of_how_many_devices_picked_each_once_revealed(teacher, live_class):
    for browser in students(live_class, 5):
        assert share_words(browser, ["scared", "alone"]).status_code == 302
    late = students(live_class, 1)[0]
    share_words(late, ["angry"])
    share_words(late, ["worried", "scared"])  # changed: the device's words are replaced
    projector = f"/test-live/projector/{live_class.pk}/{WORDS_STEP}/"
    assert "scared" not in page_text(teacher.get(projector)).split("If you want to")[0]
    assert "6 of 6 have shared words" in page_text(
        teacher.get(f"/test-live/console/{live_class.pk}/{WORDS_STEP}/")
    )

    teacher_action(teacher, live_class, WORDS_STEP, "reveal")
    board = page_text(teacher.get(projector))
    assert "scared 6 (100%)" in board and "alone 5 (83%)" in board and "worried 1 (17%)" in board
    assert "angry 0 (0%)" in board
    assert board.index("scared") < board.index("alone") < board.index("worried")  # most picked first


def test_more_than_three_words_or_a_word_not_on_the_list_is_refused_with_a_message(live_class):
    (student,) = students(live_class, 1)
    too_many = share_words(student, ["scared", "alone", "angry", "worried"], **PANEL)
    assert too_many.status_code == 400 and "Pick up to 3 words." in page_text(too_many)
    not_listed = share_words(student, ["happy"], **PANEL)
    assert not_listed.status_code == 400 and "Pick from the words." in page_text(not_listed)
    assert not WordPick.objects.exists()


def test_an_answer_reaches_the_projector_only_once_the_teacher_approves_it(teacher, live_class):
    first, second = students(live_class, 2)
    share_text(first, "UNAPPROVED-MARKER to make Jordan feel guilty")
    share_text(second, "APPROVED-MARKER to pressure Jordan")
    projector = f"/test-live/projector/{live_class.pk}/{TEXT_STEP}/"
    console = page_text(teacher.get(f"/test-live/console/{live_class.pk}/{TEXT_STEP}/"))
    assert "UNAPPROVED-MARKER" in console and "APPROVED-MARKER" in console
    assert "MARKER" not in teacher.get(projector).content.decode()

    approved = SharedText.objects.get(text__startswith="APPROVED")
    response = teacher.post(
        f"/teach/sessions/{live_class.pk}/responses/texts/{approved.pk}/approve/", **PANEL
    )
    assert response.status_code == 200
    html = teacher.get(projector).content.decode()
    assert "APPROVED-MARKER to pressure Jordan" in html
    assert "UNAPPROVED-MARKER" not in html
    for browser in (first, second):
        assert "MARKER" not in browser.get(f"/test-live/student/{TEXT_STEP}/").content.decode()

    teacher.post(f"/teach/sessions/{live_class.pk}/responses/texts/{approved.pk}/hide/")
    assert "MARKER" not in teacher.get(projector).content.decode()


def test_a_device_shares_one_answer_per_step_and_a_long_one_is_kept_to_correct(live_class):
    (student,) = students(live_class, 1)
    long_answer = "Because " + "x" * 140
    refused = share_text(student, long_answer, **PANEL)
    assert refused.status_code == 400
    assert "Keep it to 140 characters or fewer." in page_text(refused)
    assert long_answer in refused.content.decode()  # what was typed is still in the box
    plain = share_text(student, long_answer)
    assert long_answer in student.get(f"/test-live/student/{TEXT_STEP}/").content.decode()
    assert plain.status_code == 302

    assert share_text(student, "Because they wanted the photo", **PANEL).status_code == 200
    again = share_text(student, "Another answer", **PANEL)
    assert again.status_code == 400 and "You have already shared an answer" in page_text(again)
    assert list(SharedText.objects.values_list("text", flat=True)) == ["Because they wanted the photo"]


def test_a_step_that_shares_nothing_takes_no_answer(live_class):
    (student,) = students(live_class, 1)
    assert share_words(student, ["scared"], key=TEXT_STEP).status_code == 404
    assert share_text(student, "hello", key="meet-jordan").status_code == 404
    assert share_text(student, "hello", key="no-such-step").status_code == 404
