"""The teacher's two screens: the console (notes, controls, counts) and the projector (the slide only), and
the controls that move the class, with every slide of the bundled package."""

import re

import pytest
from django.utils.html import escape

from lessons import live
from lessons.models import ClassSession, Pace, Step
from tests.builders import make_class_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson(client, alice, bundled_package):
    client.force_login(alice)
    return make_class_session(teacher=alice, package=bundled_package)


def _get(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _note_phrases(text: str) -> list[str]:
    """Each line of a note, without list marks: what must never reach the projector."""
    phrases = [line.strip().removeprefix("- ").strip() for line in text.splitlines()]
    return [phrase for phrase in phrases if len(phrase) > 12]


def test_the_slides_run_from_the_ground_rules_through_every_step_to_the_close(bundled_package):
    slides = live.slides_for(bundled_package.pk)
    steps = list(
        Step.objects.filter(package=bundled_package).order_by("position").values_list("key", flat=True)
    )
    assert [slide.key for slide in slides] == [
        live.RULES,
        live.CHECKIN,
        *steps,
        live.PLAN,
        live.FEEDBACK,
        live.CLOSE,
    ]


def test_a_package_without_check_in_questions_has_no_check_in_slide(bundled_package):
    bundled_package.questions.update(in_checkin=False)
    assert live.CHECKIN not in [slide.key for slide in live.slides_for(bundled_package.pk)]


def test_the_projector_shows_no_teacher_notes_and_no_answers_on_any_slide(client, lesson, bundled_package):
    secrets = _note_phrases(bundled_package.teacher_notes)
    for step in Step.objects.filter(package=bundled_package):
        secrets += _note_phrases(step.teacher_notes)
        secrets += [option.feedback.strip() for option in step.options.all()]
    secrets += [slide.notes for slide in live.slides_for(bundled_package.pk) if not slide.step]
    assert len(secrets) > 40
    for slide in live.slides_for(bundled_package.pk):
        live.bump(lesson, live_slide=slide.key)
        page = _get(client, f"/teach/sessions/{lesson.pk}/projector/")
        assert slide.title in page or slide.key == live.RULES, slide.key
        shown = [secret for secret in secrets if secret in page]
        assert not shown, f"{slide.key}: {shown}"
        assert "Never promise" not in page and "form-check" not in page, (
            slide.key
        )  # no disclosure, no controls


def test_the_console_shows_the_slides_notes_as_lists_and_the_disclosure_routine(client, lesson):
    live.bump(lesson, live_slide="alex-asks")
    page = _get(client, f"/teach/sessions/{lesson.pk}/console/")
    assert "<li>How did the chat change? Which message was the turning point?</li>" in page
    assert "<p>Keep the focus on Alex&#x27;s pressure" in page  # a line after the list is a paragraph
    assert "Never promise to keep it secret" in page and "designated safeguarding lead" in page
    assert "Notes for the whole lesson" in page and "<li>Tell your designated safeguarding lead (DSL)" in page
    assert 'value="spot-the-pressure">Next: Stop and think: spot the pressure<' in page  # it names the slide
    assert 'value="meet-jordan">Previous<' in page


def test_the_console_shows_what_each_choice_leads_to(client, lesson, bundled_package):
    live.bump(lesson, live_slide="go-back")
    page = _get(client, f"/teach/sessions/{lesson.pk}/console/")
    option = Step.objects.get(package=bundled_package, key="go-back").options.first()
    assert option.label in page and escape(option.feedback.split(".")[0]) in page


def test_the_session_page_shows_no_notes_and_opens_the_console_and_projector(client, lesson):
    page = _get(client, f"/teach/sessions/{lesson.pk}/")
    assert "Never promise" not in page and "Keep the focus" not in page and "Teacher notes" not in page
    assert f'href="/teach/sessions/{lesson.pk}/console/"' in page
    assert f'href="/teach/sessions/{lesson.pk}/projector/"' in page


def test_the_join_slide_shows_the_full_address_the_code_the_word_and_the_qr_code(client, lesson):
    page = _get(client, f"/teach/sessions/{lesson.pk}/projector/")
    assert "http://testserver/join/" in page
    assert f'<p class="join-code">{lesson.join_code}</p>' in page
    assert f"Class word: <strong>{lesson.class_word}</strong>" in page
    assert f'src="/teach/sessions/{lesson.pk}/qr.svg"' in page


def test_next_shows_the_slide_it_names_and_raises_the_version(client, lesson):
    response = client.post(f"/teach/sessions/{lesson.pk}/live/show/", {"slide": live.CHECKIN})
    assert response.status_code == 302 and response.url == f"/teach/sessions/{lesson.pk}/console/"
    client.post(f"/teach/sessions/{lesson.pk}/live/show/", {"slide": live.CHECKIN})  # a double press
    lesson.refresh_from_db()
    assert (lesson.live_slide, lesson.live_version) == (live.CHECKIN, 3)
    assert "Showing slide 2 of" in _get(client, response.url)


def test_a_slide_not_in_the_lesson_is_refused_with_a_message(client, lesson):
    response = client.post(f"/teach/sessions/{lesson.pk}/live/show/", {"slide": "no-such-slide"}, follow=True)
    assert "That slide is not in this lesson" in response.content.decode()
    lesson.refresh_from_db()
    assert (lesson.live_slide, lesson.live_version) == (live.RULES, 1)


def test_the_teacher_switches_the_pace_and_pauses_and_resumes_the_screens(client, lesson):
    client.post(f"/teach/sessions/{lesson.pk}/live/pace/", {"pace": "teacher"})
    client.post(f"/teach/sessions/{lesson.pk}/live/pause/", {"paused": "1"})
    lesson.refresh_from_db()
    assert lesson.pace == Pace.TEACHER and lesson.paused and lesson.live_version == 3
    page = _get(client, f"/teach/sessions/{lesson.pk}/console/")
    assert "Resume students' screens" in page and "paused (Eyes on the board)" in page
    client.post(f"/teach/sessions/{lesson.pk}/live/pause/", {"paused": "0"})
    refused = client.post(f"/teach/sessions/{lesson.pk}/live/pace/", {"pace": "fast"}, follow=True)
    assert "Choose whether students follow your screen" in refused.content.decode()
    lesson.refresh_from_db()
    assert lesson.pace == Pace.TEACHER and not lesson.paused and lesson.live_version == 4


def test_a_closed_session_cannot_be_moved_on(client, lesson):
    from lessons.services import class_session_close

    class_session_close(class_session=lesson)
    response = client.post(f"/teach/sessions/{lesson.pk}/live/show/", {"slide": live.CHECKIN}, follow=True)
    assert "This session is closed" in response.content.decode()
    assert ClassSession.objects.get(pk=lesson.pk).live_slide == live.RULES


def test_a_new_session_is_teacher_paced_unless_the_teacher_chooses_otherwise(client, alice, bundled_package):
    client.force_login(alice)
    client.post("/teach/", {"package": bundled_package.pk, "label": "9A"})
    client.post("/teach/", {"package": bundled_package.pk, "label": "9B", "pace": "self"})
    assert dict(ClassSession.objects.values_list("label", "pace")) == {"9A": Pace.TEACHER, "9B": Pace.SELF}


def test_the_screens_poll_answers_304_while_the_version_is_unchanged(client, lesson):
    url = f"/teach/sessions/{lesson.pk}/live/"
    first = client.get(url)
    assert first.status_code == 200 and first.json()["slide"] == live.RULES
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    live.bump(lesson, live_slide=live.CHECKIN)
    moved = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert (
        moved.status_code == 200 and moved.json()["slide"] == live.CHECKIN and moved["ETag"] != first["ETag"]
    )
    counts = client.get(url, {"counts": "1"}).json()["counts"]
    assert counts == {"joined": 0, "checked_in": 0, "plans_made": 0, "feedback_sent": 0, "on_slide": {}}


def test_the_projector_follows_without_javascript_by_refreshing_itself(client, lesson):
    page = _get(client, f"/teach/sessions/{lesson.pk}/projector/")
    assert re.search(r'<noscript><meta http-equiv="refresh" content="\d"></noscript>', page)
    assert "live-screen.js" in page
