"""Results bundles, combined: every imported school's figures for one package version added up from counts
(never expanded into one answer each) and suppressed again on this server: a school's stage counts only if it
reaches this server's minimum, and the total must reach it too."""

import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from feedback import results, stats
from feedback.bundles import file as bundle_file
from feedback.charts import scale_chart
from feedback.models import (
    BundleItem,
    BundleVersion,
    ResultsBundle,
    Stage,
)
from lessons.models import KNOWLEDGE_ANSWERS, Package, Question


@dataclass(frozen=True)
class CombinedVersion:
    """A package version that bundles have figures for, as listed on the bundles page."""

    slug: str
    version: int
    digest: str
    title: str
    schools: int
    on_this_server: bool


def _recency(row: BundleVersion) -> tuple:
    """Between two bundles holding the same sessions, the later export (or, in the same month, the one with
    more responses, then the one imported last) is the newer."""
    return (
        row.bundle.exported_month,
        row.checkin_responses + row.feedback_responses,
        row.bundle.imported_at,
        row.bundle.pk,
    )


def replacements(rows: list[BundleVersion]) -> dict[int, BundleVersion]:
    """For one package version's rows: each row that a later bundle replaces, by id, with the row that is
    counted in its place.

    A row is replaced by a row holding all of its class sessions and more, or the same sessions in a newer
    export. Import refuses bundles that share only some sessions, so the rows' session sets are apart or
    nested, and the rows no other row replaces are apart: together they count every session once.
    """
    sets = {row.pk: frozenset(row.sessions) for row in rows}

    def replaces(other: BundleVersion, row: BundleVersion) -> bool:
        mine, theirs = sets[row.pk], sets[other.pk]
        return bool(mine) and (mine < theirs or (mine == theirs and _recency(other) > _recency(row)))

    counted = [row for row in rows if not any(replaces(other, row) for other in rows if other is not row)]
    replaced = {}
    for row in rows:
        if row not in counted:
            replaced[row.pk] = next(other for other in counted if replaces(other, row))
    return replaced


def _by_version(rows) -> dict[tuple[str, int, str], list[BundleVersion]]:
    grouped: dict[tuple[str, int, str], list[BundleVersion]] = defaultdict(list)
    for row in rows:
        grouped[(row.slug, row.version, row.digest)].append(row)
    return grouped


def replaced_rows(rows: list[BundleVersion]) -> dict[int, BundleVersion]:
    """Each of `rows` (from imported_rows) that a later bundle replaces, across all package versions."""
    replaced: dict[int, BundleVersion] = {}
    for version_rows in _by_version(rows).values():
        replaced.update(replacements(version_rows))
    return replaced


def replacement_note(bundle: ResultsBundle) -> str:
    """What a new import changed: the earlier bundles it replaces, or the later one that replaces it."""
    rows = imported_rows()
    replaced = replaced_rows(rows)
    notes = []
    for row in (row for row in rows if row.bundle_id == bundle.pk):
        earlier = sorted(
            {
                f"{other.bundle.source} ({other.bundle.exported_month})"
                for other in rows
                if other.pk in replaced and replaced[other.pk].pk == row.pk
            }
        )
        if earlier:
            notes.append(
                f"For version {row.version} it replaces the earlier bundle from {', '.join(earlier)}."
            )
        if row.pk in replaced:
            later = replaced[row.pk].bundle
            notes.append(
                f"For version {row.version} a later bundle already imported, from {later.source} "
                f"({later.exported_month}), holds all its class sessions, so this one is not counted."
            )
    return "".join(f" {note}" for note in notes)


@dataclass(frozen=True)
class SchoolRow:
    bundle: ResultsBundle
    figures: BundleVersion
    counted: dict[str, bool]  # stage → whether its figures are in the combined ones


@dataclass(frozen=True)
class Combined:
    """One package version's figures from every counted school, as the combined results page shows them."""

    slug: str
    version: int
    digest: str
    title: str
    package: Package | None
    minimum: int
    schools: list[SchoolRow]
    replaced: list[tuple[BundleVersion, BundleVersion]]  # (an earlier bundle's row, the row counted instead)
    checkin: results.StageResult
    feedback: results.StageResult
    changes: list[results.ChangeResult] = field(default_factory=list)
    comments: list[results.CommentsResult] = field(default_factory=list)
    plans: results.PlanFigures | None = None
    without_plans: int = 0  # schools whose bundles give no plan counts (format 3 or 4, or too few students)

    @property
    def stages(self) -> list[results.StageResult]:
        return [self.checkin, self.feedback]

    @property
    def left_out(self) -> bool:
        return any(not counted for row in self.schools for counted in row.counted.values())


