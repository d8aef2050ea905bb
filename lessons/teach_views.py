"""Teacher pages: class sessions, their join code and QR code, and the presenter view."""

import unicodedata
from functools import wraps

import segno
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lessons import services, throttle, walkthrough
from lessons.forms import ClassSessionForm, PlacesForm
from lessons.models import ClassSession, Package
from lessons.step_kinds import STEP_KINDS
from lessons.views import step_context


def login_failure_key(username: str, address: str) -> str:
    """The counter for one account from one address.

    Django checks the password of the NFKC-normalised username (and a database may match it ignoring case),
    so the count keys on the same normalised, case-folded text: a look-alike spelling such as a fullwidth
    digit, an extra space or capitals is the same account and gets no fresh allowance.
    """
    account = unicodedata.normalize("NFKC", username.strip()).strip().casefold()
    return throttle.failure_key("login", f"{account}|{address}")


class ThrottledLoginView(LoginView):
    """Django's log-in, with a cool-off after repeated wrong passwords for one username from one address.

    Keyed on both together, so one shared staff-room address never locks every teacher out, and counted in
    the database, so the limit holds across every process and server.
    """

    def _failure_key(self) -> str:
        return login_failure_key(self.request.POST.get("username", ""), throttle.client_address(self.request))

    def post(self, request, *args, **kwargs):
        window = settings.LOGIN_FAILURE_WINDOW_SECONDS
        if throttle.over_limit({self._failure_key(): settings.LOGIN_FAILURES_ALLOWED}, window):
            # An unbound form: a locked account's password is not even checked.
            form = self.get_form_class()(
                request, initial={"username": request.POST.get("username", "")[:150]}
            )
            context = self.get_context_data(form=form, locked_minutes=max(1, window // 60))
            return self.render_to_response(context, status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        throttle.record_failure([self._failure_key()], settings.LOGIN_FAILURE_WINDOW_SECONDS)
        return super().form_invalid(form)


@never_cache
def admin_login(request):
    """The admin's log-in page (admin.site.login, step for step) behind the teachers' cool-off.

    Django's own admin log-in has no limit at all; config.urls routes /admin/login/ here, ahead of the admin,
    so every account (teacher, pilot lead, superuser) shares one counter whichever page it is guessed on.
    """
    site = admin.site
    if request.method == "GET" and site.has_permission(request):
        return redirect("admin:index")
    context = {
        **site.each_context(request),
        "title": "Log in",
        "subtitle": None,
        "app_path": request.get_full_path(),
        "username": request.user.get_username(),
    }
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        context[REDIRECT_FIELD_NAME] = reverse("admin:index", current_app=site.name)
    request.current_app = site.name
    view = ThrottledLoginView.as_view(
        extra_context=context,
        authentication_form=site.login_form or AdminAuthenticationForm,
        template_name="admin/throttled_login.html",
    )
    return view(request)


def _get_session_for_teacher(request, pk: int) -> ClassSession:
    """The teacher's own session (a pilot lead may see any); anyone else gets a 404."""
    queryset = ClassSession.objects.for_teacher(request.user).select_related("package", "teacher")
    return get_object_or_404(queryset, pk=pk)


def _join_url(request, class_session: ClassSession) -> str:
    """The link and QR code carry the class word too, so a device on a network in check mode need not type it."""
    query = urlencode({"code": class_session.join_code, "word": class_session.class_word})
    return request.build_absolute_uri(reverse("lessons:join") + f"?{query}")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard(request):
    form = ClassSessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        class_session = services.class_session_open(
            teacher=request.user,
            package=form.cleaned_data["package"],
            label=form.cleaned_data["label"],
            max_students=form.cleaned_data["max_students"],
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
            "join_url": _join_url(request, class_session),
            "join_page": request.build_absolute_uri(reverse("lessons:join")),
            "first_step": walkthrough.route_for(class_session.package_id).first,
            "places_form": places_form,
        },
        status=status,
    )


@login_required
@require_safe
def session_detail(request, pk: int):
    return _session_page(request, _get_session_for_teacher(request, pk))


@login_required
@require_POST
def session_places(request, pk: int):
    class_session = _get_session_for_teacher(request, pk)
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
    class_session = _get_session_for_teacher(request, pk)
    qr = segno.make(_join_url(request, class_session), error="m")
    svg = qr.svg_inline(
        scale=8, dark="#000", light="#fff", title=f"QR code for class code {class_session.join_code}"
    )
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
@require_POST
def session_close(request, pk: int):
    class_session = _get_session_for_teacher(request, pk)
    services.class_session_close(class_session=class_session)
    messages.success(request, "The session is closed. Its code no longer works.")
    return redirect(class_session)


@login_required
@require_POST
def session_reopen(request, pk: int):
    class_session = _get_session_for_teacher(request, pk)
    services.class_session_reopen(class_session=class_session)
    messages.success(request, f"The session is open again with code {class_session.join_code}.")
    return redirect(class_session)


@login_required
@require_safe
def present(request, pk: int, key: str):
    class_session = _get_session_for_teacher(request, pk)
    route = walkthrough.route_for(class_session.package_id)
    current = route.find(key)
    if current is None:
        raise Http404("No such step in this package.")
    index = route.steps.index(current)
    context = {
        "class_session": class_session,
        "package": class_session.package,
        "step": current,
        "route": route,
        "number": route.number(current),
        "previous_step": route.steps[index - 1] if index > 0 else None,
        "next_step": route.steps[index + 1] if index + 1 < len(route.steps) else None,
        **STEP_KINDS[current.kind].content(current),
        "presenting": True,
    }
    return render(request, "teach/present.html", context)


def pilot_lead_required(view):
    """Pages for pilot leads (staff) only, such as previews of drafts and every school's results: a teacher
    gets a 404, as for any page that is not theirs, and an anonymous visitor is sent to log in."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not request.user.is_staff:
            raise Http404("No such page.")
        return view(request, *args, **kwargs)

    return wrapper


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
            "first_url": reverse("teach:preview_step", args=[package.pk, route.first.key]),
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
