"""Two versions of a package side by side: each side summarised and suppressed on its own, paired by question,
every difference with its 95% interval (feedback.stats) worked out from the two sides' counts.

Each side is built by feedback.results exactly as its own results page builds it (sessions too small to show
are left out, and a stage under the minimum shows nothing), so one side being too small never hides the
other, and putting the two side by side reveals nothing that either page would not.
"""

import re
from dataclasses import dataclass

from django.db.models import Count

from feedback import results, stats
from feedback.models import Stage
from lessons.models import ClassSession, Package, Question


@dataclass(frozen=True)
class ItemSide:
    """One version's answers to one 1–5 item: not asked, suppressed (not shown), or its figures."""

    version: int
    chart_id: str
    chart_title: str
    asked: bool
    shown: bool
    item: results.ItemResult | None


@dataclass(frozen=True)
class OptionCell:
    """One version's count of one answer, as shown ("fewer than 5" when withheld), and its share of those who
    answered the question (None when withheld, not asked or not shown)."""

    shown: str
    share: float | None


@dataclass(frozen=True)
class OptionRow:
    """One answer to a question with several (a choice, a year group, a step found useful), in both versions."""

    label: str
    cells: tuple[OptionCell, OptionCell]
    difference: stats.Difference | None  # the second version's share minus the first's


@dataclass(frozen=True)
class ItemRow:
    stage: str
    key: str
    kind: str
    texts: tuple[str | None, str | None]
    sides: tuple[ItemSide, ItemSide]
    mean_difference: float | None
    difference: stats.Difference | None = None  # of the means, for a 1–5 question
    options: tuple[OptionRow, ...] = ()

    @property
    def text(self) -> str:
        return self.texts[1] or self.texts[0] or self.key

    @property
    def worded_differently(self) -> bool:
        return all(self.texts) and self.texts[0] != self.texts[1]

    @property
    def stage_label(self) -> str:
        return Stage(self.stage).label

    @property
    def answered(self) -> bool:
        return any(side.item is not None and side.item.answered for side in self.sides)


@dataclass(frozen=True)
class CountCell:
    version: int
    responses: int | None  # None when that side has too few responses to show


@dataclass(frozen=True)
class CountRow:
    stage: str
    cells: tuple[CountCell, CountCell]

    @property
    def label(self) -> str:
        return Stage(self.stage).label


@dataclass(frozen=True)
class ChangeCell:
    """One version's change: None when not asked in it, or when either stage is too small to show."""

    version: int
    asked: bool
    change: stats.ConfidenceChange | None

    @property
    def difference(self) -> stats.Difference | None:
        if self.change is None:
            return None
        return stats.mean_difference_interval(self.change.before.distribution, self.change.after.distribution)


@dataclass(frozen=True)
class ChangeRow:
    key: str
    text: str
    cells: tuple[ChangeCell, ChangeCell]


@dataclass(frozen=True)
class Side:
    package: Package
    group: results.GroupResult
    questions: list[Question]


@dataclass(frozen=True)
class Headline:
    """A measure asked before and after the lesson, compared between the versions' feedback: the mean of a 1–5
    question, the share giving a choice's first answer, or the share giving a statement's right answer."""

    text: str
    values: tuple[str, str]
    difference: stats.Difference | None
    unit: str = ""


def headlines(items: list[ItemRow], first: Side, second: Side) -> list[Headline]:
    measured = {q.key for side in (first, second) for q in side.questions if q.in_checkin and q.in_feedback}
    rows = []
    for row in items:
        if row.stage != Stage.FEEDBACK or row.key not in measured:
            continue
        if row.kind == Question.Kind.SCALE:
            values = tuple(
                f"mean {side.item.scale.mean:.1f}" if side.item and side.item.scale.count else "–"
                for side in row.sides
            )
            rows.append(Headline(row.text, values, row.difference))
        elif row.kind == Question.Kind.CHOICE and row.options:
            option = row.options[0]
            values = tuple(
                f"“{option.label}”: {cell.share:.0%}" if cell.share is not None else "–"
                for cell in option.cells
            )
            rows.append(Headline(row.text, values, option.difference, unit="points"))
        elif row.kind == Question.Kind.KNOWLEDGE:
            rows.append(_knowledge_headline(row))
    return rows


