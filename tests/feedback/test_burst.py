"""A whole class sends feedback at the same moment against the real SQLite file (WAL, IMMEDIATE)."""

import pytest
from django.db import connection
from django.test import Client

from feedback.models import FeedbackAnswer, FeedbackResponse
from tests.builders import join_class, make_class_session, walk_lesson
from tests.concurrency import all_at_once

STUDENTS = 30


@pytest.mark.django_db(transaction=True)
def test_thirty_students_sending_feedback_at_once_are_all_acknowledged_and_stored(alice, bundled_package):
    assert connection.vendor != "sqlite" or str(connection.settings_dict["NAME"]) != ":memory:"
    class_session = make_class_session(teacher=alice, package=bundled_package)

    def ready(number: int) -> Client:
        browser = Client()
        join_class(browser, class_session)
        walk_lesson(browser)
        browser.get("/feedback/")
        return browser

    def send(number: int, browser: Client) -> tuple[int, str]:
        response = browser.post(
            "/feedback/", {"kept-attention": str(number % 5 + 1), "what-change": f"comment {number}"}
        )
        return response.status_code, response.get("Location", "")

    replies = all_at_once(STUDENTS, send, ready=ready)
    assert replies == [(302, "/feedback/thanks/")] * STUDENTS
    assert FeedbackResponse.objects.filter(class_session=class_session).count() == STUDENTS
    assert FeedbackAnswer.objects.filter(question__key="kept-attention").count() == STUDENTS
    assert FeedbackAnswer.objects.filter(question__key="what-change").count() == STUDENTS
    assert FeedbackResponse.objects.values("token_hash").distinct().count() == STUDENTS
