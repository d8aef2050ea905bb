"""Results bundles: a school's export of its own results, the import on a pilot lead's server, and the
combined results per package version with each school's contribution.

A bundle is made from the same figures as the school's results pages (feedback.results), so it holds nothing
those pages withhold. Combined figures add up the schools' distributions and are suppressed again here: a
school's stage counts only if it reaches this server's minimum, and the total must reach it too.

Each class session is counted once: a bundle lists its sessions by random reference, a later bundle holding
all of an earlier one's sessions replaces it (both are kept, so removing the later one brings the earlier
back), and a bundle sharing only some sessions with another is refused.

Bundles are signed by the exporting server (feedback.bundle_keys). The first key seen for a school name is
trusted for it (SchoolKey); a bundle naming that school but signed by another key is refused until the pilot
lead accepts the new key, and class sessions can be shared (replaced) only between bundles from the same key
or the same school, so that nobody else's bundle can push a school's figures out.
"""

import hashlib
import random
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback import bundle_file, bundle_keys, results, stats
from feedback.charts import scale_chart
from feedback.models import (
    BundleComment,
    BundleItem,
    BundleVersion,
    ResultsBundle,
    SchoolKey,
    Stage,
    school_match,
)
from lessons.models import ClassSession, Package, Question

PLACES = 4  # means and medians in a bundle, to keep the file readable


# Export


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, PLACES)


def _summary(summary: stats.ScaleSummary) -> dict:
    return {"count": summary.count, "mean": _round(summary.mean), "median": _round(summary.median)}


def _item(item: results.ItemResult) -> dict:
    question = item.question
    figures = {
        "question": question.key,
        "text": question.text,
        "kind": question.kind,
        "answered": item.answered,
    }
    if item.scale is not None:
        return {
            **figures,
            "low_label": question.low_label,
            "high_label": question.high_label,
            "distribution": list(item.scale.distribution),
            "mean": _round(item.scale.mean),
            "median": _round(item.scale.median),
        }
    # A withheld group (fewer than the minimum) is left out, and `answered` counts only the groups given.
    options = [{"label": o.label, "count": o.count} for o in item.options or [] if o.count is not None]
    if len(options) < len(item.options or []):
        figures["answered"] = sum(option["count"] for option in options)
    return {**figures, "options": options}


def _stage(stage: results.StageResult) -> dict:
    return {"responses": stage.responses, "shown": stage.shown, "items": [_item(i) for i in stage.items]}


def _version(package: Package, sessions: list[ClassSession], *, include_comments: bool) -> dict:
    group = results.build_group(title="", package=package, class_sessions=sessions)
    months = sorted(f"{timezone.localtime(s.created_at):%Y-%m}" for s in sessions)
    comments = []
    if include_comments and group.feedback.shown:  # group.comments never holds hidden comments
        comments = [
            {
                "question": block.question.key,
                "text": block.question.text,
                "comments": [bundle_file.without_controls(c.text) for c in block.comments],
            }
            for block in group.comments
            if block.comments
        ]
    return {
        "slug": package.slug,
        "version": package.version,
        "digest": package.digest,
        "title": package.title,
        "class_sessions": len(sessions),
        "sessions": sorted(str(class_session.reference) for class_session in sessions),
        "from_month": months[0],
        "to_month": months[-1],
        "stages": {stage.stage: _stage(stage) for stage in group.stages},
        "confidence_changes": [
            {
                "question": row.question.key,
                "text": row.question.text,
                "before": _summary(row.change.before),
                "after": _summary(row.change.after),
                "mean_change": _round(row.change.mean_change),
                "median_change": _round(row.change.median_change),
            }
            for row in group.changes
        ],
        "comments": comments,
    }


def bundle_for(*, user, school: str = "", include_comments: bool = False) -> dict:
    """The anonymous bundle of every class session the user may see (a pilot lead's: all), per published
    package version. Self-guided lessons belong to no school and are left out."""
    sessions = ClassSession.objects.visible_to(user).filter(package__published_at__isnull=False)
    by_package: dict[Package, list[ClassSession]] = defaultdict(list)
    for class_session in sessions.select_related("package"):
        by_package[class_session.package].append(class_session)
    contents = {
        "school": " ".join(bundle_file.without_controls(school).split()),
        "exported_month": f"{timezone.localdate():%Y-%m}",
        "minimum_group": settings.FEEDBACK_MIN_GROUP,
        "comments_included": include_comments,
        "package_versions": [
            _version(package, by_package[package], include_comments=include_comments)
            for package in sorted(by_package, key=lambda p: (p.slug, p.version))
        ],
    }
    return bundle_file.seal(contents, bundle_keys.private_key())


def bundle_filename(bundle: dict) -> str:
    school = "".join(c if c.isascii() and c.isalnum() else "-" for c in bundle["contents"]["school"].lower())
    school = "-".join(part for part in school.split("-") if part)[:40] or "school"
    return f"results-bundle-{school}-{bundle['contents']['exported_month']}.json"


# Import