def _knowledge_headline(row: ItemRow) -> Headline:
    """The share giving a statement's right answer in each version's feedback, and its difference."""
    items = [side.item if side.item and side.item.correct is not None else None for side in row.sides]
    values = tuple(
        f"right answer ({item.question.answer}): {item.correct_share:.0%}" if item and item.answered else "–"
        for item in items
    )
    difference = None
    if all(item and item.answered for item in items):
        first, second = items
        difference = stats.proportion_difference_interval(
            first.correct, first.answered, second.correct, second.answered
        )
    return Headline(row.text, values, difference, unit="points")


@dataclass(frozen=True)
class PlanCell:
    """One version's plans made (or downloaded): the count as shown, and its share of the students who joined
    its class sessions (None for self-guided lessons, which have no such count, or when it is withheld)."""

    version: int
    shown: str
    share: results.PlanShare | None

    @property
    def text(self) -> str:
        if self.share is None:
            return self.shown
        return f"{self.share.count} of {self.share.joined} students who joined ({self.share.share:.0%})"


@dataclass(frozen=True)
class PlanRow:
    """Plans made, or plans downloaded, in both versions, and the difference in share with its 95% interval."""

    label: str
    cells: tuple[PlanCell, PlanCell]
    difference: stats.Difference | None


def plan_rows(first: Side, second: Side) -> list[PlanRow]:
    """A row for plans made and one for plans downloaded, from each version's plan counts (results.PlanFigures,
    suppressed as on its results page). Self-guided lessons give counts without a share, so no difference."""
    rows = []
    for label, measure in (("Plans made", "made"), ("Plans downloaded", "downloaded")):
        cells = []
        for side in (first, second):
            plans = side.group.plans
            cells.append(
                PlanCell(
                    version=side.package.version,
                    shown=plans.shown(getattr(plans, measure)),
                    share=getattr(plans, f"{measure}_share"),
                )
            )
        difference = None
        if all(cell.share is not None for cell in cells):
            difference = stats.proportion_difference_interval(
                cells[0].share.count, cells[0].share.joined, cells[1].share.count, cells[1].share.joined
            )
        rows.append(PlanRow(label=label, cells=tuple(cells), difference=difference))
    return rows


@dataclass(frozen=True)
class Comparison:
    sides: tuple[Side, Side]
    counts: list[CountRow]
    items: list[ItemRow]
    changes: list[ChangeRow]
    headlines: list[Headline]
    minimum: int
    self_guided: bool
    plans: list[PlanRow]


def _asked_in(question: Question, stage: str) -> bool:
    return question.in_checkin if stage == Stage.CHECKIN else question.in_feedback


def _keys_in_order(*lists: list[Question]) -> list[str]:
    """Question keys in the newer version's order, then any asked only in the older one."""
    keys: list[str] = []
    for questions in reversed(lists):
        keys += [question.key for question in questions if question.key not in keys]
    return keys


def _stage_of(side: Side, stage: str) -> results.StageResult:
    return side.group.checkin if stage == Stage.CHECKIN else side.group.feedback


def item_rows(stage: str, first: Side, second: Side) -> list[ItemRow]:
    """A row per question asked in this stage in either version (free text is read, not compared), with each
    side's figures and the differences between them."""
    stage_results = [_stage_of(side, stage) for side in (first, second)]
    asked = [
        {q.key: q for q in side.questions if q.kind != Question.Kind.TEXT and _asked_in(q, stage)}
        for side in (first, second)
    ]
    items = [{item.question.key: item for item in result.items} for result in stage_results]
    rows = []
    for key in _keys_in_order(*(list(questions.values()) for questions in asked)):
        texts = tuple(asked[n][key].text if key in asked[n] else None for n in (0, 1))
        sides = tuple(
            ItemSide(
                version=side.package.version,
                chart_id=f"v{side.package.version}-{stage}-{key}",
                chart_title=f"{texts[n] or key}, version {side.package.version}",
                asked=key in asked[n],
                shown=stage_results[n].shown,
                item=items[n].get(key),
            )
            for n, side in enumerate((first, second))
        )
        kind = (asked[1].get(key) or asked[0][key]).kind
        summaries = [side.item.scale if side.item else None for side in sides]
        difference = None
        if all(summary is not None for summary in summaries):
            difference = stats.mean_difference_interval(*(summary.distribution for summary in summaries))
        rows.append(
            ItemRow(
                stage=stage,
                key=key,
                kind=kind,
                texts=texts,
                sides=sides,
                mean_difference=stats.mean_difference(*summaries),
                difference=difference,
                options=tuple(option_rows(kind, sides)) if kind != Question.Kind.SCALE else (),
            )
        )
    return rows


