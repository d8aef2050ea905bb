"""Aggregation and small-number suppression for feedback results: pure functions on plain values."""

import math
import statistics
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

SCALE_POINTS = (1, 2, 3, 4, 5)
K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class ScaleSummary:
    """The answers to one 1–5 item: how many chose each point, their mean and their median."""

    count: int
    distribution: tuple[int, ...]
    mean: float | None
    median: float | None

    @property
    def rows(self) -> list[tuple[int, int]]:
        """(point, how many chose it), 1 to 5, for tables and charts."""
        return list(zip(SCALE_POINTS, self.distribution, strict=True))


@dataclass(frozen=True)
class OptionCount:
    """How many gave one answer; `count` is None when withheld (a group too small to show: see
    withhold_small_groups), and then only "fewer than `fewer_than`" is ever shown."""

    label: str
    count: int | None
    fewer_than: int = 0

    @property
    def shown(self) -> str:
        return str(self.count) if self.count is not None else f"fewer than {self.fewer_than}"


@dataclass(frozen=True)
class ConfidenceChange:
    """An item asked at check-in and again in feedback: how its answers moved between the two."""

    before: ScaleSummary
    after: ScaleSummary
    mean_change: float | None
    median_change: float | None


def summarise_scale(values: Iterable[int]) -> ScaleSummary:
    answers = [value for value in values if value in SCALE_POINTS]
    tally = Counter(answers)
    return ScaleSummary(
        count=len(answers),
        distribution=tuple(tally[point] for point in SCALE_POINTS),
        mean=statistics.fmean(answers) if answers else None,
        median=float(statistics.median(answers)) if answers else None,
    )


def count_options(
    values: Iterable[str], options: Sequence[str], *, most_first: bool = False
) -> list[OptionCount]:
    """How many chose each option, in the options' order (or most chosen first, ties in that order).

    Answers to an option that is no longer offered are counted after the rest rather than dropped.
    """
    tally = Counter(values)
    labels = list(options) + sorted(label for label in tally if label not in options)
    counts = [OptionCount(label, tally[label]) for label in labels]
    if most_first:
        counts.sort(key=lambda option: -option.count)  # sort is stable, so ties keep the options' order
    return counts


def confidence_change(before: Iterable[int], after: Iterable[int]) -> ConfidenceChange:
    """Compares everyone who answered at check-in with everyone who answered in feedback.

    Answers are not paired student by student: pairing would make the change of a handful of students
    show through even when their groups are large enough.
    """
    return _change(summarise_scale(before), summarise_scale(after))


def _change(before: ScaleSummary, after: ScaleSummary) -> ConfidenceChange:
    mean_change = median_change = None
    if before.count and after.count:
        mean_change = after.mean - before.mean
        median_change = after.median - before.median
    return ConfidenceChange(before=before, after=after, mean_change=mean_change, median_change=median_change)


def enough(count: int, minimum: int) -> bool:
    """Whether a group is big enough for any figure or comment from it to be shown."""
    return count >= minimum


def breakdown_allowed(part_counts: Iterable[int], minimum: int) -> bool:
    """A breakdown is shown only if every part that has anyone in it reaches the minimum.

    Otherwise a hidden part could be worked out by subtracting the shown parts from the total.
    """
    parts = [count for count in part_counts if count > 0]
    return bool(parts) and all(enough(count, minimum) for count in parts)


def withhold_small_groups(options: list[OptionCount], minimum: int) -> list[OptionCount]:
    """The counts of an answer that places a student in a group (a year group): if any group has someone but
    fewer than the minimum, every count under the minimum is withheld, the empty ones too, so that the one
    small group cannot be picked out as the only one left when the shown counts are taken from the total."""
    if not any(0 < option.count < minimum for option in options if option.count is not None):
        return options
    return [
        option
        if option.count is None or option.count >= minimum
        else OptionCount(option.label, None, minimum)
        for option in options
    ]


def big_enough_groups(counts: Mapping[K, int], minimum: int) -> tuple[list[K], list[K]]:
    """Split groups (such as class sessions) into those a combined figure may include and those left out.

    A combined figure includes only groups that could be shown on their own, so that taking one group's
    own results away from the combined ones never reveals a group that was too small to show.
    """
    included = [key for key, count in counts.items() if enough(count, minimum)]
    left_out = [key for key, count in counts.items() if 0 < count < minimum]
    return included, left_out


