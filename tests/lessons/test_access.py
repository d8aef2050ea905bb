"""Who sees which class sessions and which package versions' results (ClassSession and Package QuerySets)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from lessons.access import class_session_for_teacher
from lessons.models import ClassSession, Package
from tests.builders import make_class_session
from tests.feedback.builders import publish_next_version, store

pytestmark = pytest.mark.django_db


def test_a_teacher_sees_their_own_sessions_and_a_pilot_lead_every_one(alice, bob, lead, mini_package):
    alices = make_class_session(teacher=alice, package=mini_package)
    bobs = make_class_session(teacher=bob, package=mini_package)
    assert list(ClassSession.objects.visible_to(alice)) == [alices]
    assert list(ClassSession.objects.visible_to(bob)) == [bobs]
    assert set(ClassSession.objects.visible_to(lead)) == {alices, bobs}
    assert not ClassSession.objects.visible_to(AnonymousUser()).exists()


def test_it_fetches_a_teachers_own_session_and_gives_anyone_else_a_404(alice, bob, lead, mini_package):
    alices = make_class_session(teacher=alice, package=mini_package)
    assert class_session_for_teacher(alice, alices.pk) == alices
    assert class_session_for_teacher(lead, alices.pk) == alices
    for outsider, pk in [(bob, alices.pk), (AnonymousUser(), alices.pk), (alice, alices.pk + 1)]:
        with pytest.raises(Http404):
            class_session_for_teacher(outsider, pk)


def test_a_teacher_opens_results_of_the_versions_they_taught_and_a_pilot_lead_any(
    alice, bob, lead, mini_package
):
    unused = publish_next_version(mini_package)
    make_class_session(teacher=alice, package=mini_package)
    assert list(Package.objects.with_results_visible_to(alice)) == [mini_package]
    assert not Package.objects.with_results_visible_to(bob).exists()
    assert set(Package.objects.with_results_visible_to(lead)) == {mini_package, unused}


def test_versions_with_results_are_those_taught_or_with_released_self_guided_feedback(
    alice, lead, mini_package
):
    self_guided_only = publish_next_version(mini_package)
    unused = publish_next_version(self_guided_only)
    make_class_session(teacher=alice, package=mini_package)
    make_class_session(teacher=alice, package=mini_package)  # two sessions, still one row
    for _ in range(5):  # a batch, so the answers are released
        store(package=self_guided_only, confidence=4)
    listed = list(Package.objects.with_results_visible_to(lead).with_results())
    assert sorted(listed, key=lambda p: p.version) == [mini_package, self_guided_only]
    assert unused not in listed
    assert list(Package.objects.with_results_visible_to(alice).with_results()) == [mini_package]
