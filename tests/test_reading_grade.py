"""Every sentence a student reads, on the rendered pages, is at most grade 7 on Flesch-Kincaid: the start page,
the ground rules, the check-in, every step of the bundled package with every choice's feedback, the end, the
feedback form (its questions and knowledge statements, the steps' short names), the help page, every
page of the plan builder and its summary, and the support panel and quick exit on each of them."""

import pytest

from tests.builders import start_self_guided
from tests.plans.builders import PARTS, post_part
from tests.reading import grade, page_sentences, too_hard

pytestmark = pytest.mark.django_db

HARDEST_GRADE = 7


def _plan_with_everything(client, package) -> None:
    """Every strategy and line chosen, each line kept as the package words it, every sign and service."""
    strategies = list(package.strategies.prefetch_related("lines"))
    lines = [line for strategy in strategies for line in strategy.lines.all()]
    answers = {
        "strategies": {"strategies": [strategy.key for strategy in strategies]},
        "lines": {f"lines_{s.key}": [line.pk for line in s.lines.all()] for s in strategies},
        "words": {f"line_{line.pk}": line.text for line in lines},
        "signs": {"signs": list(package.pressure_signs.values_list("pk", flat=True))},
        "people": {"person_1": "My aunt", "person_2": "My form tutor"},
        "help": {"services": list(package.support_services.values_list("key", flat=True))},
        "already": {},
        "why": {"why": "I decide who sees me."},
    }
    for key in PARTS:
        assert post_part(client, key, answers[key]).status_code == 302, key


def _student_pages(client, package) -> dict[str, str]:
    pages = {url: client.get(url) for url in ["/", "/join/", "/help/"]}
    start_self_guided(client, package)
    urls = ["/lesson/", "/feedback/check-in/"]
    urls += [*(f"/lesson/{step.key}/" for step in package.steps.all()), "/lesson/end/", "/feedback/"]
    pages.update({url: client.get(url) for url in urls})
    _plan_with_everything(client, package)
    urls = ["/plan/", *(f"/plan/{key}/" for key in PARTS), "/plan/summary/"]
    pages.update({url: client.get(url) for url in urls})
    # The rest of the route: the check-in, the feedback (its questions about the plan too), the end with a plan.
    pages.update({url: client.get(url) for url in ["/feedback/check-in/", "/feedback/"]})
    assert client.post("/feedback/", {}).status_code == 302
    pages.update({url: client.get(url) for url in ["/feedback/thanks/", "/lesson/end/"]})
    for url, response in pages.items():
        assert response.status_code == 200, url
    return {url: response.content.decode() for url, response in pages.items()}


def test_every_sentence_a_student_reads_is_at_most_grade_7(client, bundled_package):
    pages = _student_pages(client, bundled_package)
    assert len(pages) > 30
    hard = {
        (sentence, round(grade(sentence), 1))
        for html in pages.values()
        for sentence in page_sentences(html)
        if too_hard(sentence, HARDEST_GRADE)
    }
    assert sorted(hard) == [], "\n".join(f"{g}: {s}" for s, g in sorted(hard))
    # The pages were read: the story, every choice's feedback, the help page and the plan are all there.
    read = " ".join(" ".join(page_sentences(html)) for html in pages.values())
    for option in bundled_package.steps.get(key="go-back").options.all():
        assert " ".join(option.feedback.split()) in read
    for question in bundled_package.questions.all():
        assert question.text in read, question.key
    assert "Stop It Now" in read and "Lines I could say" in read