# Figures from elsewhere (schools' bundles) arrive as counts that may be in the millions: they are summarised
# from the counts, never expanded into one value per answer.


def mean_of(distribution: Sequence[int]) -> float:
    """The mean of the answers behind a 1–5 distribution (how many chose 1, 2, … 5); it must not be empty."""
    return sum(point * count for point, count in zip(SCALE_POINTS, distribution, strict=True)) / sum(
        distribution
    )


def median_of(distribution: Sequence[int]) -> float:
    """The median of the answers behind a 1–5 distribution, as statistics.median gives for the answers."""
    total = sum(distribution)

    def answer_at(position: int) -> int:  # the answer at this place (from 0) once answers are sorted
        seen = 0
        for point, count in zip(SCALE_POINTS, distribution, strict=True):
            seen += count
            if position < seen:
                return point
        raise ValueError("empty distribution")

    middle = total // 2
    if total % 2:
        return float(answer_at(middle))
    return (answer_at(middle - 1) + answer_at(middle)) / 2


def summarise_distribution(distribution: Sequence[int]) -> ScaleSummary:
    """summarise_scale for answers given as a 1–5 distribution."""
    counts = tuple(distribution)
    total = sum(counts)
    return ScaleSummary(
        count=total,
        distribution=counts,
        mean=mean_of(counts) if total else None,
        median=median_of(counts) if total else None,
    )


def distribution_change(before: Sequence[int], after: Sequence[int]) -> ConfidenceChange:
    """confidence_change for answers given as 1–5 distributions."""
    return _change(summarise_distribution(before), summarise_distribution(after))


def add_distributions(distributions: Iterable[Sequence[int]]) -> tuple[int, ...]:
    """Adds 1–5 distributions point by point, as when combining schools' figures."""
    totals = [0] * len(SCALE_POINTS)
    for distribution in distributions:
        for index, count in enumerate(distribution):
            totals[index] += count
    return tuple(totals)


def mean_difference(first: ScaleSummary | None, second: ScaleSummary | None) -> float | None:
    """How far the second mean is above the first (negative when below); None unless both have answers."""
    if first is None or second is None or first.mean is None or second.mean is None:
        return None
    return second.mean - first.mean


# Differences with 95% intervals: is a change bigger than the noise of a few dozen answers?
#
# The t quantile is written here rather than taken from scipy: it is the one function this app would use from
# a 40 MB library (with numpy) that every school's server would have to install, and the incomplete beta
# function behind it is a short, well-known continued fraction (checked against printed t tables in
# tests/feedback/test_stats.py).

CONFIDENCE = 0.95
MIN_TO_TELL = (
    20  # with fewer answers on either side, a difference is "too few answers to tell" whatever it is
)
TOO_FEW_TO_TELL = "too few answers to tell"
_Z = statistics.NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)


@dataclass(frozen=True)
class Difference:
    """How far the second group is from the first, with a 95% interval, and how many answered in each."""

    estimate: float
    low: float
    high: float
    first_count: int
    second_count: int

    @property
    def tells(self) -> bool:
        """Whether the answers show a change: enough on both sides, and an interval that excludes none."""
        enough_answers = min(self.first_count, self.second_count) >= MIN_TO_TELL
        return enough_answers and not (self.low <= 0 <= self.high)

    @property
    def verdict(self) -> str:
        if not self.tells:
            return TOO_FEW_TO_TELL
        return "higher" if self.estimate > 0 else "lower"


