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


# Differences with 95% intervals, against published values and values worked by hand.


@pytest.mark.parametrize(
    ("df", "quantile"),
    # The 0.975 quantiles printed in every t table (e.g. Lindley & Scott, New Cambridge Statistical Tables,
    # table 10), to the 3 places printed; df = 1000 is close to the normal 1.960.
    [(1, 12.706), (2, 4.303), (5, 2.571), (10, 2.228), (18, 2.101), (30, 2.042), (1000, 1.962)],
)
def test_the_t_quantile_matches_printed_tables(df, quantile):
    assert stats.t_quantile(0.975, df) == pytest.approx(quantile, abs=0.0005)
    assert stats.t_quantile(0.025, df) == pytest.approx(-quantile, abs=0.0005)


def test_the_t_quantile_takes_degrees_of_freedom_that_are_not_whole():
    """Welch's degrees of freedom are rarely whole: the quantile lies between its whole neighbours."""
    assert stats.t_quantile(0.975, 5) > stats.t_quantile(0.975, 5.5) > stats.t_quantile(0.975, 6)
    assert stats.t_cdf(stats.t_quantile(0.975, 5.5), 5.5) == pytest.approx(0.975, abs=1e-9)


def test_welchs_interval_for_a_difference_of_means_worked_by_hand():
    """Ten answers 2, 2, 2, 2, 2, 4, 4, 4, 4, 4 (mean 3) against 3, 3, 3, 3, 3, 5, 5, 5, 5, 5 (mean 4).

    Each has squared deviations 10 × 1 = 10, so variance 10 / 9; the standard error of the difference is
    √(2 × (10/9) / 10) = √(2/9) = 0.47140. With equal sizes and variances Welch's degrees of freedom are
    2 × 10 − 2 = 18, whose 0.975 quantile is 2.1009 (t table: 2.101). Margin 2.1009 × 0.47140 = 0.99038:
    the interval is 1 − 0.99038 = 0.00962 to 1.99038.
    """
    difference = stats.mean_difference_interval([0, 5, 0, 5, 0], [0, 0, 5, 0, 5])
    assert difference.estimate == pytest.approx(1.0)
    assert difference.low == pytest.approx(0.00962, abs=0.00002)
    assert difference.high == pytest.approx(1.99038, abs=0.00002)
    assert (difference.first_count, difference.second_count) == (10, 10)


def test_welchs_degrees_of_freedom_for_unequal_groups_worked_by_hand():
    """1, 2, 3, 4, 5 (n 5, variance 2.5) against the ten answers above with variance 10/9:
    a = 2.5 / 5 = 0.5, b = (10/9) / 10 = 0.11111; df = (a + b)² / (a² / 4 + b² / 9)
    = 0.373457 / (0.0625 + 0.0013717) = 5.8470."""
    assert stats.welch_degrees_of_freedom(2.5, 5, 10 / 9, 10) == pytest.approx(5.8470, abs=0.0001)
    difference = stats.mean_difference_interval([1, 1, 1, 1, 1], [0, 0, 5, 0, 5])
    margin = stats.t_quantile(0.975, 5.8470) * (0.5 + 1 / 9) ** 0.5
    assert difference.estimate == pytest.approx(1.0)
    assert difference.low == pytest.approx(1 - margin, abs=0.0001)


def test_a_mean_difference_needs_two_answers_on_each_side():
    assert stats.mean_difference_interval([0, 0, 1, 0, 0], [0, 0, 5, 0, 5]) is None


@pytest.mark.parametrize(
    ("first", "second", "estimate", "low", "high"),
    # Newcombe (1998), "Interval estimation for the difference between independent proportions: comparison
    # of eleven methods", Statistics in Medicine 17: 873–890, table II, method 10 (hybrid score, no
    # continuity correction). Each row is (successes, total) for the second group then the first, as printed.
    [
        ((48, 80), (56, 70), 0.2000, 0.0524, 0.3339),
        ((3, 10), (9, 10), 0.6000, 0.1705, 0.8090),
        ((2, 7), (6, 7), 0.5714, 0.0582, 0.8062),
        ((0, 29), (5, 56), 0.0893, -0.0381, 0.1926),
        ((0, 20), (0, 10), 0.0000, -0.1611, 0.2775),
        ((0, 10), (0, 10), 0.0000, -0.2775, 0.2775),
        ((0, 20), (10, 10), 1.0000, 0.6791, 1.0000),
        ((0, 10), (10, 10), 1.0000, 0.6075, 1.0000),
    ],
)
def test_newcombes_interval_matches_his_published_examples(first, second, estimate, low, high):
    difference = stats.proportion_difference_interval(*first, *second)
    assert (difference.estimate, difference.low, difference.high) == pytest.approx(
        (estimate, low, high), abs=0.00005
    )


def test_wilsons_interval_for_one_proportion():
    """Newcombe (1998) table I's first example for one proportion (Newcombe, Statistics in Medicine 17:
    857–872, method 3): 81/263 gives 0.2553 to 0.3662."""
    assert stats.wilson_interval(81, 263) == pytest.approx((0.2553, 0.3662), abs=0.00005)


def test_a_difference_tells_only_with_twenty_answers_each_and_an_interval_clear_of_nothing():
    clear = stats.Difference(0.5, 0.1, 0.9, 20, 20)
    assert clear.tells and clear.verdict == "higher"
    assert stats.Difference(-0.5, -0.9, -0.1, 25, 30).verdict == "lower"
    assert stats.Difference(0.5, 0.1, 0.9, 19, 40).verdict == "too few answers to tell"
    assert stats.Difference(0.5, -0.1, 1.1, 40, 40).verdict == "too few answers to tell"
    assert stats.Difference(0.5, 0.0, 1.0, 40, 40).verdict == "too few answers to tell"
