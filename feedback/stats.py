"""Aggregation and small-number suppression for feedback results: pure functions on plain values."""

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
    label: str
    count: int


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
    before_summary, after_summary = summarise_scale(before), summarise_scale(after)
    mean_change = median_change = None
    if before_summary.count and after_summary.count:
        mean_change = after_summary.mean - before_summary.mean
        median_change = after_summary.median - before_summary.median
    return ConfidenceChange(
        before=before_summary, after=after_summary, mean_change=mean_change, median_change=median_change
    )


def enough(count: int, minimum: int) -> bool:
    """Whether a group is big enough for any figure or comment from it to be shown."""
    return count >= minimum


def breakdown_allowed(part_counts: Iterable[int], minimum: int) -> bool:
    """A breakdown is shown only if every part that has anyone in it reaches the minimum.

    Otherwise a hidden part could be worked out by subtracting the shown parts from the total.
    """
    parts = [count for count in part_counts if count > 0]
    return bool(parts) and all(enough(count, minimum) for count in parts)


def big_enough_groups(counts: Mapping[K, int], minimum: int) -> tuple[list[K], list[K]]:
    """Split groups (such as class sessions) into those a combined figure may include and those left out.

    A combined figure includes only groups that could be shown on their own, so that taking one group's
    own results away from the combined ones never reveals a group that was too small to show.
    """
    included = [key for key, count in counts.items() if enough(count, minimum)]
    left_out = [key for key, count in counts.items() if 0 < count < minimum]
    return included, left_out


def expand_distribution(distribution: Sequence[int]) -> list[int]:
    """The answers behind a 1–5 distribution (how many chose 1, 2, … 5), to summarise counts from elsewhere."""
    return [point for point, count in zip(SCALE_POINTS, distribution, strict=True) for _ in range(count)]


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