STEP_NUMBER = re.compile(r"^Step \d+: ")


def _option_key(kind: str, label: str) -> str:
    """What pairs an answer across versions: a step by its title, as versions may number steps differently."""
    return STEP_NUMBER.sub("", label) if kind == Question.Kind.USEFUL_STEPS else label


def option_rows(kind: str, sides: tuple[ItemSide, ItemSide]) -> list[OptionRow]:
    """A row per answer given in either version, in the newer version's order then the older's."""
    counts = [
        {_option_key(kind, o.label): o for o in side.item.options or []} if side.item else {}
        for side in sides
    ]
    labels = list(counts[1]) + [label for label in counts[0] if label not in counts[1]]
    rows = []
    for label in labels:
        cells, shares = [], []
        for n, side in enumerate(sides):
            option = counts[n].get(label)
            answered = side.item.answered if side.item else 0
            if option is None or option.count is None or not answered:
                cells.append(OptionCell(option.shown if option else "–", None))
                shares.append(None)
            else:
                cells.append(OptionCell(option.shown, option.count / answered))
                shares.append((option.count, answered))
        difference = None
        if all(shares):
            difference = stats.proportion_difference_interval(*shares[0], *shares[1])
        rows.append(OptionRow(label=label, cells=tuple(cells), difference=difference))
    return rows


def change_rows(first: Side, second: Side) -> list[ChangeRow]:
    """A row per 1–5 question asked at check-in and in feedback in either version."""
    asked = [
        {q.key: q for q in side.questions if q.kind == Question.Kind.SCALE and q.in_checkin and q.in_feedback}
        for side in (first, second)
    ]
    changes = [{row.question.key: row.change for row in side.group.changes} for side in (first, second)]
    rows = []
    for key in _keys_in_order(*(list(questions.values()) for questions in asked)):
        text = (asked[1].get(key) or asked[0][key]).text
        cells = tuple(
            ChangeCell(version=side.package.version, asked=key in asked[n], change=changes[n].get(key))
            for n, side in enumerate((first, second))
        )
        rows.append(ChangeRow(key=key, text=text, cells=cells))
    return rows


def count_rows(first: Side, second: Side) -> list[CountRow]:
    """Responses behind each side's figures, stage by stage (None for a side too small to show)."""
    rows = []
    for stage in (Stage.CHECKIN, Stage.FEEDBACK):
        cells = []
        for side in (first, second):
            result = _stage_of(side, stage)
            cells.append(CountCell(side.package.version, result.responses if result.shown else None))
        rows.append(CountRow(stage=stage, cells=tuple(cells)))
    return rows


def default_pair(versions: list[int], around: int | None = None) -> tuple[int, int] | None:
    """Which two versions to compare first: a version with the one before it (the oldest with the next one);
    with no version given, the two newest. None when there are fewer than two."""
    versions = sorted(versions)
    if len(versions) < 2:
        return None
    if around not in versions:
        return versions[-2], versions[-1]
    index = versions.index(around)
    return (around, versions[1]) if index == 0 else (versions[index - 1], around)


def comparable_packages() -> list[tuple[str, str]]:
    """(slug, title of the newest version) of each package with at least two published versions."""
    newest = {package.slug: package for package in Package.objects.latest_versions()}
    counts = Package.objects.published().values("slug").annotate(versions=Count("pk")).order_by("slug")
    return [(row["slug"], newest[row["slug"]].title) for row in counts if row["versions"] >= 2]


def _side(package: Package, *, self_guided: bool) -> Side:
    sessions = None if self_guided else list(ClassSession.objects.filter(package=package))
    group = results.build_group(title=f"Version {package.version}", package=package, class_sessions=sessions)
    return Side(package=package, group=group, questions=list(package.questions.order_by("position")))


def compare_versions(first: Package, second: Package, *, self_guided: bool = False) -> Comparison:
    """Every class session of each version (or, self_guided, its self-guided lessons), side by side."""
    sides = (_side(first, self_guided=self_guided), _side(second, self_guided=self_guided))
    items = item_rows(Stage.CHECKIN, *sides) + item_rows(Stage.FEEDBACK, *sides)
    return Comparison(
        sides=sides,
        counts=count_rows(*sides),
        items=items,
        changes=change_rows(*sides),
        headlines=headlines(items, *sides),
        minimum=sides[0].group.minimum,
        self_guided=self_guided,
        plans=plan_rows(*sides),
    )
