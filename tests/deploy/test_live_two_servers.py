"""The live lesson on two app servers sharing one database: the teacher's console on one, students on the
other, and the students' screens still follow within seconds (the state is in the database, not a process)."""

import json
import time

import pytest

from lessons.models import ClassSession, Pace
from tests.builders import PASSWORD, make_class_session
from tests.deploy.servers import Browser

pytestmark = [pytest.mark.slow, pytest.mark.timed]

FOLLOW_SECONDS = 3
POLL_SECONDS = 0.5  # quicker than a real screen's, to measure the servers rather than the poll interval


def _seconds_until(student: Browser, url: str, etag: str, slide: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < 10:
        status, state = student.poll(url, etag)
        if status == 200 and state["slide"] == slide:
            return time.monotonic() - started
        assert status == 304, status
        time.sleep(POLL_SECONDS)
    raise AssertionError(f"{slide} never reached the student")


def test_students_on_one_server_follow_a_console_on_the_other(start_app_server, alice, bundled_package):
    console_server, student_server = start_app_server(), start_app_server()
    lesson = make_class_session(teacher=alice, package=bundled_package)
    ClassSession.objects.filter(pk=lesson.pk).update(pace=Pace.TEACHER)
    poll = f"{student_server.url}/live/"
    students = [Browser() for _ in range(3)]
    for student in students:
        joined = student.post_form(f"{student_server.url}/join/", {"code": lesson.join_code})
        assert joined.status == 302 and joined.headers["Location"] == "/lesson/"
    first = students[0].get(poll)
    assert first.status == 200 and json.loads(first.body)["slide"] == "rules"
    etag = first.headers["ETag"]
    assert students[0].poll(poll, etag) == (304, {})
    waiting = students[1].get(f"{student_server.url}/lesson/meet-jordan/")
    assert waiting.status == 200 and "Wait for your teacher" in waiting.text

    teacher = Browser()
    login = teacher.post_form(
        f"{console_server.url}/accounts/login/", {"username": "alice", "password": PASSWORD}
    )
    assert login.status == 302
    moved = teacher.post_form(
        f"{console_server.url}/teach/sessions/{lesson.pk}/console/",
        {"slide": "meet-jordan"},
        action=f"{console_server.url}/teach/sessions/{lesson.pk}/live/show/",
    )
    assert moved.status == 302
    for student in students:
        assert _seconds_until(student, poll, etag, "meet-jordan") < FOLLOW_SECONDS
    shown = students[1].get(f"{student_server.url}/lesson/meet-jordan/")
    assert (
        shown.status == 200 and "Wait for your teacher" not in shown.text and "Jordan and Alex" in shown.text
    )
    counts = json.loads(teacher.get(f"{console_server.url}/teach/sessions/{lesson.pk}/live/?counts=1").body)
    assert counts["counts"]["joined"] == 3 and counts["counts"]["on_slide"]["meet-jordan"] == 1
