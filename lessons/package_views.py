"""The pilot lead's packages page: every version of each package, and its drafts, with what can be done to them.

Each button calls the same service as the admin's actions (lessons.services); a step's words are edited in the
admin, linked from a draft's row.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import pilot_lead_required
from lessons import services
from lessons.forms import PackageImportForm
from lessons.models import Package
from lessons.package_export import package_file
from lessons.package_rules import PackageFileError


@dataclass(frozen=True)
class VersionRow:
    package: Package
    previous: Package | None  # the published version before it, to compare with
    problems: str | None  # what stops a draft from being published


@dataclass(frozen=True)
class PackageRows:
    slug: str
    title: str
    versions: list[VersionRow]  # newest first, a draft (if any) at the top
    has_draft: bool


def package_rows() -> list[PackageRows]:
    by_slug: dict[str, list[Package]] = {}
    for package in Package.objects.order_by("slug", "-version"):
        by_slug.setdefault(package.slug, []).append(package)
    rows = []
    for slug, packages in by_slug.items():
        published = [package for package in packages if not package.is_draft]
        versions = []
        for package in packages:
            earlier = [other for other in published if other.version < package.version]
            previous = earlier[0] if earlier and not package.is_draft else None
            problems = services.package_problems(package) if package.is_draft else None
            versions.append(VersionRow(package, previous, problems))
        rows.append(
            PackageRows(
                slug=slug,
                title=packages[0].title,
                versions=versions,
                has_draft=any(package.is_draft for package in packages),
            )
        )
    return rows


def _page(request, form: PackageImportForm, status: int = 200):
    return render(request, "teach/packages.html", {"packages": package_rows(), "form": form}, status=status)


@pilot_lead_required
@require_safe
def packages(request):
    return _page(request, PackageImportForm())


@pilot_lead_required
@require_POST
def package_import(request):
    form = PackageImportForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            result = services.package_import(upload=form.cleaned_data["file"])
        except PackageFileError as error:
            form.add_error("file", f"Nothing was imported. {error}")
        else:
            verb = "Imported" if result.created else "Already here, nothing changed:"
            messages.success(request, f"{verb} {result.package}.")
            return redirect("teach:packages")
    return _page(request, form, status=400)


@pilot_lead_required
@require_POST
def package_start_draft(request, pk: int):
    source = get_object_or_404(Package.objects.published(), pk=pk)
    draft = services.package_start_draft(source=source)
    messages.success(
        request, f"Editing {draft}. Preview it, edit its steps, then publish it when it is ready."
    )
    return redirect("teach:packages")


@pilot_lead_required
@require_POST
def package_publish(request, pk: int):
    draft = get_object_or_404(Package.objects.drafts(), pk=pk)
    try:
        published = services.package_publish(package=draft)
    except PackageFileError as error:
        messages.error(request, f"Not published: {error}")
    else:
        messages.success(request, f"Published {published}.")
    return redirect("teach:packages")


@pilot_lead_required
@require_http_methods(["GET", "HEAD"])
def package_download(request, pk: int):
    package = get_object_or_404(Package, pk=pk)
    name, data, content_type = package_file(package)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
