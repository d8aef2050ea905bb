"""The public page for parents and carers, and the one-page handout a school can send home."""

from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_safe

from lessons.models import Package
from plans.pdf import BASE_STYLESHEET, PdfBusy, PdfUnavailable, render_pdf

HANDOUT_STYLESHEET = Path(settings.BASE_DIR) / "static" / "parents" / "handout.css"
# Services for adults come first on the parents' page; the package owns the list and its numbers.
FOR_ADULTS_FIRST = ["nspcc-helpline", "stop-it-now", "ceop", "report-remove", "childline", "emergency"]


def _context() -> dict:
    package = Package.objects.latest_versions().first()
    services = list(package.support_services.all()) if package else []
    order = {key: number for number, key in enumerate(FOR_ADULTS_FIRST)}
    services.sort(key=lambda service: order.get(service.key, len(order)))
    return {"package": package, "services": services}


@require_safe
def parents(request):
    return render(request, "parents/page.html", _context())


@require_safe
def handout(request):
    html = render_to_string("parents/handout.html", _context())
    try:
        pdf = render_pdf(
            html,
            title="Talking with your child about nudes: a guide for parents and carers",
            stylesheets=(BASE_STYLESHEET, HANDOUT_STYLESHEET),
        )
    except (PdfBusy, PdfUnavailable):
        return render(request, "parents/handout_unavailable.html", status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="personal-plan-parents-handout.pdf"'
    return response