# One import at a time: each checks the bundles already stored (for sessions shared with them), so two
# imports at the same moment must not both check before either has stored. SQLite's IMMEDIATE transactions
# already take the write lock at BEGIN; PostgreSQL gets a transaction-level advisory lock with this key.
IMPORT_LOCK = int.from_bytes(
    hashlib.sha256(b"personal-plan: results bundle import").digest()[:8], signed=True
)


def _one_import_at_a_time() -> None:
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [IMPORT_LOCK])


class SchoolKeyChanged(bundle_file.BundleError):
    """A bundle naming a school whose trusted key is another: refused, and its key left for the pilot lead."""

    def __init__(self, message: str, *, school: str, public_key: str):
        super().__init__(message)
        self.school, self.public_key = school, public_key


def bundle_import(*, raw: bytes) -> tuple[ResultsBundle, bool]:
    """Check and store a bundle: all of it or, on any problem (BundleError), none of it.

    Returns the bundle and whether it is new; one already imported (same checksum) is kept once. A bundle
    refused because its school has another key leaves only that key behind, waiting for the pilot lead.
    """
    try:
        return _import(raw)
    except SchoolKeyChanged as refusal:
        _school_key_waits(school=refusal.school, public_key=refusal.public_key)
        raise


@transaction.atomic
def _import(raw: bytes) -> tuple[ResultsBundle, bool]:
    bundle = bundle_file.read_bundle(raw)
    _one_import_at_a_time()
    existing = ResultsBundle.objects.filter(checksum=bundle["checksum"]).first()
    if existing is not None:
        return existing, False
    contents = bundle["contents"]
    school = " ".join(contents["school"].split())
    _check_school_key(school, bundle["public_key"])
    try:
        with transaction.atomic():
            stored = ResultsBundle.objects.create(
                checksum=bundle["checksum"],
                school=school,
                public_key=bundle["public_key"],
                fingerprint=bundle_keys.fingerprint(bundle["public_key"]),
                exported_month=contents["exported_month"],
                minimum_group=contents["minimum_group"],
                comments_included=contents["comments_included"],
            )
    except IntegrityError:  # imported by someone else a moment ago
        return ResultsBundle.objects.get(checksum=bundle["checksum"]), False
    for figures in contents["package_versions"]:
        _refuse_partial_overlap(stored, figures)
        _store_version(stored, figures)
    return stored, True


def _check_school_key(school: str, public_key: str) -> None:
    """The first key seen for a school name is trusted for it; a bundle naming it with another key is refused.
    A bundle that gives no name claims no school, so there is nothing to check its key against."""
    if not school:
        return
    trusted = SchoolKey.objects.filter(
        school_match=school_match(school), status=SchoolKey.Status.TRUSTED
    ).first()
    if trusted is None:
        SchoolKey.objects.create(
            school=school,
            school_match=school_match(school),
            public_key=public_key,
            fingerprint=bundle_keys.fingerprint(public_key),
            status=SchoolKey.Status.TRUSTED,
            accepted_at=timezone.now(),
        )
        return
    if trusted.public_key != public_key:
        raise SchoolKeyChanged(
            f"This bundle says it is from {school}, but it is signed by a different key (fingerprint "
            f"{bundle_keys.fingerprint(public_key)}) from the one this server has trusted for "
            f"{trusted.school} since {timezone.localtime(trusted.accepted_at or trusted.first_seen):%d %b %Y} "
            f"(fingerprint {trusted.fingerprint}). If the school has moved or rebuilt its server, ring the "
            "school and ask them to read you the fingerprint on their export page: only if it matches, accept "
            'the new key under "Keys waiting for your decision" and import the bundle again. If it does not '
            "match, the bundle did not come from the school's server.",
            school=school,
            public_key=public_key,
        )


@transaction.atomic
def _school_key_waits(*, school: str, public_key: str) -> None:
    _one_import_at_a_time()
    key, created = SchoolKey.objects.get_or_create(
        school_match=school_match(school),
        public_key=public_key,
        defaults={
            "school": school,
            "fingerprint": bundle_keys.fingerprint(public_key),
            "status": SchoolKey.Status.WAITING,
        },
    )
    if not created and key.status == SchoolKey.Status.REPLACED:  # a key the school used before: ask again
        key.status = SchoolKey.Status.WAITING
        key.save(update_fields=["status"])


@transaction.atomic
def school_key_accept(*, key: SchoolKey) -> SchoolKey:
    """Trust a waiting key for its school from now on; the key trusted until now is kept as replaced."""
    _one_import_at_a_time()
    key = SchoolKey.objects.get(pk=key.pk)  # as it is now, inside the lock
    if key.status != SchoolKey.Status.WAITING:
        raise ValueError("Only a key waiting for a decision can be accepted.")
    SchoolKey.objects.filter(school_match=key.school_match, status=SchoolKey.Status.TRUSTED).update(
        status=SchoolKey.Status.REPLACED
    )
    key.status = SchoolKey.Status.TRUSTED
    key.accepted_at = timezone.now()
    key.save(update_fields=["status", "accepted_at"])
    return key


