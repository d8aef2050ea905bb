"""The bundled package's story: it shows, then tells; Jordan's story resolves after Riley's choice; the first
choice's clear no, joke and block each have a chat ending; a choice never says the same sentence twice; the
plan's lines are lines a student could send; the home page says exactly what is shared."""

import re

import pytest
from django.utils.html import escape

from lessons.models import ChoiceOption, Step
from tests.builders import start_self_guided

pytestmark = pytest.mark.django_db


def _sentences(text: str) -> set[str]:
    return {part.strip() for part in re.split(r"(?<=[.!?])\s+", " ".join(text.split())) if part.strip()}


def test_a_story_step_shows_its_chat_before_the_words_that_reflect_on_it(client, bundled_package):
    start_self_guided(client, bundled_package)
    stories = Step.objects.filter(package=bundled_package, kind="story").exclude(messages=None).distinct()
    assert stories.count() >= 7
    for step in stories:
        page = client.get(f"/lesson/{step.key}/").content.decode()
        first_words = escape(" ".join(step.body.split("\n\n")[0].split()))
        assert page.index('class="phone"') < page.index(first_words), step.key


def test_jordans_story_resolves_right_after_rileys_choice(bundled_package):
    main = list(Step.objects.filter(package=bundled_package, detour=False).order_by("position"))
    keys = [step.key for step in main]
    resolution = main[keys.index("riley-gets-it") + 1]
    assert resolution.key == "jordan-gets-help" and resolution.kind == "story"
    senders = {message.sender for message in resolution.messages.all()}
    assert {"Riley", "Jordan"} <= senders
    for words in ["trust", "not Jordan's fault", "safeguarding lead", "Report Remove", "consequences", "OK"]:
        assert words in resolution.body, words
    assert (
        "No one can be sure every copy is gone" in resolution.body
    )  # honest: no promise it is gone for ever
    assert "not Jordan's fault" in resolution.body and "DSL" not in resolution.body
    assert (
        "safeguarding lead" in resolution.teacher_notes
        and "Is the photo gone for ever?" in resolution.teacher_notes
    )


def test_a_clear_no_a_joke_and_blocking_each_have_a_chat_ending_that_comes_back(bundled_package):
    options = ChoiceOption.objects.filter(step__package=bundled_package, step__key="go-back").exclude(
        leads_to=""
    )
    endings = {
        option.label: Step.objects.get(package=bundled_package, key=option.leads_to) for option in options
    }
    assert list(endings) == ["Say no clearly", "Reply with a joke", "Block and report Alex"]
    for ending in endings.values():
        assert ending.detour and ending.next_key == "go-back" and ending.messages.count() >= 4


def test_no_choice_says_a_sentence_in_both_its_text_and_its_question(client, bundled_package):
    start_self_guided(client, bundled_package)
    for step in Step.objects.filter(package=bundled_package, kind="choice"):
        page = client.get(f"/lesson/{step.key}/").content.decode()
        legend = re.search(r"<legend[^>]*>(.*?)</legend>\s*<p[^>]*>(.*?)</p>", page, re.S)
        asked = _sentences(legend[1]) | _sentences(legend[2])
        assert step.question and legend[1] == escape(step.question)
        assert not asked & _sentences(step.body), step.key


def test_the_plans_lines_are_lines_a_student_could_send(bundled_package):
    lines = [line.text for strategy in bundled_package.strategies.all() for line in strategy.lines.all()]
    assert len(lines) >= 20
    for line in lines:
        assert "(" not in line and not re.match(r"(Take|Save|Send|Block|Report|Call) ", line), line
    descriptions = " ".join(strategy.description for strategy in bundled_package.strategies.all())
    assert "Take screenshots" in descriptions and "potato" in descriptions


def test_the_home_page_says_exactly_what_is_shared(client, bundled_package):
    page = " ".join(client.get("/").content.decode().split())
    assert (
        "Your plan is never shared. If you give feedback, your answers are added to your class&#x27;s results "
        "without your name."
        in page
        or "Your plan is never shared. If you give feedback, your answers are added to your class's results "
        "without your name."
        in page
    )
    assert "Nothing you do here is shared" not in page
