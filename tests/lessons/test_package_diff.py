"""What changed between two versions: steps added, removed, moved and reworded, word by word."""

import pytest

from lessons.package_diff import Words, package_changes, word_changes
from lessons.services import package_publish, package_start_draft

pytestmark = pytest.mark.django_db


def test_word_changes_mark_words_taken_out_and_put_in():
    assert word_changes("Alex asks Jordan for a photo.", "Alex asks Jordan for a nude photo tonight.") == [
        Words("same", "Alex asks Jordan for a"),
        Words("removed", "photo."),
        Words("added", "nude photo tonight."),
    ]


def test_the_same_content_has_no_changes(bundled_package):
    version_2 = package_publish(package=package_start_draft(source=bundled_package))
    assert not package_changes(bundled_package, version_2).any


def test_it_finds_steps_added_removed_moved_and_reworded(bundled_package):
    draft = package_start_draft(source=bundled_package)
    steps = list(draft.steps.order_by("position"))
    reworded, removed, moved = steps[1], steps[2], steps[5]
    reworded.body = reworded.body.replace("Jordan", "Jordan Smith", 1)
    reworded.save()
    removed.delete()
    # Move step 6 to the front: every position shifts up by one to make room.
    for step in reversed(steps):
        if step.pk != removed.pk:
            step.position += 100
            step.save(update_fields=["position"])
    moved.position = 1
    moved.save(update_fields=["position"])
    draft.steps.create(position=1000, key="new-step", kind="facts", title="A new step")

    changes = package_changes(bundled_package, draft)
    by_key = {step.key: step for step in changes.steps}
    assert by_key["new-step"].status == "added"
    assert by_key[removed.key].status == "removed" and by_key[removed.key].numbers == (3, None)
    assert by_key[moved.key].moved and by_key[moved.key].numbers == (6, 1)
    assert not by_key[reworded.key].moved
    [text] = by_key[reworded.key].parts
    assert text.name == "Text"
    assert Words("added", "Jordan Smith") in text.words or Words("added", "Smith") in text.words
    assert set(by_key) == {"new-step", removed.key, moved.key, reworded.key}
