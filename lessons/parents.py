"""The public page for parents and carers, and the one-page handout a school can send home."""

import hashlib
import threading

from django.conf import settings
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from lessons.join_links import qr_svg
from lessons.models import Package
from pdf.engine import PdfBusy, render_pdf
from pdf.responses import pdf_response
from pdf.stylesheets import stylesheet

HANDOUT_STYLESHEET = stylesheet("lessons/parents/handout.css")
# Browsers and proxies may keep the handout this long; its ETag lets them check for a new version after.
HANDOUT_MAX_AGE_SECONDS = 60 * 60


def _newest_package() -> Package | None:
    return Package.objects.latest_versions().first()


def _context(package: Package | None) -> dict:
    # Services for adults come first for parents; the package owns the list and its numbers.
    services = list(package.support_services.adults_first()) if package else []
    return {"package": package, "services": services}


@require_safe
def parents(request):
    return render(request, "lessons/parents/page.html", _context(_newest_package()))


def _school() -> dict:
    """The school this server belongs to, from the settings: a blank value leaves a line to write on."""
    return {"name": settings.SCHOOL_NAME, "safeguarding_contact": settings.SCHOOL_SAFEGUARDING_CONTACT}


def _handout_context(package: Package | None, site_url: str) -> dict:
    title = f"QR code that opens {site_url}"
    return {
        **_context(package),
        "school": _school(),
        "site_url": site_url,
        # segno's own SVG markup for a URL the server built: nothing in it comes from a visitor.
        "site_qr": mark_safe(qr_svg(site_url, title=title, scale=3).decode()),  # noqa: S308
    }


# The handout, rendered once per process for each package version and then served from memory (a render
# takes over a second and shares the PDF slots with students' plans). What it may hold: the public handout
# only, the same for every visitor, made from a published package version's content, the server's own
# settings (the school's name and contact) and address, and the bundled template and stylesheets. It is keyed
# by the version's primary key and content digest and by the site's address and the school settings, so a
# new version renders anew; only the newest entry is kept. It would be unsafe if the handout ever showed
# anything about who asked (a class session, a user), or if its template changed without a restart (both
# ship with the code, and a deploy restarts the app). The address is one of ALLOWED_HOSTS, as Django checks
# it. Kept in memory rather than on disk under DATA_DIR: nothing to clean up or to go stale across versions,
# it works on read-only and multi-server set-ups, and each worker renders once.
_handouts: dict[tuple, bytes] = {}
_handout_rendering = threading.Lock()


def handout_for(package: Package | None, *, site_url: str) -> bytes:
    """The handout's PDF for `package`, giving `site_url` as the site's address, rendered on first use;
    raises PdfBusy or PdfUnavailable as render_pdf."""
    version = (package.pk, package.digest) if package else (None, "")
    key = (*version, site_url, *_school().values())
    if handout := _handouts.get(key):
        return handout
    # One render at a time: a crowd asking for a new version waits for the one render instead of queueing its
    # own renders behind the students' plans.
    if not _handout_rendering.acquire(timeout=settings.PDF_QUEUE_SECONDS):
        raise PdfBusy("The handout is still being made.")
    try:
        if handout := _handouts.get(key):
            return handout
        handout = render_pdf(
            render_to_string("lessons/parents/handout.html", _handout_context(package, site_url)),
            title="Talking with your child about nudes: a guide for parents and carers",
            stylesheets=(HANDOUT_STYLESHEET,),
        )
        _handouts.clear()
        _handouts[key] = handout
        return handout
    finally:
        _handout_rendering.release()


@require_safe
def handout(request):
    package, site_url = _newest_package(), request.build_absolute_uri("/")
    response = pdf_response(
        request,
        lambda: handout_for(package, site_url=site_url),
        filename="personal-plan-parents-handout.pdf",
        problem_template="lessons/parents/handout_unavailable.html",
        inline=True,
    )
    if response.status_code != 200:
        return response
    # From the PDF itself, so a new version or a changed template gets a new ETag.
    etag = f'"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    response["ETag"] = etag
    patch_cache_control(response, public=True, max_age=HANDOUT_MAX_AGE_SECONDS)
    return get_conditional_response(request, etag=etag, response=response)
