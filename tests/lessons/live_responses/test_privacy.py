"""Nothing a class sends identifies a device, and none of it reaches feedback results, exports or the admin."""

import json
import re

import pytest
from django.db import connection
from django.test import Client

from lessons.live_responses import devices
from lessons.live_responses.models import AnonymousQuestion, DeviceAllowance, SharedText, Vote, WordPick
from tests.lessons.live_responses.builders import (
    TEXT_STEP,
    ask,
    option_positions,
    share_text,
    share_words,
    students,
    teacher_action,
    vote,
)

pytestmark = pytest.mark.django_db
MARKER = "LIVE-ONLY-MARKER-7c1f"


@pytest.fixture
def answered(live_class):
    """Five students vote, share words and texts and ask; the teacher approves and shows them."""
    browsers = students(live_class, 5)
    for browser in browsers:
        vote(browser, option_positions(live_class)[0])
        share_words(browser, ["alone"])
        share_text(browser, f"{MARKER} text")
        ask(browser, f"{MARKER} question")
    return browsers


def _every_table_dump() -> str:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        rows = []
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (the database's own table names)
            rows += cursor.fetchall()
        return "\n".join(repr(row) for row in rows)


def test_the_device_token_itself_is_never_stored_only_its_hashes(live_class, answered):
    dump = _every_table_dump()
    for browser in answered:
        token = browser.session[devices.SESSION_KEY]["token"]
        assert token not in dump  # the sessions' rows included: they are encrypted (config/sessions.py)


def test_one_devices_hashes_differ_by_step_and_purpose_so_its_answers_cannot_be_joined(live_class, answered):
    vote_hashes = set(Vote.objects.values_list("device", flat=True))
    word_hashes = set(WordPick.objects.values_list("device", flat=True))
    allowance_hashes = set(DeviceAllowance.objects.values_list("device", flat=True))
    assert len(vote_hashes) == 5 and len(word_hashes) == 5 and len(allowance_hashes) == 10
    assert not vote_hashes & word_hashes and not (vote_hashes | word_hashes) & allowance_hashes


def test_texts_and_questions_hold_no_device_and_no_time(live_class, answered):
    for model in (SharedText, AnonymousQuestion):
        fields = {field.name for field in model._meta.get_fields()}
        assert not fields & {"device", "created_at", "created", "time", "sent_at"}, model
    assert AnonymousQuestion.objects.count() == 5


def test_none_of_it_is_in_the_feedback_results_csv_report_or_bundle(
    live_class, answered, alice, lead, settings, tmp_path
):
    settings.BUNDLE_SIGNING_KEY_FILE = tmp_path / "bundle_signing_key"
    teacher = Client()
    teacher.force_login(alice)
    SharedText.objects.update(status=SharedText.Status.APPROVED)
    teacher_action(teacher, live_class, TEXT_STEP, "close")
    outputs = {
        url: teacher.get(url)
        for url in [
            "/feedback/results/",
            "/feedback/results/answers.csv",
            f"/feedback/results/sessions/{live_class.pk}/",
            f"/feedback/results/sessions/{live_class.pk}/answers.csv",
            f"/feedback/results/packages/{live_class.package_id}/",
            f"/feedback/results/packages/{live_class.package_id}/answers.csv",
        ]
    }
    outputs["bundle"] = teacher.post("/feedback/bundles/export/", {"school": "Northfield", "comments": "on"})
    for url, response in outputs.items():
        assert response.status_code == 200, url
        assert MARKER not in response.content.decode(), url
    assert json.loads(outputs["bundle"].content)  # a real bundle came back


def test_the_admin_never_shows_them_not_even_on_the_page_to_delete_the_class_session(
    live_class, answered, lead
):
    admin = Client()
    admin.force_login(lead)
    for url in [
        "/admin/",
        "/admin/lessons/",
        f"/admin/lessons/classsession/{live_class.pk}/change/",
        f"/admin/lessons/classsession/{live_class.pk}/delete/",
    ]:
        response = admin.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert MARKER not in text, url
        assert not re.search(
            r"/admin/lessons/(poll|vote|wordpick|sharedtext|anonymousquestion|deviceallowance)/", text
        )
