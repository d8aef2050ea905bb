"""Comparing two versions: the figures of each side on a known data set, and suppression on each side alone."""

import pytest

from feedback import compare
from feedback.models import Stage
from tests.builders import make_class_session
from tests.feedback.builders import answer_in_class, publish_next_version, store_many
from tests.feedback.data import CONFIDENCE, V1_CHECKINS, V1_FEEDBACK, V2_CHECKINS, V2_FEEDBACK

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions(alice, bob, bundled_package):
    """Version 1 taught by alice, version 2 (published from it) by bob; no answers yet."""
    version_2 = publish_next_version(bundled_package)
    first = make_class_session(teacher=alice, package=bundled_package)
    second = make_class_session(teacher=bob, package=version_2, label="Year 8, period 2")
    return first, second


def _item(comparison, stage, key):
    return next(row for row in comparison.items if row.stage == stage and row.key == key)


def test_it_puts_each_versions_figures_side_by_side(versions):
    first, second = versions
    answer_in_class(first, V1_CHECKINS, V1_FEEDBACK)
    answer_in_class(second, V2_CHECKINS, V2_FEEDBACK)

    comparison = compare.compare_versions(first.package, second.package)

    assert [side.package.version for side in comparison.sides] == [1, 2]
    assert [[cell.responses for cell in row.cells] for row in comparison.counts] == [[5, 10], [5, 10]]
    attention = _item(comparison, Stage.FEEDBACK, "kept-attention")
    v1, v2 = (side.item.scale for side in attention.sides)
    assert v1.distribution == (0, 1, 1, 2, 1)
    assert v1.mean == pytest.approx(3.6)
    assert v1.median == 4.0
    assert v2.distribution == (0, 0, 1, 5, 4)
    assert v2.mean == pytest.approx(4.3)
    assert v2.median == 4.0
    assert attention.mean_difference == pytest.approx(4.3 - 3.6)
    checkin = _item(comparison, Stage.CHECKIN, CONFIDENCE)
    assert [side.item.scale.distribution for side in checkin.sides] == [(0, 2, 2, 1, 0), (0, 0, 5, 5, 0)]

    [change] = comparison.changes
    assert change.key == CONFIDENCE
    v1_change, v2_change = (cell.change for cell in change.cells)
    assert (v1_change.before.mean, v1_change.after.mean) == (pytest.approx(2.8), pytest.approx(4.2))
    assert v1_change.mean_change == pytest.approx(1.4)
    assert v1_change.median_change == 1.0
    assert v2_change.mean_change == pytest.approx(4.7 - 3.5)
    assert v2_change.median_change == 1.5


def test_it_lists_only_the_1_to_5_questions_of_each_stage(versions):
    comparison = compare.compare_versions(*(s.package for s in versions))
    assert [row.key for row in comparison.items if row.stage == Stage.CHECKIN] == [CONFIDENCE]
    assert [row.key for row in comparison.items if row.stage == Stage.FEEDBACK] == [
        CONFIDENCE,
        "kept-attention",
        "tone-right",
        "understand-risks",
        "would-use-plan",
        "would-recommend",
    ]


def test_it_suppresses_each_side_on_its_own_at_four_and_shows_it_at_five(versions):
    first, second = versions
    answer_in_class(first, V1_CHECKINS, V1_FEEDBACK)
    answer_in_class(second, V2_CHECKINS[:4], V2_FEEDBACK[:4])

    comparison = compare.compare_versions(first.package, second.package)
    assert [[cell.responses for cell in row.cells] for row in comparison.counts] == [[5, None], [5, None]]
    attention = _item(comparison, Stage.FEEDBACK, "kept-attention")
    assert attention.sides[0].shown and attention.sides[0].item.scale.mean == pytest.approx(3.6)
    assert not attention.sides[1].shown and attention.sides[1].item is None
    assert attention.mean_difference is None
    [change] = comparison.changes
    assert change.cells[0].change.mean_change == pytest.approx(1.4)
    assert change.cells[1].change is None

    answer_in_class(second, V2_CHECKINS[4:5], V2_FEEDBACK[4:5])
    comparison = compare.compare_versions(first.package, second.package)
    assert [[cell.responses for cell in row.cells] for row in comparison.counts] == [[5, 5], [5, 5]]
    assert _item(comparison, Stage.FEEDBACK, "kept-attention").sides[1].item.scale.count == 5


def test_a_small_session_is_left_out_of_its_side_without_hiding_the_rest(versions, alice):
    first, second = versions
    answer_in_class(first, V1_CHECKINS, V1_FEEDBACK)
    small = make_class_session(teacher=alice, package=first.package, label="Small class")
    answer_in_class(small, [], [{"kept-attention": 1}] * 3)
    comparison = compare.compare_versions(first.package, second.package)
    attention = _item(comparison, Stage.FEEDBACK, "kept-attention")
    assert attention.sides[0].item.scale.distribution == (0, 1, 1, 2, 1)  # the three 1s are not in it
    assert not attention.sides[1].shown


def test_self_guided_lessons_are_compared_apart_from_classes(versions):
    first, second = versions
    answer_in_class(first, V1_CHECKINS, V1_FEEDBACK)
    store_many(V2_FEEDBACK, package=second.package)  # self-guided: no class session
    classes = compare.compare_versions(first.package, second.package)
    self_guided = compare.compare_versions(first.package, second.package, self_guided=True)
    assert [cell.responses for cell in classes.counts[1].cells] == [5, None]
    assert [cell.responses for cell in self_guided.counts[1].cells] == [None, 10]


@pytest.mark.parametrize(
    ("published", "around", "pair"),
    [
        ([1], None, None),
        ([1, 2], None, (1, 2)),
        ([3, 1, 2], None, (2, 3)),
        ([1, 2, 3], 1, (1, 2)),
        ([1, 2, 3], 2, (1, 2)),
        ([1, 2, 3], 3, (2, 3)),
        ([1, 2, 3], 7, (2, 3)),
    ],
)
def test_it_chooses_a_version_and_the_one_before_it_by_default(published, around, pair):
    assert compare.default_pair(published, around) == pair
