"""The public page for parents and carers, and the one-page handout a school can send home."""

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import require_safe

from lessons.models import Package
from plans.pdf import BASE_STYLESHEET, PdfBusy, PdfUnavailable, render_pdf

HANDOUT_STYLESHEET = Path(settings.BASE_DIR) / "static" / "parents" / "handout.css"
# Services for adults come first on the parents' page; the package owns the list and its numbers.
FOR_ADULTS_FIRST = ["nspcc-helpline", "stop-it-now", "ceop", "report-remove", "childline", "emergency"]
# Browsers and proxies may keep the handout this long; its ETag lets them check for a new version after.
HANDOUT_MAX_AGE_SECONDS = 60 * 60


def _newest_package() -> Package | None:
    return Package.objects.latest_versions().first()


def _context(package: Package | None) -> dict:
    services = list(package.support_services.all()) if package else []
    order = {key: number for number, key in enumerate(FOR_ADULTS_FIRST)}
    services.sort(key=lambda service: order.get(service.key, len(order)))
    return {"package": package, "services": services}


@require_safe
def parents(request):
    return render(request, "parents/page.html", _context(_newest_package()))


@dataclass(frozen=True)
class Handout:
    pdf: bytes
    etag: str


# The handout, rendered once per process for each package version and then served from memory (a render
# takes over a second and shares the PDF slots with students' plans). What it may hold: the public handout
# only, the same for every visitor, made from a published package version's content and the bundled template
# and stylesheets. It is keyed by the version's primary key and content digest, so a new version renders
# anew; only the newest entry is kept. It would be unsafe if the handout ever showed anything about who asked
# (a school, a class session, a user), or if its template changed without a restart (both ship with the code,
# and a deploy restarts the app). Kept in memory rather than on disk under DATA_DIR: nothing to clean up or
# to go stale across versions, it works on read-only and multi-server set-ups, and each worker renders once.
_handouts: dict[tuple[int | None, str], Handout] = {}
_handout_rendering = threading.Lock()


def handout_for(package: Package | None) -> Handout:
    """The handout for `package`, rendered on first use; raises PdfBusy or PdfUnavailable as render_pdf."""
    key = (package.pk, package.digest) if package else (None, "")
    if handout := _handouts.get(key):
        return handout
    # One render at a time: a crowd asking for a new version waits for the one render instead of queueing its
    # own renders behind the students' plans.
    if not _handout_rendering.acquire(timeout=settings.PLAN_PDF_QUEUE_SECONDS):
        raise PdfBusy("The handout is still being made.")
    try:
        if handout := _handouts.get(key):
            return handout
        pdf = render_pdf(
            render_to_string("parents/handout.html", _context(package)),
            title="Talking with your child about nudes: a guide for parents and carers",
            stylesheets=(BASE_STYLESHEET, HANDOUT_STYLESHEET),
        )
        handout = Handout(pdf=pdf, etag=f'"{hashlib.sha256(pdf).hexdigest()[:32]}"')
        _handouts.clear()
        _handouts[key] = handout
        return handout
    finally:
        _handout_rendering.release()


@require_safe
def handout(request):
    try:
        handout = handout_for(_newest_package())
    except (PdfBusy, PdfUnavailable):
        return render(request, "parents/handout_unavailable.html", status=503)
    response = HttpResponse(handout.pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'inline; filename="personal-plan-parents-handout.pdf"'
    response["ETag"] = handout.etag
    patch_cache_control(response, public=True, max_age=HANDOUT_MAX_AGE_SECONDS)
    return get_conditional_response(request, etag=handout.etag, response=response)
