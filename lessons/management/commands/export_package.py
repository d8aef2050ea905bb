"""Write a published package version out as a package file, to send to other schools' servers."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from lessons.models import Package
from lessons.package_export import package_file, package_pictures, package_to_yaml


class Command(BaseCommand):
    help = (
        "Export a published package version (the newest unless --version) as a package file: YAML, or a "
        "zip of package.yaml and its pictures when it has any."
    )

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
        if output:
            name, data, _ = package_file(package)
            if Path(output).suffix != Path(name).suffix:
                raise CommandError(f"{package} is a {Path(name).suffix} file: name the output {name}.")
            Path(output).write_bytes(data)
            self.stdout.write(f"Wrote {package} to {output}.")
        elif package_pictures(package):
            raise CommandError(f"{package} has pictures: give -o FILE.zip to write it as a zip.")
        else:
            self.stdout.write(package_to_yaml(package), ending="")
