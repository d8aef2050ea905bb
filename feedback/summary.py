"""The one-screen summary that starts every results page and report: did the lesson work, in a few rows.

A summary is a list of rows (label, value, what it tells) and a few comments, read from one group's released
and suppressed figures (a results.GroupResult, or bundles.Combined: anything with `checkin`, `feedback`,
`comments` and `minimum`), so it shows nothing the details below it withhold. Rows come from SECTIONS, in
order; a question asked at check-in and again in feedback gives a row of change by its kind (CHANGE_BY_KIND).
To add a measure (such as plans made and downloaded), add its kind to CHANGE_BY_KIND or a
section function to SECTIONS: the templates show whatever rows there are.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from feedback import stats
from feedback.results import CommentsResult, ItemResult, StageResult
from lessons.models import Question

COMMENTS_SHOWN = 3


class Figures(Protocol):
    checkin: StageResult
    feedback: StageResult
    comments: list[CommentsResult]
    minimum: int


@dataclass(frozen=True)
class SummaryRow:
    label: str
    value: str
    difference: stats.Difference | None = None  # its interval and verdict are shown beside the value
    unit: str = ""  # "points" for a difference of percentages


@dataclass(frozen=True)
class Summary:
    rows: list[SummaryRow]
    comments: list[str]
    comments_total: int


def _responses(figures: Figures) -> list[SummaryRow]:
    def count(stage: StageResult) -> str:
        return str(stage.responses) if stage.shown else f"fewer than {figures.minimum} so far"

    value = f"{count(figures.checkin)} at check-in, {count(figures.feedback)} in feedback"
    return [SummaryRow("Responses", value)]


def _scale_change(before: ItemResult, after: ItemResult) -> SummaryRow | None:
    if not before.scale.count or not after.scale.count:
        return None
    value = f"mean {before.scale.mean:.1f} at check-in, {after.scale.mean:.1f} after the lesson (1 to 5)"
    difference = stats.mean_difference_interval(before.scale.distribution, after.scale.distribution)
    return SummaryRow(before.question.text, value, difference)


def _choice_change(before: ItemResult, after: ItemResult) -> SummaryRow | None:
    """The share giving the question's first answer (such as "Yes" to "Do you know where to get help?")."""
    # A bundle's questions carry no list of answers: its first counted answer stands in.
    choices = after.question.choice_list or [option.label for option in after.options or []]
    if not choices or not before.answered or not after.answered:
        return None

    def given(item: ItemResult) -> int:
        return next((o.count or 0 for o in item.options or [] if o.label == choices[0]), 0)

    first, second = given(before), given(after)
    value = (
        f"“{choices[0]}”: {first / before.answered:.0%} at check-in, "
        f"{second / after.answered:.0%} after the lesson"
    )
    difference = stats.proportion_difference_interval(first, before.answered, second, after.answered)
    return SummaryRow(after.question.text, value, difference, unit="points")


def _knowledge_change(before: ItemResult, after: ItemResult) -> SummaryRow | None:
    """The share answering a true-or-false statement correctly ("Not sure" is not correct)."""
    if before.correct is None or after.correct is None or not before.answered or not after.answered:
        return None
    value = (
        f"right answer ({after.question.answer}): {before.correct_share:.0%} at check-in, "
        f"{after.correct_share:.0%} after the lesson"
    )
    difference = stats.proportion_difference_interval(
        before.correct, before.answered, after.correct, after.answered
    )
    return SummaryRow(after.question.text, value, difference, unit="points")


# How a question asked before and after the lesson shows its change, by the question's kind.
CHANGE_BY_KIND: dict[str, Callable[[ItemResult, ItemResult], SummaryRow | None]] = {
    Question.Kind.SCALE: _scale_change,
    Question.Kind.CHOICE: _choice_change,
    Question.Kind.KNOWLEDGE: _knowledge_change,
}


def _changes(figures: Figures) -> list[SummaryRow]:
    if not (figures.checkin.shown and figures.feedback.shown):
        if figures.feedback.shown and any(item.question.in_checkin for item in figures.feedback.items):
            return [SummaryRow("Change since check-in", "not enough check-ins yet to compare")]
        return []
    before = {item.question.key: item for item in figures.checkin.items}
    rows = []
    for after in figures.feedback.items:
        change = CHANGE_BY_KIND.get(after.question.kind)
        if change and after.question.key in before:
            row = change(before[after.question.key], after)
            if row is not None:
                rows.append(row)
    return rows


def _plan_share(share, text: str, known: bool) -> str:
    if share is None:
        return text if known else "not shown: too few students in the schools' bundles"
    return f"{share.count} of the {share.joined} students who joined ({share.share:.0%})"


def _plans(figures: Figures) -> list[SummaryRow]:
    """Plans made and downloaded, as a share of the students who joined where there is one (class sessions,
    and schools' bundles from format 5); self-guided lessons give counts only."""
    plans = getattr(figures, "plans", None)
    if plans is None:
        return []
    note = f" (class sessions with fewer than {plans.minimum} are left out)" if plans.left_out else ""
    return [
        SummaryRow("Plans made", _plan_share(plans.made_share, plans.made_text, plans.counts_known) + note),
        SummaryRow(
            "Plans downloaded",
            _plan_share(plans.downloaded_share, plans.downloaded_text, plans.counts_known) + note,
        ),
    ]


SECTIONS: list[Callable[[Figures], list[SummaryRow]]] = [_responses, _changes, _plans]


def summarise(figures: Figures) -> Summary:
    rows = [row for section in SECTIONS for row in section(figures)]
    comments = [comment.text for block in figures.comments for comment in block.comments]
    return Summary(rows=rows, comments=comments[:COMMENTS_SHOWN], comments_total=len(comments))