def _continued_fraction(a: float, b: float, x: float) -> float:
    """The continued fraction of the regularised incomplete beta function (modified Lentz's method)."""
    tiny, epsilon = 1e-300, 1e-15
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1 / (d if abs(d) > tiny else tiny)
    result = d
    for m in range(1, 500):
        for numerator in (
            m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
            -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1)),
        ):
            d = 1 + numerator * d
            d = 1 / (d if abs(d) > tiny else tiny)
            c = 1 + numerator / c
            c = c if abs(c) > tiny else tiny
            result *= d * c
        if abs(d * c - 1) < epsilon:
            break
    return result


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """I_x(a, b), the regularised incomplete beta function, for 0 <= x <= 1."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + a * math.log(x) + b * math.log1p(-x)
    if x < (a + 1) / (a + b + 2):
        return math.exp(log_front) * _continued_fraction(a, b, x) / a
    return 1 - math.exp(log_front) * _continued_fraction(b, a, 1 - x) / b


def t_cdf(t: float, df: float) -> float:
    """P(T <= t) for Student's t with df degrees of freedom (df need not be whole, as Welch's is not)."""
    tail = _incomplete_beta(df / 2, 0.5, df / (df + t * t)) / 2
    return 1 - tail if t > 0 else tail


def t_quantile(p: float, df: float) -> float:
    """The t with P(T <= t) = p, found by bisection on t_cdf (to well below the 3 places anyone reads)."""
    if not 0 < p < 1 or df <= 0:
        raise ValueError("p must be between 0 and 1 and df above 0")
    low, high = -1.0, 1.0
    while t_cdf(low, df) > p:
        low *= 2
    while t_cdf(high, df) < p:
        high *= 2
    for _ in range(200):
        middle = (low + high) / 2
        if t_cdf(middle, df) < p:
            low = middle
        else:
            high = middle
        if high - low < 1e-12:
            break
    return (low + high) / 2


def _mean_and_variance(distribution: Sequence[int]) -> tuple[int, float, float]:
    """Count, mean and sample variance (n − 1) of the answers behind a 1–5 distribution."""
    count = sum(distribution)
    mean = mean_of(distribution)
    squares = sum(n * (point - mean) ** 2 for point, n in zip(SCALE_POINTS, distribution, strict=True))
    return count, mean, squares / (count - 1)


def welch_degrees_of_freedom(var_1: float, n_1: int, var_2: float, n_2: int) -> float:
    """The Welch–Satterthwaite degrees of freedom of a difference of two means."""
    a, b = var_1 / n_1, var_2 / n_2
    return (a + b) ** 2 / (a * a / (n_1 - 1) + b * b / (n_2 - 1))


def mean_difference_interval(first: Sequence[int], second: Sequence[int]) -> Difference | None:
    """The second mean minus the first, from two 1–5 distributions, with Welch's 95% t interval; None unless
    each side has at least two answers. Answers all alike on both sides give an interval of no width."""
    if sum(first) < 2 or sum(second) < 2:
        return None
    n_1, mean_1, var_1 = _mean_and_variance(first)
    n_2, mean_2, var_2 = _mean_and_variance(second)
    estimate = mean_2 - mean_1
    standard_error = math.sqrt(var_1 / n_1 + var_2 / n_2)
    if standard_error == 0:
        return Difference(estimate, estimate, estimate, n_1, n_2)
    df = welch_degrees_of_freedom(var_1, n_1, var_2, n_2)
    margin = t_quantile(0.5 + CONFIDENCE / 2, df) * standard_error
    return Difference(estimate, estimate - margin, estimate + margin, n_1, n_2)


def wilson_interval(successes: int, total: int) -> tuple[float, float]:
    """Wilson's 95% score interval for a proportion (Newcombe 1998, method 3)."""
    p = successes / total
    z2 = _Z * _Z
    centre = (p + z2 / (2 * total)) / (1 + z2 / total)
    half = _Z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / (1 + z2 / total)
    return max(0.0, centre - half), min(1.0, centre + half)


def proportion_difference_interval(
    first_successes: int, first_total: int, second_successes: int, second_total: int
) -> Difference | None:
    """The second proportion minus the first with Newcombe's hybrid score 95% interval (Newcombe 1998,
    method 10: built from each side's Wilson interval); None when either side has nobody."""
    if not first_total or not second_total:
        return None
    p_1, p_2 = first_successes / first_total, second_successes / second_total
    low_1, high_1 = wilson_interval(first_successes, first_total)
    low_2, high_2 = wilson_interval(second_successes, second_total)
    estimate = p_2 - p_1
    low = estimate - math.sqrt((p_2 - low_2) ** 2 + (high_1 - p_1) ** 2)
    high = estimate + math.sqrt((high_2 - p_2) ** 2 + (p_1 - low_1) ** 2)
    return Difference(estimate, low, high, first_total, second_total)
