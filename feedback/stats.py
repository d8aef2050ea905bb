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