def imported_rows() -> list[BundleVersion]:
    """Every imported package version's figures, with their bundle: what the replacement rules read."""
    return list(BundleVersion.objects.select_related("bundle").order_by("slug", "version", "digest", "pk"))


def combined_versions(
    rows: list[BundleVersion] | None = None, replaced: dict[int, BundleVersion] | None = None
) -> list[CombinedVersion]:
    """The package versions that imported bundles have figures for, each with the number of bundles counted:
    an earlier bundle that a later one replaces is not. A page that already has imported_rows() and their
    replaced_rows() passes them in rather than reading them again."""
    if rows is None:
        rows = imported_rows()
    if replaced is None:
        replaced = replaced_rows(rows)
    local = set(Package.objects.published().values_list("slug", "version", "digest"))
    versions = []
    for (slug, version, digest), version_rows in _by_version(rows).items():
        newest = max(version_rows, key=_recency)
        versions.append(
            CombinedVersion(
                slug=slug,
                version=version,
                digest=digest,
                title=newest.title,
                schools=sum(1 for row in version_rows if row.pk not in replaced),
                on_this_server=(slug, version, digest) in local,
            )
        )
    return versions


def _question(item: BundleItem) -> results.AskedQuestion:
    """The question as the bundle words it: all the results templates read of a question."""
    return results.AskedQuestion(
        key=item.question_key,
        text=item.question_text,
        kind=item.kind,
        low_label=item.low_label,
        high_label=item.high_label,
        answer=item.answer,
    )


def _combine_item(items: list[BundleItem], minimum: int) -> results.ItemResult:
    question = _question(items[0])
    answered = sum(item.answered for item in items)
    if question.kind == Question.Kind.SCALE:
        summary = stats.summarise_distribution(stats.add_distributions(item.distribution for item in items))
        chart = scale_chart(summary, question.low_label, question.high_label)
        return results.ItemResult(question, answered, scale=summary, chart=chart)
    totals: Counter[str] = Counter()
    for item in items:
        for label, count in item.options:
            totals[label] += count  # counts are added, never expanded into one answer each
    options = [stats.OptionCount(label, count) for label, count in totals.items()]  # in first-seen order
    if question.kind == Question.Kind.KNOWLEDGE:  # True, False, Not sure, each even if no school counted it
        options = [stats.OptionCount(label, totals.get(label, 0)) for label in KNOWLEDGE_ANSWERS]
    if question.kind == Question.Kind.USEFUL_STEPS:
        options.sort(key=lambda option: -option.count)  # most first; ties keep their order
    if question.kind in results.GROUP_KINDS:  # a bundle from before groups were withheld may hold small ones
        options = stats.withhold_small_groups(options, minimum)
    return results.ItemResult(question, answered, options=options, chart=results.options_chart(options))


def _combine_stage(stage: str, counted: list[BundleVersion], minimum: int) -> results.StageResult:
    total = sum(figures.responses(stage) for figures in counted)
    if not stats.enough(total, minimum):
        return results.StageResult(stage=stage, responses=0, shown=False, items=[])
    by_key: dict[str, list[BundleItem]] = {}
    for figures in counted:
        for item in figures.items.all():  # prefetched, in position order
            if item.stage == stage:
                by_key.setdefault(item.question_key, []).append(item)
    items = [_combine_item(items, minimum) for items in by_key.values()]
    return results.StageResult(stage=stage, responses=total, shown=True, items=items)


def _combine_changes(
    checkin: results.StageResult, feedback: results.StageResult
) -> list[results.ChangeResult]:
    before = {item.question.key: item for item in checkin.items if item.scale is not None}
    changes = []
    for item in feedback.items:
        if item.scale is not None and item.question.key in before:
            change = stats.distribution_change(
                before[item.question.key].scale.distribution, item.scale.distribution
            )
            changes.append(results.ChangeResult(item.question, change))
    return changes


