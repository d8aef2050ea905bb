"""Two app servers sharing one database: students and teachers move between them and lose nothing."""

import pytest

from lessons.walkthrough import route_for
from tests.builders import PASSWORD, make_class_session
from tests.deploy.servers import Browser

pytestmark = pytest.mark.slow


@pytest.fixture
def two_servers(start_app_server):
    limits = {"LOGIN_FAILURES_ALLOWED": "3", "JOIN_FAILURES_PER_DEVICE": "3"}
    return start_app_server(**limits), start_app_server(**limits)


def test_a_student_starts_on_one_server_and_carries_on_with_the_other(two_servers, alice, bundled_package):
    first, second = two_servers
    class_session = make_class_session(teacher=alice, package=bundled_package)
    student = Browser()
    joined = student.post_form(f"{first.url}/join/", {"code": class_session.join_code})
    assert joined.status == 302 and joined.headers["Location"] == "/lesson/"
    assert student.get(f"{first.url}/lesson/alex-asks/").status == 200
    saved = student.post_form(
        f"{first.url}/plan/people/",
        {"person_1": "my aunt", "person_2": "form tutor", "person_3": "", "person_4": ""},
    )
    assert saved.status == 302

    resumed = student.get(f"{second.url}/lesson/resume/")
    assert resumed.status == 302 and resumed.headers["Location"] == "/lesson/alex-asks/"
    people = student.get(f"{second.url}/plan/people/").text
    assert 'value="my aunt"' in people and 'value="form tutor"' in people
    total = route_for(bundled_package.pk).lesson_total  # check-in, the story, the plan and the feedback
    assert f"Step 3 of {total}" in student.get(f"{second.url}/lesson/alex-asks/").text


def test_a_teacher_logged_in_on_one_server_is_logged_in_on_the_other(two_servers, alice, bundled_package):
    first, second = two_servers
    teacher = Browser()
    login = teacher.post_form(f"{first.url}/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert login.status == 302 and login.headers["Location"] == "/teach/"
    assert "Your class sessions" in teacher.get(f"{second.url}/teach/").text


def test_the_log_in_cool_off_holds_across_both_servers(two_servers, alice):
    first, second = two_servers
    for server in [first, second, first]:
        wrong = Browser().post_form(
            f"{server.url}/accounts/login/", {"username": "alice", "password": "nope"}
        )
        assert wrong.status == 200
    locked = Browser().post_form(f"{second.url}/accounts/login/", {"username": "alice", "password": PASSWORD})
    assert locked.status == 429 and "Too many wrong passwords" in locked.text


def test_the_join_code_limit_holds_across_both_servers(two_servers, alice, bundled_package):
    first, second = two_servers
    class_session = make_class_session(teacher=alice, package=bundled_package)
    wrong = "ACDEFG" if class_session.join_code != "ACDEFG" else "GFEDCA"
    guesser = Browser()
    for server in [first, second, first]:
        assert guesser.post_form(f"{server.url}/join/", {"code": wrong}).status == 400
    assert guesser.post_form(f"{second.url}/join/", {"code": class_session.join_code}).status == 429
    classmate = Browser()
    assert classmate.post_form(f"{second.url}/join/", {"code": class_session.join_code}).status == 302
