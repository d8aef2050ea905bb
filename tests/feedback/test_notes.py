"""Focus-group notes: recorded by the session's teacher, shown with its results, never anyone else's."""

import re

import pytest

from feedback.models import FocusGroupNote

pytestmark = pytest.mark.django_db

NOTE = {
    "held_on": "2026-03-12",
    "group_size": "6",
    "themes": "tone, Humour",
    "notes": "They liked the potato reply.",
}


def _text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_the_form_reminds_the_teacher_not_to_write_names(client, alice, class_session):
    client.force_login(alice)
    page = _text(client.get(f"/feedback/results/sessions/{class_session.pk}/notes/new/"))
    assert "Do not write students' names" in page


def test_a_teacher_records_notes_that_show_with_the_results(client, alice, class_session):
    client.force_login(alice)
    response = client.post(f"/feedback/results/sessions/{class_session.pk}/notes/new/", NOTE)
    assert response.url == f"/feedback/results/sessions/{class_session.pk}/"
    note = FocusGroupNote.objects.get()
    assert (note.class_session, note.group_size, note.theme_list) == (class_session, 6, ["tone", "Humour"])
    for url in [
        response.url,
        "/feedback/results/",
        f"/feedback/results/packages/{class_session.package_id}/",
    ]:
        text = _text(client.get(url))
        assert "Focus group on 12 March 2026" in text, url
        assert "6 students took part. Themes: tone, Humour." in text
        assert "They liked the potato reply." in text
        assert re.search(r"Themes: humour \(1\) ?, tone \(1\)", text)  # counted without regard to case


def test_notes_need_a_group_of_at_least_one(client, alice, class_session):
    client.force_login(alice)
    response = client.post(
        f"/feedback/results/sessions/{class_session.pk}/notes/new/", {**NOTE, "group_size": "0"}
    )
    assert response.status_code == 200
    assert FocusGroupNote.objects.count() == 0


def test_another_teacher_can_neither_add_nor_delete_notes(client, alice, bob, class_session):
    note = FocusGroupNote.objects.create(class_session=class_session, group_size=5, notes="x")
    client.force_login(bob)
    assert client.post(f"/feedback/results/sessions/{class_session.pk}/notes/new/", NOTE).status_code == 404
    assert client.post(f"/feedback/notes/{note.pk}/delete/").status_code == 404
    assert FocusGroupNote.objects.count() == 1
    assert "x" not in _text(client.get("/feedback/results/")).split("Focus-group notes")[-1].split()


def test_the_teacher_deletes_their_notes(client, alice, class_session):
    note = FocusGroupNote.objects.create(class_session=class_session, group_size=5, notes="Wrong session")
    client.force_login(alice)
    response = client.post(f"/feedback/notes/{note.pk}/delete/")
    assert response.url == f"/feedback/results/sessions/{class_session.pk}/"
    assert not FocusGroupNote.objects.exists()
