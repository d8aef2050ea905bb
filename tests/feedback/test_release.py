"""Batch release: results change only by whole batches of FEEDBACK_MIN_GROUP responses, so comparing an export
from before one student answered with one from after never shows that student's answers."""

import csv
import io
import json
import re
from collections import Counter

import pytest
from pypdf import PdfReader

from feedback.bundles import export as bundle_export
from feedback.models import FeedbackResponse, Stage
from lessons.services import class_session_close, class_session_reopen
from tests.feedback.builders import store, store_many

pytestmark = pytest.mark.django_db


def _student(number: int) -> dict:
    return {"kept-attention": number % 5 + 1, "year-group": "Year 9", "what-change": f"STUDENT-{number}"}


def _answer(class_session, numbers, stage: str = Stage.FEEDBACK) -> None:
    store_many(
        [_student(n) for n in numbers],
        package=class_session.package,
        class_session=class_session,
        stage=stage,
    )


def _csv(client, url: str) -> Counter:
    text = client.get(url).content.decode("utf-8-sig")
    return Counter(tuple(row) for row in csv.reader(io.StringIO(text)))


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _pdf_text(response) -> str:
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join((page.extract_text() or "") for page in reader.pages).split())


def _csv_urls(class_session) -> list[str]:
    return [
        f"/feedback/results/sessions/{class_session.pk}/answers.csv",
        f"/feedback/results/packages/{class_session.package_id}/answers.csv",
        "/feedback/results/answers.csv",
    ]


def test_a_sixth_response_changes_no_csv_and_the_next_batch_changes_them_by_five(
    client, alice, class_session
):
    client.force_login(alice)
    _answer(class_session, range(5))
    at_five = {url: _csv(client, url) for url in _csv_urls(class_session)}

    _answer(class_session, [5])
    for url, rows in at_five.items():
        assert _csv(client, url) == rows, url  # the sixth student cannot be told apart by differencing

    _answer(class_session, range(6, 10))
    for url, rows in at_five.items():
        added = _csv(client, url) - rows
        comments = sorted(row[7] for row in added if row[5] == "what-change")
        assert comments == [f"STUDENT-{n}" for n in range(5, 10)], url
        assert sum(added.values()) == 5 * 3, url  # five students' three answers each, all at once


def test_a_class_of_seven_shows_five_and_says_two_are_waiting(client, alice, class_session):
    _answer(class_session, range(7))
    client.force_login(alice)
    url = f"/feedback/results/sessions/{class_session.pk}/"
    text = _text(client.get(url))
    assert "5 responses." in text
    assert "2 more answers will be added when 3 more arrive." in text
    assert "batches of at least 5" in text
    shown = set(re.findall(r"STUDENT-\d", text))
    assert len(shown) == 5  # which five is not for the page to say; the other two are nowhere
    pdf = _pdf_text(client.get(url + "report.pdf"))
    assert "5 responses." in pdf
    assert "2 more answers will be added when 3 more arrive." in pdf
    assert set(re.findall(r"STUDENT-\d", pdf)) == shown


def test_a_class_too_small_to_show_says_how_many_more_are_needed(client, alice, class_session):
    _answer(class_session, range(4))
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{class_session.pk}/"))
    assert "Not enough responses yet" in text
    assert "4 answers will be added when 1 more arrives." in text
    assert "STUDENT-" not in text


def test_combined_results_count_what_each_session_has_waiting(client, alice, class_session, bundled_package):
    from tests.builders import make_class_session

    _answer(class_session, range(7))
    other = make_class_session(teacher=alice, package=bundled_package, label="Year 10, period 1")
    _answer(other, range(10, 13))
    client.force_login(alice)
    text = _text(client.get("/feedback/results/"))
    assert "Year 9, period 3" in text
    assert "5 more answers are waiting to be added." in text
    assert "batches of at least 5 from each class session" in text
    assert re.search(r"Year 10, period 1 \(.*?\) alice none yet none yet 3", text)


def _bundle_figures(user) -> str:
    """A bundle's contents as JSON, with comments (which come in random order) sorted."""
    contents = bundle_export.bundle_for(user=user, include_comments=True)["contents"]
    for version in contents["package_versions"]:
        for block in version["comments"]:
            block["comments"].sort()
    return json.dumps(contents, sort_keys=True)


def test_two_bundles_exported_a_lesson_apart_do_not_differ_by_one_student(alice, class_session):
    _answer(class_session, range(5))
    before = _bundle_figures(alice)
    _answer(class_session, [5])
    assert _bundle_figures(alice) == before
    _answer(class_session, range(6, 10))
    after = json.loads(_bundle_figures(alice))["package_versions"][0]
    assert after["stages"]["feedback"]["responses"] == 10
    assert sorted(after["comments"][0]["comments"]) == sorted(f"STUDENT-{n}" for n in range(10))


def test_self_guided_answers_are_released_in_batches_too(client, lead, bundled_package):
    store_many([_student(n) for n in range(6)], package=bundled_package)
    client.force_login(lead)
    url = f"/feedback/results/packages/{bundled_package.pk}/"
    text = _text(client.get(url))
    assert "5 responses." in text
    assert "1 more answer will be added when 4 more arrive." in text
    rows = _csv(client, url + "answers.csv")
    assert len({row[7] for row in rows if row[5] == "what-change"}) == 5


def test_check_ins_and_feedback_are_released_apart(client, alice, class_session):
    _answer(class_session, range(5), stage=Stage.CHECKIN)
    _answer(class_session, range(4))
    released = FeedbackResponse.objects.released()
    assert released.filter(stage=Stage.CHECKIN).count() == 5
    assert released.filter(stage=Stage.FEEDBACK).count() == 0


def test_a_reopened_session_releases_its_waiting_answers_with_the_next_ones(client, alice, class_session):
    _answer(class_session, range(7))
    class_session_close(class_session=class_session)
    class_session.refresh_from_db()
    assert store(package=class_session.package, class_session=class_session, **_student(7)).value == "closed"
    class_session_reopen(class_session=class_session)
    class_session.refresh_from_db()
    _answer(class_session, [7, 8])
    assert FeedbackResponse.objects.released().count() == 5
    _answer(class_session, [9])
    assert FeedbackResponse.objects.released().count() == 10
    client.force_login(alice)
    text = _text(client.get(f"/feedback/results/sessions/{class_session.pk}/"))
    assert "10 responses." in text
    assert "will be added" not in text


def test_the_list_of_versions_names_none_with_only_answers_still_waiting(client, lead, mini_package):
    store_many([{"confidence": 4}] * 4, package=mini_package)
    client.force_login(lead)
    assert (
        f"/feedback/results/packages/{mini_package.pk}/"
        not in client.get("/feedback/results/").content.decode()
    )
