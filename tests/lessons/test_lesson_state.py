"""The lesson state: one typed reading of the student's session, safe whatever the session holds."""

import ast
from pathlib import Path

import pytest
from django.contrib.sessions.backends.base import SessionBase

from lessons import walkthrough
from lessons.walkthrough import LessonState, lesson_state
from tests.builders import join_class, make_class_session, start_self_guided

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
APPS = ["accounts", "config", "feedback", "lessons", "pdf", "plans"]


def _session(**stored) -> SessionBase:
    session = SessionBase()
    session.update(stored)
    return session


def test_it_reads_a_self_guided_lesson(client, mini_package):
    start_self_guided(client, mini_package)
    assert lesson_state(client.session) == LessonState(package_id=mini_package.pk, digest=mini_package.digest)


def test_it_reads_a_class_lesson_with_the_place_and_the_steps_seen(client, alice, mini_package):
    class_session = make_class_session(teacher=alice, package=mini_package)
    join_class(client, class_session)
    client.get("/lesson/the-chat/")
    client.get("/lesson/feelings/")
    state = lesson_state(client.session)
    steps = {step.key: step.position for step in mini_package.steps.all()}
    assert state.class_session_id == class_session.pk and state.package_id == mini_package.pk
    assert state.step_key == "feelings"
    assert state.seen == {steps["the-chat"], steps["feelings"]}


@pytest.mark.parametrize(
    "stored",
    [
        None,
        "a string",
        [],
        {},
        {"step": "meet-jordan"},  # written before the lesson named its package
        {"package": "7"},
        {"package": True},
        {"package": 0},
        {"package": -3},
        {"package": 7, "class_session": "12"},
        {"package": 7, "class_session": 0},
        {"package": 7, "class_session": [12]},
    ],
)
def test_a_session_without_a_sound_lesson_gives_none(stored):
    assert lesson_state(_session(lesson=stored)) is None


def test_odd_parts_of_a_lesson_read_as_not_there():
    stored = {
        "package": 7,
        "digest": 5,
        "class_session": None,
        "step": ["x"],
        "seen": [1, "2", None, True, 3],
    }
    assert lesson_state(_session(lesson=stored)) == LessonState(package_id=7, seen=frozenset({1, 3}))
    old_format = {"package": 7, "class_session": 4, "step": "myths"}  # before digests and steps seen
    assert lesson_state(_session(lesson=old_format)) == LessonState(
        package_id=7, class_session_id=4, step_key="myths"
    )


def test_every_page_of_a_student_with_an_odd_lesson_answers_without_an_error(client, mini_package):
    for stored in [{"package": "x"}, {"package": mini_package.pk, "seen": "all", "step": 5, "digest": None}]:
        session = client.session
        session["lesson"] = stored
        session.save()
        for url in ["/", "/lesson/", "/lesson/the-chat/", "/lesson/resume/", "/lesson/end/", "/help/"]:
            assert client.get(url).status_code in (200, 302), (stored, url)
        for url in ["/feedback/", "/feedback/check-in/", "/plan/"]:
            assert client.get(url).status_code in (200, 302), (stored, url)


def test_remember_step_keeps_an_old_sessions_place_and_repairs_its_steps_seen(mini_package):
    session = _session(lesson={"package": mini_package.pk, "seen": "all"})
    step = mini_package.steps.get(key="the-chat")
    walkthrough.remember_step(session, step)
    assert session["lesson"]["seen"] == [step.position] and session["lesson"]["step"] == "the-chat"
    assert lesson_state(session).seen == {step.position}


def test_the_state_is_frozen():
    state = LessonState(package_id=1)
    with pytest.raises(AttributeError):
        state.package_id = 2  # type: ignore[misc]


def lesson_key_reads(source: str) -> list[int]:
    """Lines of `source` that name the lesson's session key: the text "lesson", or the walkthrough's
    SESSION_KEY (other apps' own SESSION_KEY constants are theirs)."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        names_key = (isinstance(node, ast.Constant) and node.value == "lesson") or (
            isinstance(node, ast.Attribute)
            and node.attr == "SESSION_KEY"
            and isinstance(node.value, ast.Name)
            and node.value.id == "walkthrough"
        )
        if names_key:
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "lessons.walkthrough":
            lines += [node.lineno for alias in node.names if alias.name == "SESSION_KEY"]
    return lines


def test_no_module_but_the_walkthrough_reads_the_lesson_from_the_session():
    walkthrough_file = ROOT / "lessons" / "walkthrough.py"
    sources = [
        path for app in APPS for path in sorted((ROOT / app).rglob("*.py")) if path != walkthrough_file
    ]
    assert len(sources) > 20  # the apps' modules were found
    offenders = [
        f"{path.relative_to(ROOT)}:{line}" for path in sources for line in lesson_key_reads(path.read_text())
    ]
    assert offenders == []
    assert lesson_key_reads(walkthrough_file.read_text())  # where it is read, it is found


def test_the_source_check_catches_every_way_of_naming_the_key():
    for source in [
        'state = request.session["lesson"]',
        "state = request.session.get('lesson')",
        "del session[walkthrough.SESSION_KEY]",
        "from lessons.walkthrough import SESSION_KEY",
    ]:
        assert lesson_key_reads(source) == [1], source
    assert lesson_key_reads("from plans.plan import SESSION_KEY\nsession[tokens.SESSION_KEY]") == []
