"""Writes that span models: class sessions (open, admit, close, reopen) and package drafts (start, publish)."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from lessons.models import ClassSession, Package
from lessons.package_export import package_to_yaml


@transaction.atomic
def class_session_open(
    *, teacher, package: Package, label: str = "", max_students: int | None = None
) -> ClassSession:
    now = timezone.now()
    return ClassSession.objects.create(
        teacher=teacher,
        package=package,
        label=label,
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


@transaction.atomic
def class_session_close(*, class_session: ClassSession) -> None:
    if class_session.closed_at is None:
        class_session.closed_at = timezone.now()
        class_session.save(update_fields=["closed_at"])


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


@transaction.atomic
def package_start_draft(*, source: Package) -> Package:
    """A new draft of the package, copied from `source`, numbered as the next version. One draft at a time."""
    from lessons.package_file import create_package_content, parse_package

    existing = Package.objects.drafts().filter(slug=source.slug).first()
    if existing is not None:
        return existing
    newest = Package.objects.filter(slug=source.slug).order_by("-version").first()
    data = parse_package(package_to_yaml(source), f"{source.slug} version {source.version}")
    draft = Package.objects.create(
        slug=source.slug,
        version=newest.version + 1,
        title=source.title,
        audience=source.audience,
        ground_rules=source.ground_rules,
        teacher_notes=source.teacher_notes,
    )
    create_package_content(draft, data)
    return draft


def package_problems(package: Package) -> str | None:
    """What stops this package from being published (a branch to a missing step, a choice without options,
    a service without contact details, ...), in the words the file loader uses; None when it is sound."""
    from lessons.package_file import PackageFileError, parse_package

    try:
        parse_package(package_to_yaml(package), f"{package.title} (draft)")
    except PackageFileError as error:
        return str(error)
    return None


@transaction.atomic
def package_publish(*, package: Package) -> Package:
    """Freeze a draft as the next version. A published version never changes again."""
    from lessons.package_file import PackageFileError, digest_of, parse_package

    package = Package.objects.select_for_update().get(pk=package.pk)
    if not package.is_draft:
        raise PackageFileError(f"{package} is already published")
    data = parse_package(package_to_yaml(package), f"{package.title} (draft)")
    newest = Package.objects.published().filter(slug=package.slug).order_by("-version").first()
    package.version = (newest.version + 1) if newest else 1
    package.digest = digest_of({**data, "version": package.version})
    package.published_at = timezone.now()
    package.save(update_fields=["version", "digest", "published_at"])
    return package
