"""Import a school's anonymous results bundle: all of it or nothing, and counted once however often."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from feedback.bundles.combined import replacement_note
from feedback.bundles.file import MAX_BYTES, BundleError
from feedback.bundles.importing import bundle_import


class Command(BaseCommand):
    help = (
        "Import a results bundle exported by a school. Importing the same bundle twice changes nothing; a "
        "later bundle holding the same class sessions replaces the earlier one."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE")

    def handle(self, *args, file: str, **options):
        path = Path(file)
        try:
            if path.stat().st_size > MAX_BYTES:
                raise CommandError(
                    f"{path}: larger than a results bundle can be ({MAX_BYTES // 1_000_000} MB)."
                )
            raw = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: cannot be read ({error.strerror}).") from None
        try:
            bundle, created = bundle_import(raw=raw)
        except BundleError as error:
            raise CommandError(f"{path}: nothing was imported. {error}") from None
        versions = bundle.versions.count()
        if created:
            self.stdout.write(
                f"Imported the results bundle from {bundle.source} ({bundle.exported_month}): "
                f"{versions} package version{'s' if versions != 1 else ''}." + replacement_note(bundle)
            )
        else:
            self.stdout.write(
                f"Already imported, nothing changed: the results bundle from {bundle.source} "
                f"({bundle.exported_month})."
            )
