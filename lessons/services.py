"""Writes that span models: class sessions (open, admit, close, reopen) and packages (import, copy, publish)."""

import functools

from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from lessons import live
from lessons.live_responses.services import responses_delete
from lessons.models import (
    AlreadyHappenedStep,
    ClassSession,
    ExampleLine,
    LivePresence,
    Pace,
    Package,
    PressureSign,
    Question,
    Step,
    Strategy,
    SupportService,
)
from lessons.package_export import package_to_file_data
from lessons.package_file import (
    MAX_ZIP_BYTES,
    LoadResult,
    attach_pictures,
    digest_of,
    load_package_upload,
    stored_picture,
)
from lessons.package_rules import PackageFileError, validate
from lessons.step_kinds import CHILDREN


@transaction.atomic
def class_session_open(
    *,
    teacher,
    package: Package,
    label: str = "",
    year_group: str = "",
    max_students: int | None = None,
    pace: str = Pace.SELF,
) -> ClassSession:
    now = timezone.now()
    return ClassSession.objects.create(
        teacher=teacher,
        package=package,
        label=label,
        year_group=year_group,
        pace=pace,
        join_code=ClassSession.unused_join_code(),
        created_at=now,
        closes_at=now + ClassSession.lifetime(),
        **({"max_students": max_students} if max_students else {}),
    )


def class_session_admit(*, class_session: ClassSession) -> bool:
    """Take one place for a newly joining device; False when the class is full.

    One conditional UPDATE, so simultaneous joins each take a different place (the database serialises the
    row) and can never go past the limit, and none is lost: the row lock is held only for the update.
    """
    taken = ClassSession.objects.filter(pk=class_session.pk, students_joined__lt=F("max_students")).update(
        students_joined=F("students_joined") + 1
    )
    return taken == 1


def class_session_set_places(*, class_session: ClassSession, max_students: int) -> None:
    """Change the number of places; never below the devices already in (the database refuses that too)."""
    ClassSession.objects.filter(pk=class_session.pk, students_joined__lte=max_students).update(
        max_students=max_students
    )
    class_session.refresh_from_db(fields=["max_students", "students_joined"])


def _forget_state(class_session: ClassSession) -> None:
    """This process's students' pages see the change at once (live.recent_states): now, and once it is
    committed, in case another request read the row in between."""
    live.recent_states.forget(class_session.pk)
    transaction.on_commit(functools.partial(live.recent_states.forget, class_session.pk))


@transaction.atomic
def class_session_close(*, class_session: ClassSession) -> None:
    """Close the session: its code stops working, and its live data is deleted: what the class sent (votes,
    answers, questions) and where devices were."""
    if class_session.closed_at is None:
        class_session.closed_at = timezone.now()
        class_session.save(update_fields=["closed_at"])
    _forget_state(class_session)
    responses_delete(class_session=class_session)
    LivePresence.objects.filter(class_session=class_session).delete()


@transaction.atomic
def class_session_reopen(*, class_session: ClassSession) -> None:
    """Reopen for another day; a new code is issued if another open session took the old one meanwhile."""
    if class_session.is_open:
        return
    if ClassSession.objects.open().filter(join_code=class_session.join_code).exists():
        class_session.join_code = ClassSession.unused_join_code()
    class_session.closed_at = None
    class_session.closes_at = timezone.now() + ClassSession.lifetime()
    class_session.save(update_fields=["join_code", "closed_at", "closes_at"])
    _forget_state(class_session)


@transaction.atomic
def package_start_draft(*, source: Package) -> Package:
    """A new draft of the package, copied from `source`, numbered as the next version. One draft at a time."""
    existing = Package.objects.drafts().filter(slug=source.slug).first()
    if existing is not None:
        return existing
    return package_draft_copy(source=source)


# A package's content, in the order it is copied: each model with rows under the package, and the models
# with rows under those rows. Every one has a position, and a copy keeps it.
PACKAGE_CONTENT = [
    (Step, [children.model for children in CHILDREN]),
    (SupportService, []),
    (Strategy, [ExampleLine]),
    (PressureSign, []),
    (AlreadyHappenedStep, []),
    (Question, []),
]


@transaction.atomic
def package_draft_copy(*, source: Package) -> Package:
    """Copy `source` and all its content, row by row, as a draft numbered after the newest version."""
    newest = Package.objects.filter(slug=source.slug).order_by("-version").first()
    draft = Package.objects.create(
        slug=source.slug,
        version=newest.version + 1,
        title=source.title,
        audience=source.audience,
        ground_rules=source.ground_rules,
        teacher_notes=source.teacher_notes,
        # Pictures are never changed, only replaced, so the draft shares them with the version it copies.
        start_picture_id=source.start_picture_id,
        start_picture_alt=source.start_picture_alt,
        start_picture_decorative=source.start_picture_decorative,
    )
    for model, child_models in PACKAGE_CONTENT:
        copies = _copy_rows(model, Package, {source.pk: draft})
        for child_model in child_models:
            _copy_rows(child_model, model, copies)
    return draft


def _copy_rows(model, parent_model, parents: dict[int, models.Model]) -> dict[int, models.Model]:
    """Copy the rows of `model` under the old parents (rows of `parent_model`, by id) to their new parents, in
    order; returns the copies by the id of the row each copies."""
    parent_field = next(
        f.name for f in model._meta.get_fields() if f.many_to_one and f.related_model is parent_model
    )
    rows = list(
        model.objects.filter(**{f"{parent_field}__in": list(parents)}).order_by(parent_field, "position")
    )
    old_ids = [row.pk for row in rows]
    for row in rows:
        row.pk = None
        setattr(row, parent_field, parents[getattr(row, f"{parent_field}_id")])
    return dict(zip(old_ids, model.objects.bulk_create(rows), strict=True))


def package_problems(package: Package) -> str | None:
    """What stops this package from being published (a branch to a missing step, a choice without options,
    a service without contact details, ...), by the rules a package file meets; None when it is sound."""
    try:
        _checked_data(package)
    except PackageFileError as error:
        return str(error)
    return None


def _checked_data(package: Package) -> dict:
    source = f"{package.title} (draft)"
    return attach_pictures(validate(package_to_file_data(package), source=source), stored_picture, source)


@transaction.atomic
def package_publish(*, package: Package) -> Package:
    """Freeze a draft as the next version. A published version never changes again."""
    package = Package.objects.select_for_update().get(pk=package.pk)
    if not package.is_draft:
        raise PackageFileError(f"{package} is already published")
    data = _checked_data(package)
    newest = Package.objects.published().filter(slug=package.slug).order_by("-version").first()
    package.version = (newest.version + 1) if newest else 1
    package.digest = digest_of({**data, "version": package.version})
    package.published_at = timezone.now()
    package.save(update_fields=["version", "digest", "published_at"])
    return package


def package_import(*, upload) -> LoadResult:
    """Load an uploaded package file, YAML or a zip with pictures (read no further than MAX_ZIP_BYTES): all of
    it, or none of it with a PackageFileError naming the problem. The same file again changes nothing."""
    return load_package_upload(upload.read(MAX_ZIP_BYTES + 1), upload.name)
