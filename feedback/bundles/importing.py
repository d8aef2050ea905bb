"""Results bundles, import on a pilot lead's server: all or nothing, one at a time, each class session
counted once (a later bundle holding all of an earlier one's sessions replaces it; a partial overlap is
refused), and a school's key trusted on first use (SchoolKey) and changed only when the pilot lead accepts.
"""

import hashlib

from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.bundles import file as bundle_file
from feedback.bundles import keys as bundle_keys
from feedback.models import (
    BundleComment,
    BundleItem,
    BundleVersion,
    ResultsBundle,
    SchoolKey,
    school_match,
)

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
        **_plan_fields(figures.get("plans")),
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
                    answer=item.get("answer", ""),
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


def _plan_fields(plans: dict | None) -> dict:
    """The plan counts of a format 5 bundle, as BundleVersion keeps them (all null for an older bundle)."""
    fields = {}
    for measure in bundle_file.PLAN_MEASURES:
        figures = (plans or {}).get(measure)
        fields[f"plans_{measure}"] = figures["count"] if figures else None
        fields[f"plans_{measure}_joined"] = figures["joined"] if figures else None
    return fields
