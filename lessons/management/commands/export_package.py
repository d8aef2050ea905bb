"""Write a published package version out as a package file, to send to other schools' servers."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Package
from lessons.package_export import package_to_yaml


class Command(BaseCommand):
    help = "Export a published package version (the newest unless --version) as a YAML package file."

    def add_arguments(self, parser):
        parser.add_argument("slug")
        parser.add_argument("--package-version", type=int, help="Default: the newest published version.")
        parser.add_argument("-o", "--output", help="File to write (default: print it).")

    def handle(self, *args, slug: str, package_version: int | None, output: str | None, **options):
        versions = Package.objects.published().filter(slug=slug).order_by("-version")
        if package_version is not None:
            versions = versions.filter(version=package_version)
        package = versions.first()
        if package is None:
            raise CommandError(
                f"No published version of {slug!r}{f' numbered {package_version}' if package_version else ''}."
            )
        text = package_to_yaml(package)
        if output:
            Path(output).write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {package} to {output}.")
        else:
            self.stdout.write(text, ending="")