def _combine_comments(counted: list[BundleVersion]) -> list[results.CommentsResult]:
    by_key: dict[str, tuple[results.AskedQuestion, list[results.Comment]]] = {}
    for figures in counted:
        for comment in figures.comments.all():
            question = results.AskedQuestion(
                key=comment.question_key, text=comment.question_text, kind=Question.Kind.TEXT
            )
            by_key.setdefault(comment.question_key, (question, []))[1].append(
                results.Comment(comment.id, comment.text)
            )
    blocks = []
    for question, comments in by_key.values():
        random.shuffle(comments)  # never in the order of schools or of writing
        blocks.append(results.CommentsResult(question, comments))
    return blocks


def _plan_counted(row: BundleVersion, measure: str, minimum: int) -> bool:
    """Whether a school's plan count is in the combined one: given, and big enough on this server's rule too
    (a school whose own minimum is lower may give a smaller one)."""
    count, joined = getattr(row, f"plans_{measure}"), getattr(row, f"plans_{measure}_joined")
    return (
        joined is not None and stats.enough(joined, minimum) and (count == 0 or stats.enough(count, minimum))
    )


def _plans_counted(row: BundleVersion, minimum: int) -> bool:
    return any(_plan_counted(row, measure, minimum) for measure in bundle_file.PLAN_MEASURES)


def _combine_plans(current: list[BundleVersion], minimum: int) -> results.PlanFigures | None:
    """Plans made and downloaded from every school counted: each school's count and students joined (already
    suppressed by its own server and checked on import) added up; None when no school's bundle has them."""
    if not any(_plans_counted(row, minimum) for row in current):
        return None
    shares = {}
    for measure in bundle_file.PLAN_MEASURES:
        given = [row for row in current if _plan_counted(row, measure, minimum)]
        count = sum(getattr(row, f"plans_{measure}") for row in given)
        joined = sum(getattr(row, f"plans_{measure}_joined") for row in given)
        shares[measure] = (
            results.PlanShare(count, joined) if given and stats.enough(joined, minimum) else None
        )
    return results.PlanFigures(
        made=shares["made"].count if shares["made"] else 0,
        downloaded=shares["downloaded"].count if shares["downloaded"] else 0,
        minimum=minimum,
        made_share=shares["made"],
        downloaded_share=shares["downloaded"],
        counts_known=False,
    )


def combined_result(*, slug: str, version: int, digest: str) -> Combined | None:
    """Every imported school's figures for one package version added together, or None if there are none."""
    rows = list(
        BundleVersion.objects.filter(slug=slug, version=version, digest=digest)
        .select_related("bundle")
        .prefetch_related("items", "comments")
        .order_by("bundle__school", "bundle__exported_month", "bundle__imported_at")
    )
    if not rows:
        return None
    minimum = settings.FEEDBACK_MIN_GROUP
    replaced = replacements(rows)
    current = [row for row in rows if row.pk not in replaced]
    counted: dict[str, list[BundleVersion]] = {}
    for stage in Stage.values:
        included, _ = stats.big_enough_groups({row: row.responses(stage) for row in current}, minimum)
        counted[stage] = included
    checkin = _combine_stage(Stage.CHECKIN, counted[Stage.CHECKIN], minimum)
    feedback = _combine_stage(Stage.FEEDBACK, counted[Stage.FEEDBACK], minimum)
    return Combined(
        slug=slug,
        version=version,
        digest=digest,
        title=max(rows, key=_recency).title,
        package=Package.objects.published().filter(slug=slug, version=version, digest=digest).first(),
        minimum=minimum,
        schools=[
            SchoolRow(row.bundle, row, {stage: row in counted[stage] for stage in Stage.values})
            for row in current
        ],
        replaced=[(row, replaced[row.pk]) for row in rows if row.pk in replaced],
        checkin=checkin,
        feedback=feedback,
        changes=_combine_changes(checkin, feedback) if checkin.shown and feedback.shown else [],
        comments=_combine_comments(counted[Stage.FEEDBACK]) if feedback.shown else [],
        plans=_combine_plans(current, minimum),
        without_plans=sum(1 for row in current if not _plans_counted(row, minimum)),
    )
