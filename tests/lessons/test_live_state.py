"""The live lesson's shared state: one UPDATE moves the slide and raises the version, even from stale copies."""

from lessons import live
from lessons.models import ClassSession
from tests.builders import make_class_session


def test_it_moves_the_slide_and_raises_the_version_in_the_database(alice, mini_package):
    class_session = make_class_session(teacher=alice, package=mini_package)
    assert (class_session.live_slide, class_session.live_version) == (live.RULES, 1)
    live.bump(class_session, live_slide=live.CHECKIN)
    stored = ClassSession.objects.get(pk=class_session.pk)
    assert (stored.live_slide, stored.live_version) == (live.CHECKIN, 2)
    assert (class_session.live_slide, class_session.live_version) == (live.CHECKIN, 2)


def test_two_changes_from_stale_copies_both_raise_the_version(alice, mini_package):
    class_session = make_class_session(teacher=alice, package=mini_package)
    console, other_server = (
        ClassSession.objects.get(pk=class_session.pk),
        ClassSession.objects.get(pk=class_session.pk),
    )
    live.bump(console, paused=True)
    live.bump(other_server, pace=live.Pace.TEACHER)
    stored = ClassSession.objects.get(pk=class_session.pk)
    assert stored.live_version == 3 and stored.paused and stored.pace == live.Pace.TEACHER
