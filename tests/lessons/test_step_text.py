"""Text as every screen shows it: a line folded in a package file is only a space, a blank line starts a new
paragraph, and no step of the bundled package has a <br> inside a sentence, on a student's page, the teacher's
console or the projector."""

import re

import pytest
from django.utils.html import escape

from lessons import live
from lessons.models import Step
from tests.builders import make_class_session, start_self_guided

pytestmark = pytest.mark.django_db

# A line break in the middle of a sentence: after a letter, digit or comma rather than after a full stop.
BREAK_IN_SENTENCE = re.compile(r"[\w,;:'’\"]\s*<br\s*/?>", re.IGNORECASE)


def _get(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def _paragraphs(text: str) -> list[str]:
    """A package text's paragraphs, as a page must show them: each on one line, escaped."""
    return [escape(" ".join(part.split())) for part in re.split(r"\n\s*\n", text) if part.strip()]


def _no_breaks(page: str, where: str) -> None:
    found = [page[max(0, m.start() - 60) : m.end()] for m in BREAK_IN_SENTENCE.finditer(page)]
    assert not found, f"{where}: {found}"


def test_a_students_step_pages_show_paragraphs_without_breaks(client, bundled_package):
    start_self_guided(client, bundled_package)
    steps = list(
        Step.objects.filter(package=bundled_package).prefetch_related("options", "facts", "messages")
    )
    folded = 0
    for step in steps:
        pages = [_get(client, f"/lesson/{step.key}/")]
        pages += [_get(client, f"/lesson/{step.key}/", option=o.position) for o in step.options.all()]
        for page in pages:
            _no_breaks(page, step.key)
            for paragraph in _paragraphs(step.body):
                assert f"<p>{paragraph}</p>" in page, (step.key, paragraph)
            for text in [o.feedback for o in step.options.all()] + [f.fact for f in step.facts.all()]:
                assert escape(" ".join(text.split())) in page, (step.key, text)
        folded += sum("\n" in paragraph.strip() for paragraph in re.split(r"\n\s*\n", step.body))
    assert folded > 10  # the bundled package does fold its lines, so the test shows they become spaces


def test_the_console_and_projector_show_every_step_without_breaks(client, alice, bundled_package):
    client.force_login(alice)
    lesson = make_class_session(teacher=alice, package=bundled_package)
    for step in Step.objects.filter(package=bundled_package):
        live.bump(lesson, live_slide=step.key)
        console = _get(client, f"/teach/sessions/{lesson.pk}/console/")
        projector = _get(client, f"/teach/sessions/{lesson.pk}/projector/")
        for page in (console, projector):
            _no_breaks(page, step.key)
            for paragraph in _paragraphs(step.body):
                assert f"<p>{paragraph}</p>" in page, (step.key, paragraph)


def test_teacher_notes_show_lists_as_lists_on_the_console(client, alice, bundled_package):
    client.force_login(alice)
    lesson = make_class_session(teacher=alice, package=bundled_package)
    live.bump(lesson, live_slide="jordan-gets-help")
    page = _get(client, f"/teach/sessions/{lesson.pk}/console/")
    assert "<li>What did Riley do that helped Jordan?</li>" in page
    assert "<li>Is the photo gone for ever? (Nobody can promise that." in page  # a folded item is one item
    assert "<p>Say where students in this school can go: name your designated safeguarding lead" in page
