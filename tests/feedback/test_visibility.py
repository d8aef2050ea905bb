"""Which comments a user may hide and which focus-group notes they may delete (FeedbackAnswer and
FocusGroupNote QuerySets): their own class sessions', and for a pilot lead every one, self-guided included."""

import pytest

from feedback.models import FeedbackAnswer, FocusGroupNote
from tests.builders import make_class_session
from tests.feedback.builders import store

pytestmark = pytest.mark.django_db


def _comments(user) -> list[str]:
    return sorted(FeedbackAnswer.objects.comments_visible_to(user).values_list("text", flat=True))


def test_a_teacher_may_hide_comments_from_their_sessions_and_a_pilot_lead_any(
    alice, bob, lead, class_session
):
    store(package=class_session.package, class_session=class_session, **{"what-change": "in class"})
    store(package=class_session.package, **{"what-change": "self-guided"})
    store(
        package=class_session.package, class_session=class_session, **{"confidence-saying-no": 3}
    )  # no comment
    assert _comments(alice) == ["in class"]
    assert _comments(bob) == []
    assert _comments(lead) == ["in class", "self-guided"]


def test_a_teacher_may_delete_notes_on_their_sessions_and_a_pilot_lead_any(alice, bob, lead, class_session):
    bobs_session = make_class_session(teacher=bob, package=class_session.package)
    alices = FocusGroupNote.objects.create(class_session=class_session, group_size=3, notes="a")
    bobs = FocusGroupNote.objects.create(class_session=bobs_session, group_size=3, notes="b")
    assert list(FocusGroupNote.objects.visible_to(alice)) == [alices]
    assert list(FocusGroupNote.objects.visible_to(bob)) == [bobs]
    assert set(FocusGroupNote.objects.visible_to(lead)) == {alices, bobs}
