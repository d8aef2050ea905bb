"""Plan pages: the builder's parts, the summary, the print view, the PDF, "delete my plan now" and "finish and
clear this computer".

Every page is for an anonymous student's own session: nothing is cached, POST data is kept out of error
reports, and a signed-in teacher is turned away (a teacher's session never holds a student's plan).
"""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lessons import live, plan_counts, presence, walkthrough
from pdf.responses import pdf_response
from plans import parts
from plans.pdf import POCKET_CARD_LINE_CHARACTERS, POCKET_CARD_LINES, render_plan_pdf
from plans.plan import PackageContent, Plan, plan_delete, plan_package, plan_save, plan_state


def _render(request, template_name: str, context: dict | None = None, status: int = 200):
    """Render with what every plan page's privacy note and "Step N of M" need."""
    hours = max(1, min(settings.PLAN_MAX_AGE_SECONDS, settings.SESSION_COOKIE_AGE) // 3600)
    place = walkthrough.place_in_lesson(request.session, walkthrough.PLAN)
    return render(
        request, template_name, {"plan_hours": hours, "place": place, **(context or {})}, status=status
    )


def students_only(view):
    """Plans belong to students' sessions; a signed-in teacher gets a page saying so, never a plan."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return render(request, "plans/signed_in.html", status=403)
        return view(request, *args, **kwargs)

    return never_cache(wrapper)


def _content(request) -> PackageContent | None:
    package = plan_package(request.session)
    return PackageContent.load(package) if package else None


def _no_package(request):
    return render(request, "plans/no_package.html", status=503)


@require_safe
@students_only
def start(request):
    presence.arrive(request.session, live.PLAN)
    return _render(
        request,
        "plans/start.html",
        {
            "has_plan": plan_state(request.session) is not None,
            "first": parts.PARTS[0],
            "total": len(parts.PARTS),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@sensitive_post_parameters()
@students_only
def part(request, key: str):
    part = parts.find(key)
    if part is None:
        raise Http404("No such part of the plan.")
    content = _content(request)
    if content is None:
        return _no_package(request)
    state = plan_state(request.session) or {}
    if state.get("package") not in (None, content.package.pk):
        state = {}
    previous, following = parts.neighbours(part)
    if request.method == "POST":
        going_back = "back" in request.POST
        form = part.form_class(request.POST, content=content, state=state, complete=not going_back)
        if form.is_valid():
            plan_save(request.session, package=content.package, changes=form.changes())
            presence.plan_made(request.session)  # counted once, for the console: never what it says
            plan_counts.plan_made(request.session)  # and once for the results, as a number alone
            if going_back:
                return redirect(
                    reverse("plans:part", args=[previous.key]) if previous else reverse("plans:start")
                )
            return redirect(
                reverse("plans:part", args=[following.key]) if following else reverse("plans:summary")
            )
    else:
        form = part.form_class(content=content, state=state)
        presence.arrive(request.session, live.PLAN)
    return _render(
        request,
        part.template_name,
        {
            "part": part,
            "form": form,
            "content": content,
            "number": parts.PARTS.index(part) + 1,
            "total": len(parts.PARTS),
            "previous": previous,
        },
    )


@require_safe
@students_only
def summary(request):
    content = _content(request)
    if content is None:
        return _no_package(request)
    plan = Plan.from_state(plan_state(request.session), content)
    return _render(request, "plans/summary.html", {"plan": plan})


def _finished_plan(request, doing: str):
    """The student's plan when it has at least one line; otherwise the response to send instead."""
    content = _content(request)
    if content is None:
        return None, _no_package(request)
    plan = Plan.from_state(plan_state(request.session), content)
    if not plan.ready:
        messages.info(request, f"Add at least one line to your plan first, then you can {doing} it.")
        return None, redirect("plans:summary")
    return plan, None


@require_safe
@students_only
def print_view(request):
    plan, instead = _finished_plan(request, "print")
    if instead:
        return instead
    card_lines = plan.card_lines(POCKET_CARD_LINES, POCKET_CARD_LINE_CHARACTERS)
    return _render(request, "plans/print.html", {"plan": plan, "card_lines": card_lines})


@require_safe
@students_only
def download(request):
    plan, instead = _finished_plan(request, "download")
    if instead:
        return instead
    response = pdf_response(
        request,
        lambda: render_plan_pdf(plan),
        filename="my-plan.pdf",
        problem_template="plans/pdf_problem.html",
    )
    if response.status_code == 200:
        plan_counts.plan_downloaded(request.session)  # once for the results, as a number alone
    return response


@require_POST
@students_only
def delete(request):
    plan_delete(request.session)
    messages.success(
        request,
        "Your plan has been deleted from this site. A copy you downloaded or printed is still yours to keep or "
        "throw away.",
    )
    return redirect("plans:start")


# Asks the browser to drop everything this site left in it: cookies, storage and cached pages (the back
# button's copies included), so the next person at a shared computer finds nothing.
CLEAR_SITE_DATA = '"cache", "cookies", "storage"'


@require_POST
def finish(request):
    """Ends the whole session on this computer: plan, place in the lesson, everything (and a teacher who
    presses it is signed out, which is what a shared computer needs too)."""
    request.session.flush()
    response = redirect("plans:cleared")
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@require_safe
@never_cache
def cleared(request):
    return render(request, "plans/cleared.html")
