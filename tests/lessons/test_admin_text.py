"""Text saved in the admin keeps its paragraphs: a browser's \r\n is stored as \n."""

import pytest

from lessons.forms import BlockTextField, normalise_newlines
from lessons.models import Step
from lessons.package_export import package_to_yaml
from lessons.services import package_start_draft

pytestmark = pytest.mark.django_db


def test_the_text_field_turns_a_browsers_line_ends_into_new_lines():
    assert BlockTextField().clean("One.\r\n\r\nTwo.\rThree.") == "One.\n\nTwo.\nThree."
    assert normalise_newlines("a\r\nb") == "a\nb"


def test_a_step_saved_in_the_admin_keeps_two_paragraphs_and_exports_without_carriage_returns(
    client, lead, bundled_package
):
    client.force_login(lead)
    draft = package_start_draft(source=bundled_package)
    step = draft.steps.get(key="spot-the-pressure")  # a think step: no rows of its own in the form
    body = "First paragraph.\r\n\r\nSecond paragraph."
    fields = ["package", "position", "key", "kind", "title", "question", "picture_alt", "next_key"]
    form = {name: getattr(step, "package_id" if name == "package" else name) for name in fields}
    response = client.post(
        f"/admin/lessons/step/{step.pk}/change/",
        {**form, "body": body, "teacher_notes": "Ask them.\r\nThen wait."},
    )
    assert response.status_code == 302
    saved = Step.objects.get(pk=step.pk)
    assert saved.body == "First paragraph.\n\nSecond paragraph."
    assert saved.teacher_notes == "Ask them.\nThen wait."
    assert saved.paragraphs == ["First paragraph.", "Second paragraph."]
    assert "\r" not in package_to_yaml(draft)
