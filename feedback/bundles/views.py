"""Results bundle pages: a school exports its anonymous figures; a pilot lead imports schools' bundles and reads
the combined results per package version."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import pilot_lead_required
from feedback.bundles import combined, export, importing
from feedback.bundles import file as bundle_file
from feedback.bundles import keys as bundle_keys
from feedback.forms import BundleExportForm, BundleUploadForm
from feedback.models import ResultsBundle, SchoolKey


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def bundle_export(request):
    """The export page lists what the file will hold; sending the form downloads it."""
    form = BundleExportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        bundle = export.bundle_for(
            user=request.user,
            school=form.cleaned_data["school"],
            include_comments=form.cleaned_data["include_comments"],
        )
        response = HttpResponse(bundle_file.to_json(bundle), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{export.bundle_filename(bundle)}"'
        return response
    preview = export.bundle_for(user=request.user)
    context = {
        "form": form,
        "preview": preview["contents"],
        "fingerprint": bundle_keys.fingerprint(preview["public_key"]),
    }
    return render(request, "feedback/bundle_export.html", context, status=400 if form.errors else 200)


@pilot_lead_required
@require_http_methods(["GET", "HEAD", "POST"])
def bundle_list(request):
    """Import a school's bundle (all of it or nothing), and the package versions bundles have results for."""
    form = BundleUploadForm(request.POST or None, request.FILES or None, max_bytes=bundle_file.MAX_BYTES)
    if request.method == "POST" and form.is_valid():
        try:
            bundle, created = importing.bundle_import(raw=form.cleaned_data["file"].read())
        except bundle_file.BundleError as error:
            form.add_error("file", f"Nothing was imported. {error}")
        else:
            if created:
                messages.success(
                    request,
                    f"Imported the results bundle from {bundle.source} ({bundle.exported_month})."
                    + combined.replacement_note(bundle),
                )
            else:
                messages.info(
                    request,
                    f"This bundle was already imported on {timezone.localtime(bundle.imported_at):%d %b %Y}, so "
                    "nothing has "
                    "changed: it is counted once.",
                )
            return redirect("feedback:bundles")
    rows = combined.imported_rows()
    replaced = combined.replaced_rows(rows)
    imported = list(ResultsBundle.objects.annotate(package_versions=Count("versions")))
    for bundle in imported:
        bundle.replaced_versions = sum(1 for row in rows if row.bundle_id == bundle.pk and row.pk in replaced)
    context = {
        "form": form,
        "versions": combined.combined_versions(rows, replaced),
        "bundles": imported,
        "waiting_keys": importing.waiting_keys(),
    }
    return render(request, "feedback/bundles.html", context, status=400 if form.errors else 200)


@pilot_lead_required
@require_safe
def bundle_results(request, slug: str, version: int, digest: str):
    result = combined.combined_result(slug=slug, version=version, digest=digest)
    if result is None:
        raise Http404("No imported bundle has results for this package version.")
    return render(request, "feedback/bundle_results.html", {"combined": result})


@pilot_lead_required
@require_POST
def bundle_delete(request, pk: int):
    bundle = get_object_or_404(ResultsBundle, pk=pk)
    bundle.delete()
    messages.success(
        request,
        f"Removed the results bundle from {bundle.source} ({bundle.exported_month}); its figures are no longer "
        "in the combined results.",
    )
    return redirect("feedback:bundles")


@pilot_lead_required
@require_POST
def school_key_accept(request, pk: int):
    """The pilot lead trusts a school's new key, having compared its fingerprint with the school's."""
    key = get_object_or_404(SchoolKey, pk=pk, status=SchoolKey.Status.WAITING)
    importing.school_key_accept(key=key)
    messages.success(
        request,
        f"Bundles for {key.school} signed by the key {key.fingerprint} are accepted from now on; bundles "
        "signed by its earlier key are refused. Import the school's bundle again.",
    )
    return redirect("feedback:bundles")


@pilot_lead_required
@require_POST
def school_key_dismiss(request, pk: int):
    key = get_object_or_404(SchoolKey, pk=pk, status=SchoolKey.Status.WAITING)
    key.delete()
    messages.success(
        request, f"Dismissed the key {key.fingerprint}: bundles for {key.school} signed by it stay refused."
    )
    return redirect("feedback:bundles")
