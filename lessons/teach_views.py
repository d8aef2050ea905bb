"""Teacher pages: class sessions, their join code and QR code, and pilot leads' previews of packages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.access import pilot_lead_required
from lessons import services, walkthrough
from lessons.access import class_session_for_teacher
from lessons.forms import ClassSessionForm, PlacesForm
from lessons.join_links import join_links, join_qr_svg
from lessons.models import ClassSession, Package
from lessons.views import step_context


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard(request):
    form = ClassSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        class_session = services.class_session_open(
            teacher=request.user,
            package=form.cleaned_data["package"],
            label=form.cleaned_data["label"],
            year_group=form.cleaned_data["year_group"],
            max_students=form.cleaned_data["max_students"],
            pace=form.cleaned_data["pace"],
        )
        return redirect(class_session)
    sessions = ClassSession.objects.filter(teacher=request.user).select_related("package")
    return render(request, "teach/dashboard.html", {"form": form, "sessions": sessions})


def _session_page(request, class_session: ClassSession, places_form: PlacesForm | None = None, status=200):
    places_form = places_form or PlacesForm(
        initial={"max_students": class_session.max_students}, class_session=class_session
    )
    return render(
        request,
        "teach/session.html",
        {
            "class_session": class_session,
            **join_links(request, class_session),
            "places_form": places_form,
        },
        status=status,
    )


@login_required
@require_safe
def session_detail(request, pk: int):
    return _session_page(request, class_session_for_teacher(request.user, pk))


@login_required
@require_POST
def session_places(request, pk: int):
    class_session = class_session_for_teacher(request.user, pk)
    form = PlacesForm(request.POST, class_session=class_session)
    if not form.is_valid():
        return _session_page(request, class_session, form, status=400)
    services.class_session_set_places(
        class_session=class_session, max_students=form.cleaned_data["max_students"]
    )
    messages.success(request, f"The session now has {class_session.max_students} places.")
    return redirect(class_session)


@login_required
@require_safe
def session_qr(request, pk: int):
    class_session = class_session_for_teacher(request.user, pk)
    return HttpResponse(join_qr_svg(request, class_session), content_type="image/svg+xml")


@login_required
@require_POST
def session_close(request, pk: int):
    class_session = class_session_for_teacher(request.user, pk)
    services.class_session_close(class_session=class_session)
    messages.success(request, "The session is closed. Its code no longer works.")
    return redirect(class_session)


@login_required
@require_POST
def session_reopen(request, pk: int):
    class_session = class_session_for_teacher(request.user, pk)
    services.class_session_reopen(class_session=class_session)
    messages.success(request, f"The session is open again with code {class_session.join_code}.")
    return redirect(class_session)


@pilot_lead_required
@require_safe
def preview(request, package_id: int):
    """A package (usually a draft) exactly as a student would see it, without publishing it."""
    package = get_object_or_404(Package, pk=package_id)
    route = walkthrough.route_for(package.pk)
    return render(
        request,
        "lessons/rules.html",
        {
            "package": package,
            "route": route,
            # The preview has no check-in to send: its "next" is the story's first step.
            "next_url": reverse("teach:preview_step", args=[package.pk, route.first.key]),
            "preview": str(package),
        },
    )


@pilot_lead_required
@require_safe
def preview_step(request, package_id: int, key: str):
    package = get_object_or_404(Package, pk=package_id)
    content = walkthrough.LessonContent.load(package.pk)  # never cached: a draft changes as it is edited
    current = content.route.find(key) if content else None
    if current is None:
        raise Http404("No such step in this package.")
    context = step_context(
        request,
        content,
        current,
        step_url=lambda step_key: reverse("teach:preview_step", args=[package.pk, step_key]),
        rules_url=reverse("teach:preview", args=[package.pk]),
        end_url=reverse("teach:preview", args=[package.pk]),
    )
    return render(request, "lessons/step.html", {**context, "preview": str(package)})
