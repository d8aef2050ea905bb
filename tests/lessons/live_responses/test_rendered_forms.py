"""Students' panel forms are rendered by crispy once per process (lessons/live_responses/rendering.py), yet each
student's page has its own CSRF token, which their vote is accepted with, and their own earlier answer."""

import re

import pytest
from django.test import Client

from lessons.live_responses import rendering
from lessons.live_responses.models import Vote
from tests.builders import join_class
from tests.lessons.live_responses.builders import VOTE_STEP, option_positions

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.lessons.live_responses.pages")]

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def crispy_renders(monkeypatch) -> list[str]:
    """The forms crispy renders (by their action), counted around the real function."""
    rendered = []
    real = rendering.render_crispy_form

    def counted(form, **kwargs):
        rendered.append(form.helper.form_action)
        return real(form, **kwargs)

    monkeypatch.setattr(rendering, "render_crispy_form", counted)
    return rendered


def _checking_students(class_session, count: int) -> list[Client]:
    browsers = [Client(enforce_csrf_checks=True) for _ in range(count)]
    for browser in browsers:
        page = browser.get(f"/join/?code={class_session.join_code}").content.decode()
        response = browser.post(
            "/join/", {"code": class_session.join_code, "csrfmiddlewaretoken": TOKEN.search(page).group(1)}
        )
        assert response.status_code == 302
    return browsers


def test_a_class_gets_each_form_rendered_once_and_each_student_their_own_token(live_class, crispy_renders):
    pupils = _checking_students(live_class, 3)
    pages = [pupil.get(f"/test-live/student/{VOTE_STEP}/").content.decode() for pupil in pupils]
    assert sorted(crispy_renders) == ["/lesson/responses/go-back/vote/", "/lesson/responses/question/"]
    tokens = [TOKEN.findall(page) for page in pages]
    assert all(len(found) == 2 and found[0] == found[1] for found in tokens)  # the vote and the question
    assert len({found[0] for found in tokens}) == 3 and rendering.TOKEN_STAND_IN not in "".join(pages)
    first = option_positions(live_class)[0]
    for pupil, found in zip(pupils, tokens, strict=True):
        response = pupil.post(
            f"/lesson/responses/{VOTE_STEP}/vote/",
            {"option": first, "next": f"/lesson/{VOTE_STEP}/", "csrfmiddlewaretoken": found[0]},
        )
        assert response.status_code == 302
    assert Vote.objects.count() == 3


def test_a_student_who_voted_sees_their_own_vote_chosen_and_no_one_elses(live_class):
    voter, other = Client(), Client()
    for pupil in (voter, other):
        assert join_class(pupil, live_class).status_code == 302
    second = option_positions(live_class)[1]
    checked = re.compile(r'<input[^>]*type="radio"[^>]*>')

    def chosen(pupil: Client) -> list[str]:
        page = pupil.get(f"/test-live/student/{VOTE_STEP}/").content.decode()
        return [
            re.search(r'value="(\d+)"', tag).group(1) for tag in checked.findall(page) if " checked" in tag
        ]

    assert chosen(voter) == [] and chosen(other) == []
    voter.post(f"/lesson/responses/{VOTE_STEP}/vote/", {"option": second, "next": f"/lesson/{VOTE_STEP}/"})
    assert chosen(voter) == [str(second)]
    assert chosen(other) == []


def test_a_question_given_back_after_a_refusal_is_shown_to_its_writer_and_never_kept(live_class):
    (pupil,) = [Client()]
    assert join_class(pupil, live_class).status_code == 302
    written = "Why does my friend keep asking me " + "for a picture " * 40  # over the length allowed
    refused = pupil.post(
        "/lesson/responses/question/", {"question": written, "next": f"/test-live/student/{VOTE_STEP}/"}
    )
    page = pupil.get(refused["Location"]).content.decode()
    assert "Why does my friend keep asking me" in page  # given back to its writer to shorten
    assert rendering.panel_forms.kept()  # the vote form is kept...
    assert not any(
        "Why does my friend" in html for html in rendering.panel_forms.kept()
    )  # ...their words not


STORY_STEP = "meet-jordan"  # a story step of the bundled package: no vote or sharing, the question box alone


def test_a_story_steps_panel_is_rendered_once_for_a_class_and_each_student_keeps_their_own_token(live_class):
    pupils = _checking_students(live_class, 3)
    pages = [pupil.get(f"/lesson/{STORY_STEP}/").content.decode() for pupil in pupils]
    assert all("Ask your teacher a question privately" in page for page in pages)
    assert len(rendering.plain_panels.kept()) == 1  # the class's first student had it rendered
    tokens = [TOKEN.findall(page)[-1] for page in pages]  # the question box's, the last form on the page
    assert len(set(tokens)) == 3 and rendering.TOKEN_STAND_IN not in "".join(pages)
    for pupil, token in zip(pupils, tokens, strict=True):
        sent = pupil.post(
            "/lesson/responses/question/",
            {
                "question": "Is it ever OK to send one?",
                "next": f"/lesson/{STORY_STEP}/",
                "csrfmiddlewaretoken": token,
            },
        )
        assert sent.status_code == 302


def test_a_student_who_asked_sees_their_own_panel_and_the_kept_one_holds_nothing_of_theirs(live_class):
    asker, other = Client(), Client()
    for pupil in (asker, other):
        assert join_class(pupil, live_class).status_code == 302
        pupil.get(f"/lesson/{STORY_STEP}/")
    asker.post(
        "/lesson/responses/question/", {"question": "Who sees this?", "next": f"/lesson/{STORY_STEP}/"}
    )
    page = asker.get(f"/lesson/{STORY_STEP}/").content.decode()
    assert "You can send 4 more questions" in page and "sent" in page.lower()  # their allowance and notice
    assert "You can send 5 more questions" in other.get(f"/lesson/{STORY_STEP}/").content.decode()
    (kept,) = rendering.plain_panels.kept()
    assert "You can send 5 more questions" in kept and "4 more" not in kept and "Who sees this?" not in kept