def waiting_keys() -> list[tuple[SchoolKey, SchoolKey | None]]:
    """Each key waiting for the pilot lead's decision, with the key trusted for its school until now."""
    keys = list(SchoolKey.objects.exclude(status=SchoolKey.Status.REPLACED))
    trusted = {key.school_match: key for key in keys if key.status == SchoolKey.Status.TRUSTED}
    return [(key, trusted.get(key.school_match)) for key in keys if key.status == SchoolKey.Status.WAITING]


def _same_source(bundle: ResultsBundle, other: ResultsBundle) -> bool:
    """Whether two bundles may hold the same class sessions: signed by the same key, or naming the same school
    (each was checked against the key trusted for that school when it was imported). A bundle imported before
    bundles were signed has no key, so only its school name can match."""
    if bundle.public_key and bundle.public_key == other.public_key:
        return True
    return bool(bundle.school) and school_match(bundle.school) == school_match(other.school)


def _refuse_partial_overlap(bundle: ResultsBundle, figures: dict) -> None:
    """A version's class sessions must be apart from, within, or all of each earlier bundle's for the same
    version. Then a later export (the same sessions and more) simply replaces an earlier one; a bundle that
    shares only some sessions with another could not be added without counting those sessions twice.

    Sessions may be shared only with a bundle from the same school or key: a class session belongs to one
    server, so a bundle from elsewhere listing it was made to replace that school's figures."""
    new = set(figures["sessions"])
    earlier = BundleVersion.objects.filter(
        slug=figures["slug"], version=figures["version"], digest=figures["digest"]
    ).select_related("bundle")
    for other in earlier:
        old = set(other.sessions)
        if new & old and not _same_source(bundle, other.bundle):
            raise bundle_file.BundleError(
                f"For {figures['title']}, version {figures['version']}, this bundle lists "
                f"{len(new & old)} class session(s) that the bundle from {other.bundle.source} (exported "
                f"{other.bundle.exported_month}) holds, but it names another school and is signed by another "
                "key. A class session belongs to one school's server, so this bundle would replace that "
                "school's figures with figures from elsewhere."
            )
        if new & old and not (new <= old or old <= new):
            raise bundle_file.BundleError(
                f"For {figures['title']}, version {figures['version']}, this bundle shares "
                f"{len(new & old)} class session(s) with the bundle from {other.bundle.source} "
                f"(exported {other.bundle.exported_month}) but each also has sessions the other lacks, so "
                "adding it would count those sessions twice. Ask the school for one new bundle that covers "
                "all its sessions, or remove the other bundle first."
            )


def _store_version(bundle: ResultsBundle, figures: dict) -> None:
    stages = figures["stages"]
    version = BundleVersion.objects.create(
        bundle=bundle,
        slug=figures["slug"],
        version=figures["version"],
        digest=figures["digest"],
        title=figures["title"],
        class_sessions=figures["class_sessions"],
        from_month=figures["from_month"],
        to_month=figures["to_month"],
        checkin_responses=stages["checkin"]["responses"],
        feedback_responses=stages["feedback"]["responses"],
        sessions=figures["sessions"],
    )
    items = []
    for stage, stage_figures in stages.items():
        for position, item in enumerate(stage_figures["items"], start=1):
            items.append(
                BundleItem(
                    bundle_version=version,
                    stage=stage,
                    position=position,
                    question_key=item["question"],
                    question_text=item["text"],
                    kind=item["kind"],
                    low_label=item.get("low_label", ""),
                    high_label=item.get("high_label", ""),
                    answered=item["answered"],
                    distribution=item.get("distribution", []),
                    options=[[option["label"], option["count"]] for option in item.get("options", [])],
                )
            )
    BundleItem.objects.bulk_create(items)
    BundleComment.objects.bulk_create(
        BundleComment(
            bundle_version=version, question_key=block["question"], question_text=block["text"], text=text
        )
        for block in figures["comments"]
        for text in block["comments"]
    )


# Combined results


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


@dataclass
class Combined:
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


def _question(item: BundleItem) -> Question:
    """An unsaved Question carrying the bundle's wording, so the results templates can show it."""
    return Question(
        key=item.question_key,
        text=item.question_text,
        kind=item.kind,
        low_label=item.low_label,
        high_label=item.high_label,
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
    by_key: dict[str, tuple[Question, list[results.Comment]]] = {}
    for figures in counted:
        for comment in figures.comments.all():
            question = Question(key=comment.question_key, text=comment.question_text, kind=Question.Kind.TEXT)
            by_key.setdefault(comment.question_key, (question, []))[1].append(
                results.Comment(comment.id, comment.text)
            )
    blocks = []
    for question, comments in by_key.values():
        random.shuffle(comments)  # never in the order of schools or of writing
        blocks.append(results.CommentsResult(question, comments))
    return blocks


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
    combined = Combined(
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
        checkin=_combine_stage(Stage.CHECKIN, counted[Stage.CHECKIN], minimum),
        feedback=_combine_stage(Stage.FEEDBACK, counted[Stage.FEEDBACK], minimum),
    )
    if combined.checkin.shown and combined.feedback.shown:
        combined.changes = _combine_changes(combined.checkin, combined.feedback)
    if combined.feedback.shown:
        combined.comments = _combine_comments(counted[Stage.FEEDBACK])
    return combined
