"""Load a lesson package from its file (YAML, or a zip with pictures): all or nothing, and idempotent."""

from django.core.management.base import BaseCommand, CommandError

from lessons.package_file import PackageFileError, load_package_file


class Command(BaseCommand):
    help = "Load lesson package files, YAML or zip (see packages/README.md). Loading a file twice changes nothing."

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH")

    def handle(self, *args, paths: list[str], **options):
        for path in paths:
            try:
                result = load_package_file(path)
            except PackageFileError as error:
                raise CommandError(str(error)) from None
            package = result.package
            verb = "Loaded" if result.created else "Already loaded, nothing changed:"
            self.stdout.write(
                f"{verb} {package.title} (version {package.version}, {package.steps.count()} steps)"
            )
