"""Comparing two versions: the figures of each side on a known data set, and suppression on each side alone."""

import pytest

from feedback import compare, stats
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


def test_it_lists_every_question_kind_but_free_text_in_each_stage(versions):
    comparison = compare.compare_versions(*(s.package for s in versions))
    assert [row.key for row in comparison.items if row.stage == Stage.CHECKIN] == [
        CONFIDENCE,
        "know-where-help",
    ]
    assert [(row.key, row.kind) for row in comparison.items if row.stage == Stage.FEEDBACK] == [
        (CONFIDENCE, "scale"),
        ("know-where-help", "choice"),
        ("kept-attention", "scale"),
        ("tone-right", "scale"),
        ("understand-risks", "scale"),
        ("would-use-plan", "scale"),
        ("would-recommend", "scale"),
        ("useful-steps", "useful_steps"),
        ("year-group", "year_group"),
    ]


def test_a_difference_of_means_has_welchs_interval_from_the_two_sides_counts(versions):
    """kept-attention: version 1 (0, 1, 1, 2, 1) against version 2 (0, 0, 1, 5, 4), as stats computes it."""
    first, second = versions
    answer_in_class(first, V1_CHECKINS, V1_FEEDBACK)
    answer_in_class(second, V2_CHECKINS, V2_FEEDBACK)
    attention = _item(
        compare.compare_versions(first.package, second.package), Stage.FEEDBACK, "kept-attention"
    )
    expected = stats.mean_difference_interval([0, 1, 1, 2, 1], [0, 0, 1, 5, 4])
    assert attention.difference == expected
    assert attention.difference.estimate == pytest.approx(0.7)
    assert attention.difference.verdict == "too few answers to tell"  # 5 and 10 answers


def test_choices_steps_and_year_groups_are_compared_as_shares_with_newcombes_interval(versions):
    """Version 1: 20 of 25 say Yes; version 2: 5 of 25 (Year 8 ×20, Year 9 ×5 in both). Useful steps are
    paired by title, whatever their number."""
    first, second = versions
    step = first.package.steps.filter(detour=False).order_by("position").first()
    answer_in_class(
        first,
        [],
        [{"know-where-help": "Yes", "year-group": "Year 8", "useful-steps": [step.key]}] * 20
        + [{"know-where-help": "No", "year-group": "Year 9"}] * 5,
    )
    answer_in_class(
        second,
        [],
        [{"know-where-help": "Yes", "year-group": "Year 8"}] * 5
        + [{"know-where-help": "No", "year-group": "Year 8"}] * 15
        + [{"know-where-help": "No", "year-group": "Year 9"}] * 5,
    )
    comparison = compare.compare_versions(first.package, second.package)
    help_row = _item(comparison, Stage.FEEDBACK, "know-where-help")
    yes = next(option for option in help_row.options if option.label == "Yes")
    assert [cell.shown for cell in yes.cells] == ["20", "5"]
    assert [cell.share for cell in yes.cells] == [0.8, 0.2]
    assert yes.difference == stats.proportion_difference_interval(20, 25, 5, 25)
    assert yes.difference.verdict == "lower"

    years = _item(comparison, Stage.FEEDBACK, "year-group")
    year_9 = next(option for option in years.options if option.label == "Year 9")
    assert [cell.shown for cell in year_9.cells] == ["5", "5"]
    assert year_9.difference.verdict == "too few answers to tell"

    steps = _item(comparison, Stage.FEEDBACK, "useful-steps")
    first_step = next(option for option in steps.options if option.label == step.short_name)
    assert [cell.shown for cell in first_step.cells] == ["20", "0"]
    assert [headline.text for headline in comparison.headlines] == [
        "If someone asked you for a nude, how confident would you feel saying no?",
        "Do you know where to get help?",
    ]
    assert comparison.headlines[1].values == ("“Yes”: 80%", "“Yes”: 20%")


def test_a_year_group_too_small_on_one_side_is_never_counted_or_compared(versions):
    first, second = versions
    answer_in_class(first, [], [{"year-group": "Year 8"}] * 9 + [{"year-group": "Year 9"}])
    answer_in_class(second, [], [{"year-group": "Year 8"}] * 5 + [{"year-group": "Year 9"}] * 5)
    years = _item(compare.compare_versions(first.package, second.package), Stage.FEEDBACK, "year-group")
    year_9 = next(option for option in years.options if option.label == "Year 9")
    assert [cell.shown for cell in year_9.cells] == ["fewer than 5", "5"]
    assert year_9.cells[0].share is None and year_9.difference is None


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
