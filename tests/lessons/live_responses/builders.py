"""Hand-written builders for live lesson answers: a class of student browsers, and the steps they answer."""

import re

from django.test import Client

from lessons.models import ClassSession, Step
from tests.builders import join_class

PANEL = {"HTTP_X_LIVE_RESPONSES": "panel"}  # what live-responses.js sends, to get the panel back
VOTE_STEP = "go-back"  # choice steps of the bundled package
WORDS_STEP = "how-jordan-feels"  # think, share: words
TEXT_STEP = "spot-the-pressure"  # think, share: text


def students(class_session: ClassSession, count: int) -> list[Client]:
    """`count` student browsers that joined the class."""
    browsers = [Client() for _ in range(count)]
    for browser in browsers:
        assert join_class(browser, class_session).status_code == 302
    return browsers


def option_positions(class_session: ClassSession, key: str = VOTE_STEP) -> list[int]:
    step = Step.objects.get(package=class_session.package, key=key)
    return list(step.options.values_list("position", flat=True))


def vote(browser: Client, option: int, key: str = VOTE_STEP, **extra):
    return browser.post(
        f"/lesson/responses/{key}/vote/", {"option": option, "next": f"/lesson/{key}/"}, **extra
    )


def share_words(browser: Client, words: list[str], key: str = WORDS_STEP, **extra):
    return browser.post(f"/lesson/responses/{key}/words/", {"words": words}, **extra)


def share_text(browser: Client, text: str, key: str = TEXT_STEP, **extra):
    return browser.post(f"/lesson/responses/{key}/text/", {"answer": text}, **extra)


def ask(browser: Client, question: str, **extra):
    return browser.post("/lesson/responses/question/", {"question": question}, **extra)


def teacher_action(client: Client, class_session: ClassSession, key: str, action: str, **extra):
    return client.post(f"/teach/sessions/{class_session.pk}/responses/{key}/{action}/", **extra)


def page_text(response) -> str:
    """A response's words as a person reads them: no tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
