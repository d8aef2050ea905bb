"""feedback.stats: summaries, confidence change and small-number suppression on known numbers."""

import pytest

from feedback import stats


def test_it_summarises_a_scale_with_distribution_mean_and_median():
    summary = stats.summarise_scale([1, 2, 2, 4, 5, 5, 5])
    assert summary.count == 7
    assert summary.distribution == (1, 2, 0, 1, 3)
    assert summary.mean == pytest.approx(24 / 7)
    assert summary.median == 4.0
    assert summary.rows == [(1, 1), (2, 2), (3, 0), (4, 1), (5, 3)]


def test_the_median_of_an_even_count_is_the_middle_two_averaged():
    assert stats.summarise_scale([1, 2, 4, 5]).median == 3.0
    assert stats.summarise_scale([2, 3, 3, 4, 4, 5]).median == 3.5


def test_an_empty_scale_has_no_mean_or_median():
    summary = stats.summarise_scale([])
    assert (summary.count, summary.mean, summary.median) == (0, None, None)
    assert summary.distribution == (0, 0, 0, 0, 0)


def test_it_ignores_values_off_the_scale():
    assert stats.summarise_scale([0, 3, 6]).count == 1


def test_it_counts_options_in_order_with_unknown_answers_last():
    counts = stats.count_options(["No", "Yes", "Yes", "Maybe"], ["Yes", "Not sure", "No"])
    assert [(c.label, c.count) for c in counts] == [("Yes", 2), ("Not sure", 0), ("No", 1), ("Maybe", 1)]


def test_it_counts_options_most_chosen_first_keeping_ties_in_order():
    counts = stats.count_options(["b", "c", "c", "a"], ["a", "b", "c"], most_first=True)
    assert [(c.label, c.count) for c in counts] == [("c", 2), ("a", 1), ("b", 1)]


def test_confidence_change_compares_the_two_groups():
    change = stats.confidence_change([2, 2, 3, 3, 5], [3, 4, 4, 5, 5, 5])
    assert change.before.mean == 3.0
    assert change.after.mean == pytest.approx(26 / 6)
    assert change.mean_change == pytest.approx(26 / 6 - 3)
    assert change.before.median == 3.0
    assert change.after.median == 4.5
    assert change.median_change == 1.5


def test_confidence_change_needs_answers_at_both_points():
    change = stats.confidence_change([], [4, 5])
    assert change.mean_change is None
    assert change.median_change is None


def test_a_group_needs_the_minimum_to_be_shown():
    assert not stats.enough(4, 5)
    assert stats.enough(5, 5)


def test_a_breakdown_is_shown_only_when_every_non_empty_part_reaches_the_minimum():
    assert stats.breakdown_allowed([5, 7, 0], 5)
    assert not stats.breakdown_allowed([5, 7, 4], 5)
    assert not stats.breakdown_allowed([12, 1], 5)
    assert not stats.breakdown_allowed([0, 0], 5)


def test_combined_figures_include_only_groups_big_enough_on_their_own():
    included, left_out = stats.big_enough_groups({"a": 6, "b": 4, "c": 5, "d": 0}, 5)
    assert included == ["a", "c"]
    assert left_out == ["b"]
