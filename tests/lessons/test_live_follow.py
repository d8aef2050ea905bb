"""Students' screens in a live lesson: the poll (one query, 304 while unchanged), following the teacher (look
back, never ahead), the pause, joining late, and the console's counts with what they keep and delete."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from lessons import live
from lessons.models import ClassSession, LivePresence, Pace
from lessons.presence import plan_made
from lessons.services import class_session_close
from lessons.step_cache import step_pages
from tests.builders import join_class, make_class_session, start_self_guided

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(alice, mini_package):
    return make_class_session(teacher=alice, package=mini_package)


@pytest.fixture
def student(client, lesson):
    assert join_class(client, lesson).status_code == 302
    return client


def _lead(lesson, **changes) -> None:
    live.bump(lesson, **{"pace": Pace.TEACHER, **changes})


def test_a_students_poll_is_one_query_and_304_while_nothing_changed(
    student, lesson, django_assert_num_queries
):
    with django_assert_num_queries(1):  # the class's state by primary key: no session row is read
        first = student.get("/live/")
    assert first.status_code == 200 and first["ETag"] == f'"live-{lesson.live_version}"'
    assert first.json() == {
        "version": lesson.live_version,
        "slide": live.RULES,
        "url": "/lesson/",
        "section": "",
        "follow": False,
        "paused": False,
        "open": True,
    }
    with django_assert_num_queries(0):  # the state just read, kept for a quarter of a second
        unchanged = student.get("/live/", headers={"If-None-Match": first["ETag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    _lead(lesson, live_slide="feelings")  # the teacher's change, in this process: seen at once
    moved = student.get("/live/", headers={"If-None-Match": first["ETag"]})
    assert moved.status_code == 200 and moved.json()["url"] == "/lesson/feelings/" and moved.json()["follow"]


@pytest.fixture
def clock(monkeypatch):
    """The time the kept states go by, moved on by hand."""
    now = [1000.0]
    monkeypatch.setattr(live.time, "monotonic", lambda: now[0])
    return now


def test_a_class_of_students_polling_costs_one_query_each_quarter_second(
    lesson, clock, django_assert_num_queries
):
    students = [Client() for _ in range(5)]
    for client in students:
        assert join_class(client, lesson).status_code == 302
    with django_assert_num_queries(1):
        assert {client.get("/live/").status_code for client in students} == {200}
    clock[0] += 0.2
    with django_assert_num_queries(0):
        assert {client.get("/live/").status_code for client in students} == {200}
    clock[0] += 0.1
    with django_assert_num_queries(1):
        assert {client.get("/live/").status_code for client in students} == {200}


def test_a_change_made_by_another_app_server_reaches_students_within_a_quarter_second(student, lesson, clock):
    assert student.get("/live/").json()["slide"] == live.RULES
    # The console on another server changes the row; this process learns of it only from the database.
    ClassSession.objects.filter(pk=lesson.pk).update(
        live_slide="feelings", live_version=lesson.live_version + 1
    )
    clock[0] += 0.2
    assert student.get("/live/").json()["slide"] == live.RULES
    clock[0] += 0.1
    assert student.get("/live/").json() | {"version": 0} == {
        "version": 0,
        "slide": "feelings",
        "url": "/lesson/feelings/",
        "section": "",
        "follow": False,
        "paused": False,
        "open": True,
    }


def test_a_students_poll_finds_its_class_by_the_primary_key_index(student, lesson):
    """The poll's one query, as the database plans it: a search of the primary key, never a scan of every
    class session (on PostgreSQL with sequential scans off, as a table this small would be read whole)."""
    with CaptureQueriesContext(connection) as captured:
        assert student.get("/live/", headers={"If-None-Match": '"live-0"'}).status_code == 200
    (query,) = captured.captured_queries
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
            plan = [row[-1] for row in cursor.fetchall()]
            assert plan == ["SEARCH lessons_classsession USING INTEGER PRIMARY KEY (rowid=?)"]
        else:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("EXPLAIN " + query["sql"])
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Index Scan using lessons_classsession_pkey on lessons_classsession" in plan
            assert "Seq Scan" not in plan


def test_a_device_in_no_class_gets_204_without_a_query(client, mini_package, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert client.get("/live/").status_code == 204
    client.cookies["live_class"] = "1:forged"
    with django_assert_num_queries(0):
        assert client.get("/live/").status_code == 204


def test_a_closed_class_answers_204_so_screens_stop_asking(student, lesson):
    class_session_close(class_session=lesson)
    assert student.get("/live/").status_code == 204


def test_starting_a_lesson_on_ones_own_stops_following_the_class(student, mini_package):
    response = start_self_guided(student, mini_package)
    assert response.cookies["live_class"].value == "" and response.cookies["live_class"]["path"] == "/live/"


def test_a_student_who_follows_the_teacher_waits_for_a_step_ahead_and_can_look_back(student, lesson):
    _lead(lesson, live_slide="feelings")
    ahead = student.get("/lesson/myths/")
    page = ahead.content.decode()
    assert ahead.status_code == 200 and "Wait for your teacher" in page
    assert 'href="/lesson/myths/">Check again<' in page and 'href="/lesson/feelings/"' in page
    assert "Most young people never send a nude." not in page
    assert "{#" not in page and "#}" not in page  # no template comment shows as text
    assert "How might Sam be feeling?" in student.get("/lesson/feelings/").content.decode()
    assert "send me a pic" in student.get("/lesson/the-chat/").content.decode()  # looking back
    _lead(lesson, live_slide="myths")
    assert "Most young people never send a nude." in student.get("/lesson/myths/").content.decode()


def test_a_student_may_see_where_the_classs_choice_leads(student, lesson):
    _lead(lesson, live_slide="what-now")
    assert "potato" in student.get("/lesson/joke-ending/").content.decode()
    assert "Wait for your teacher" in student.get("/lesson/myths/").content.decode()


def test_a_student_at_their_own_pace_goes_anywhere(student, lesson):
    live.bump(lesson, pace=Pace.SELF, live_slide=live.RULES)
    assert "Most young people never send a nude." in student.get("/lesson/myths/").content.decode()


def test_a_paused_class_sees_eyes_on_the_board(student, lesson):
    live.bump(lesson, paused=True)
    page = student.get("/lesson/the-chat/").content.decode()
    assert "Eyes on the board" in page and "send me a pic" not in page and "Check again" in page
    live.bump(lesson, paused=False)
    assert "send me a pic" in student.get("/lesson/the-chat/").content.decode()


def test_a_student_who_joins_late_lands_on_the_teachers_slide(client, lesson):
    _lead(lesson, live_slide="what-now")
    response = join_class(client, lesson)
    assert response.status_code == 302 and response.url == "/lesson/what-now/"
    assert response.cookies["live_class"]["path"] == "/live/" and response.cookies["live_class"]["httponly"]
    live.bump(lesson, pace=Pace.SELF)
    assert join_class(Client(), lesson).url == "/lesson/"


def test_a_class_students_step_page_is_still_shared_and_the_panel_is_theirs(student, lesson):
    page = student.get("/lesson/the-chat/").content.decode()
    assert "<!--live-panel-->" not in page
    assert step_pages.pages() and all("<!--live-panel-->" in kept for kept in step_pages.pages())


def test_a_class_students_step_page_stays_within_six_queries(student, lesson, django_assert_max_num_queries):
    _lead(lesson, live_slide="help")
    for key in ["the-chat", "feelings", "what-now", "myths", "help", "the-chat"]:
        # session, the class, content (first visits), presence when the slide changes, session save; on a step
        # the class answers, its live panel's poll (a choice's options come from the page's content)
        with django_assert_max_num_queries(6):
            assert student.get(f"/lesson/{key}/").status_code == 200


def test_the_console_counts_devices_on_each_slide_and_keeps_no_device_id(lesson, mini_package):
    students = [Client() for _ in range(3)]
    for student in students:
        join_class(student, lesson)
        student.get("/lesson/")
    students[0].get("/lesson/the-chat/")
    students[1].get("/lesson/the-chat/")
    students[1].get("/lesson/feelings/")
    counts = _counts(lesson)
    assert counts["joined"] == 3 and counts["on_slide"] == {live.RULES: 1, "the-chat": 1, "feelings": 1}
    # Each device once, under a keyed hash of a token only its session holds: never the token or the cookie.
    tokens = {student.session["lesson"]["device"] for student in students}
    cookies = {student.cookies["sessionid"].value for student in students}
    devices = set(LivePresence.objects.values_list("device", flat=True))
    assert len(devices) == 3 and all(len(device) == 64 for device in devices)
    assert not devices & (tokens | cookies)
    assert not {device for device in devices for secret in tokens | cookies if secret in device}


def _counts(lesson) -> dict:
    from lessons.presence import live_counts

    return live_counts(ClassSession.objects.get(pk=lesson.pk))


def test_the_console_counts_plans_made_once_and_check_ins_and_feedback(student, lesson, mini_package):
    from feedback.models import Stage
    from tests.feedback.builders import answer_in_class
    from tests.plans.builders import build_plan, post_part

    build_plan(student, mini_package)
    post_part(student, "why", {"why": "Because"})
    counts = _counts(lesson)
    assert counts["plans_made"] == 1 and counts["on_slide"] == {live.PLAN: 1}
    answer_in_class(lesson, checkins=[{}, {}, {}], feedback=[{}, {}])
    other = make_class_session(teacher=lesson.teacher, package=mini_package)
    answer_in_class(other, checkins=[{}], feedback=[{}])  # another class's answers count there, not here
    assert (_counts(lesson)["checked_in"], _counts(lesson)["feedback_sent"]) == (3, 2)
    assert Stage.CHECKIN == "checkin" and Stage.FEEDBACK == "feedback"  # the values live_counts looks up


def test_a_closed_session_deletes_its_live_data_and_writes_none_after(student, lesson):
    student.get("/lesson/the-chat/")
    assert LivePresence.objects.filter(class_session=lesson).count() == 1
    class_session_close(class_session=lesson)
    assert not LivePresence.objects.exists()
    student.get("/lesson/feelings/")
    student.get("/lesson/")
    assert not LivePresence.objects.exists()


def test_purge_expired_deletes_the_live_data_of_sessions_that_closed_themselves(student, lesson, alice):
    from datetime import timedelta

    from django.utils import timezone

    student.get("/lesson/the-chat/")
    other = make_class_session(teacher=alice, package=lesson.package)
    later = Client()
    join_class(later, other)
    later.get("/lesson/the-chat/")
    ClassSession.objects.filter(pk=lesson.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    call_command("purge_expired")
    assert list(LivePresence.objects.values_list("class_session", flat=True)) == [other.pk]


def test_a_poll_is_answered_before_the_session_and_still_carries_the_security_headers(
    student, lesson, settings
):
    """The poll skips the session, CSRF, messages and the rest (lessons/live_poll.py) but not the headers
    that keep a response safe; a session it skipped is neither read nor sent back."""
    assert settings.MIDDLEWARE.index("lessons.live_poll.StudentPollMiddleware") < settings.MIDDLEWARE.index(
        "django.contrib.sessions.middleware.SessionMiddleware"
    )
    response = student.get("/live/")
    assert response.status_code == 200 and not hasattr(response.wsgi_request, "session")
    assert response.cookies == {} and "Vary" not in response
    assert response["X-Content-Type-Options"] == "nosniff" and response["X-Frame-Options"] == "DENY"
    assert response["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert "camera=()" in response["Permissions-Policy"] and response["Cache-Control"] == "no-cache, private"
    assert int(response["Content-Length"]) == len(response.content)
    assert student.post("/live/").status_code == 405  # only GET and HEAD are polls


def test_a_class_turning_pages_reads_its_session_once_a_quarter_second(lesson, clock):
    students = [Client() for _ in range(5)]
    for client in students:
        assert join_class(client, lesson).status_code == 302
    reads = []
    for wait in (0, 0.2, 0.1):
        clock[0] += wait
        with CaptureQueriesContext(connection) as queries:
            assert {client.get("/lesson/the-chat/").status_code for client in students} == {200}
        reads.append(sum(query["sql"].startswith('SELECT "lessons_classsession"') for query in queries))
    assert reads == [1, 0, 1]


def test_a_page_is_held_back_only_by_the_class_as_it_is_now(student, lesson, clock):
    live.bump(lesson, paused=True)
    assert "Eyes on the board" in student.get("/lesson/the-chat/").content.decode()
    # Another app server resumes the class: this process still keeps the paused state, yet asks again.
    ClassSession.objects.filter(pk=lesson.pk).update(paused=False, live_version=lesson.live_version + 1)
    assert "send me a pic" in student.get("/lesson/the-chat/").content.decode()


def test_nothing_is_counted_for_a_session_closed_elsewhere_while_its_state_is_kept(student, lesson, clock):
    student.get("/lesson/the-chat/")  # the class's state is kept, open
    # Another app server closes the session (and deletes its live data): this process has not heard.
    ClassSession.objects.filter(pk=lesson.pk).update(closed_at=timezone.now())
    LivePresence.objects.filter(class_session=lesson).delete()
    student.get("/lesson/feelings/")
    plan_made(student_session := student.session)
    student_session.save()
    assert not LivePresence.objects.exists()


def test_a_class_kept_as_closed_is_read_again_before_a_student_is_let_go_on_their_own(student, lesson, clock):
    live.bump(lesson, pace=Pace.TEACHER)
    ClassSession.objects.filter(pk=lesson.pk).update(closed_at=timezone.now())
    assert live.recent_states.get(lesson.pk).is_open is False  # this process keeps it closed for a moment
    ClassSession.objects.filter(pk=lesson.pk).update(closed_at=None)  # reopened (say, on another app server)
    page = student.get("/lesson/what-now/").content.decode()
    assert "Wait for your teacher" in page  # the class leads again: a step ahead waits, as it should
