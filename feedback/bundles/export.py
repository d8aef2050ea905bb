"""Results bundles, export: a school's own results as a signed bundle, made from the same figures as its
results pages (feedback.results), so it holds nothing those pages withhold."""

from collections import defaultdict

from django.conf import settings
from django.utils import timezone

from feedback import results, stats
from feedback.bundles import file as bundle_file
from feedback.bundles import keys as bundle_keys
from lessons.models import ClassSession, Package, Question

PLACES = 4  # means and medians in a bundle, to keep the file readable


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
    if question.kind == Question.Kind.KNOWLEDGE:
        figures["answer"] = question.answer
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
        "plans": {
            measure: _plan_share(getattr(group.plans, f"{measure}_share"))
            for measure in bundle_file.PLAN_MEASURES
        },
    }


def _plan_share(share: results.PlanShare | None) -> dict | None:
    return None if share is None else {"count": share.count, "joined": share.joined}


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
