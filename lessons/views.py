"""Student pages: the self-guided start, joining a class, the ground rules, each step and the end."""

import hmac

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import throttle
from lessons import live, presence, services, walkthrough
from lessons.forms import JoinForm
from lessons.live_responses import panels
from lessons.live_responses.rendering import plain_panels
from lessons.models import ChoiceOption, ClassSession, Package, Step
from lessons.step_cache import step_pages


@require_safe
def home(request):
    return render(
        request,
        "lessons/home.html",
        {"packages": Package.objects.latest_versions(), "state": walkthrough.lesson_state(request.session)},
    )


@require_POST
def start_self_guided(request, package_id: int):
    package = get_object_or_404(Package.objects.published(), pk=package_id)
    walkthrough.start_lesson(request.session, package=package, class_session_id=None)
    response = redirect("lessons:rules")
    live.follow(response, None)  # a lesson on their own: the screen follows no class
    return response


def _device_limit(request) -> dict[str, int]:
    """Wrong codes allowed per device cookie: the one hard stop, since one device is one student."""
    if device := request.META.get("CSRF_COOKIE"):
        return {throttle.failure_key("join-device", device): settings.JOIN_FAILURES_PER_DEVICE}
    return {}


SERVER_KEY = throttle.failure_key("join-server", "every address")


def _check_mode_limits(request) -> dict[str, int]:
    """Wrong codes before joining also needs the class word: from this network address (a class shares one),
    and from everywhere at once, so that guessing from many addresses cannot stay under the first limit."""
    address = throttle.client_address(request)
    return {
        throttle.failure_key("join-address", address): settings.JOIN_FAILURES_PER_ADDRESS,
        SERVER_KEY: settings.JOIN_FAILURES_PER_SERVER,
    }


def _check_mode(limits: dict[str, int], window: int) -> str:
    """Why joining needs the class word now: "network", "site" (wrong codes from everywhere) or "" (it does not)."""
    over = throttle.keys_over_limit(limits, window)
    if not over:
        return ""
    return "site" if over == {SERVER_KEY} else "network"


NO_SUCH_LESSON = (
    "There is no open lesson with that code. Check the code with your teacher. "
    "Codes stop working when the lesson closes."
)
NO_SUCH_LESSON_CHECKED = (
    "There is no open lesson with that code and class word. Check both with your teacher. "
    "Codes stop working when the lesson closes."
)


def _find_class_session(code: str, word: str, *, check_mode: str) -> ClassSession | None:
    """The open session with this code; in check mode only if the word is its class word too.

    A right code with a wrong word finds nothing, exactly as a wrong code does, so that a guesser learns
    nothing from the code alone.
    """
    class_session = (
        ClassSession.objects.open()
        .filter(join_code=code)
        .select_related("package")
        .order_by("-created_at")
        .first()
    )
    if class_session is None or not check_mode:
        return class_session
    return class_session if hmac.compare_digest(word, class_session.class_word) else None


@require_http_methods(["GET", "HEAD", "POST"])
def join(request):
    """Join a class with its code; past the address's limit of wrong codes, with the class word as well.

    A flood of wrong codes from one school's network cannot keep its classes out: it only makes everyone
    there type the word on the board too. Only one device's own wrong codes pause joining on it.
    """
    window = settings.JOIN_FAILURE_WINDOW_SECONDS
    device, check_limits = _device_limit(request), _check_mode_limits(request)
    check_mode = _check_mode(check_limits, window)
    if request.method != "POST":
        initial = {"code": request.GET.get("code", "")[:20], "word": request.GET.get("word", "")[:40]}
        form = JoinForm(initial=initial, check_mode=check_mode)
        return render(request, "lessons/join.html", {"form": form})
    form = JoinForm(request.POST, check_mode=check_mode)
    if throttle.over_limit(device, window):
        minutes = max(1, window // 60)
        return render(request, "lessons/join.html", {"form": form, "locked_minutes": minutes}, status=429)
    if form.is_valid():
        code, word = form.cleaned_data["code"], form.cleaned_data["word"]
        class_session = _find_class_session(code, word, check_mode=check_mode)
        if class_session is not None:
            return _enter(request, class_session)
        form.add_error("code", NO_SUCH_LESSON_CHECKED if check_mode else NO_SUCH_LESSON)
        throttle.record_failure([*device, *check_limits], window)
    return render(request, "lessons/join.html", {"form": form}, status=400)


# The class sessions this device has taken a place in (a short list of ids), so that joining again, after
# a self-guided start or from the link a second time, does not take a second place.
JOINED_KEY = "joined_class_sessions"
JOINED_KEPT = 20


def _enter(request, class_session: ClassSession):
    """Start the class's lesson on this device, taking a place unless the device already has one, and open
    it where the class is: the ground rules, or the teacher's slide when students follow the teacher."""
    joined = request.session.get(JOINED_KEY)
    joined = [pk for pk in joined if isinstance(pk, int)] if isinstance(joined, list) else []
    if class_session.pk not in joined:
        if not services.class_session_admit(class_session=class_session):
            return render(request, "lessons/full.html", status=409)
        request.session[JOINED_KEY] = [*joined, class_session.pk][-JOINED_KEPT:]
    walkthrough.start_lesson(
        request.session, package=class_session.package, class_session_id=class_session.pk
    )
    state = live.LiveState.of(class_session)
    response = redirect(live.student_url(state.slide) if state.leads else reverse("lessons:rules"))
    live.follow(response, class_session.pk)
    return response


def _state_or_start(request):
    state = walkthrough.lesson_state(request.session)
    if state is None:
        messages.info(request, "Start the lesson here, or join your class with its code.")
    return state


@require_safe
def rules(request):
    state = _state_or_start(request)
    if state is None:
        return redirect("lessons:home")
    package = get_object_or_404(Package, pk=state.package_id)
    route = walkthrough.route_for(package.pk)
    current = route.find(state.step_key) if state.step_key else None
    presence.arrive(request.session, live.RULES)
    return render(
        request,
        "lessons/rules.html",
        {
            "package": package,
            "route": route,
            "next_url": reverse("feedback:checkin"),  # the check-in is the lesson's step 1, for everyone
            "current": current,
            "current_number": route.lesson_number(current) if current else None,
        },
    )


@require_safe
def step(request, key: str):
    state = _state_or_start(request)
    if state is None:
        return redirect("lessons:home")
    content = walkthrough.lesson_content(request.session)
    if content is None:
        walkthrough.forget_lesson(request.session)
        messages.info(request, "That lesson is no longer on this site. Start again here.")
        return redirect("lessons:home")
    current = content.route.find(key)
    if current is None:
        raise Http404("No such step in this lesson.")
    class_session = _open_class_session(state)
    class_state = live.LiveState.of(class_session) if class_session else None
    if _holding_page(class_state, content.route, current):
        # Kept for a moment (live.recent_states): a page is held back only by the class as it is now.
        live.recent_states.forget(state.class_session_id)
        class_session = _open_class_session(state)
        class_state = live.LiveState.of(class_session) if class_session else None
    if (held := _held(request, class_state, content.route, current)) is not None:
        return held
    presence.arrive(request.session, current.key)
    walkthrough.remember_step(request.session, current)
    chosen = _chosen_option(request, content.for_step(current).get("options", []))
    page = (current.key, chosen.position if chosen else None)
    html = step_pages.get(request, content.package, page)
    if html is None:
        context = step_context(
            request,
            content,
            current,
            step_url=lambda key: reverse("lessons:step", args=[key]),
            rules_url=reverse("lessons:rules"),
            end_url=reverse("plans:start"),  # after the story: "make your plan"
        )
        html = render_to_string("lessons/step.html", context, request)
        step_pages.put(request, content.package, page, html)
    options = content.for_step(current).get("options")
    panel = _live_panel(request, class_session, current, options)
    return HttpResponse(html.replace(LIVE_PANEL, panel, 1))


# Where a step page holds a class's live panel. The page around it is the same for every student of a version
# (and may be kept: lessons/step_cache.py); the panel is the class's, so it is rendered for each request.
LIVE_PANEL = "<!--live-panel-->"


def _open_class_session(state: walkthrough.LessonState) -> ClassSession | None:
    """The student's class session while it is open, else None: as this process last read it, at most a
    quarter of a second ago (live.recent_states), so a class turning pages costs one query per process. A
    class kept as closed or gone is read again: only an open one is taken on trust for that moment."""
    if state.class_session_id is None:
        return None
    class_session = live.recent_states.class_session(state.class_session_id)
    if class_session is None or not class_session.is_open:
        live.recent_states.forget(state.class_session_id)
        class_session = live.recent_states.class_session(state.class_session_id)
    return class_session if class_session is not None and class_session.is_open else None


def _live_panel(request, class_session: ClassSession | None, current: Step, options: list | None) -> str:
    if class_session is None:
        return ""
    # The step itself, not its key, and a choice's options as the page has them: the panel then needs no query
    # to find either again.
    context = {"class_session": class_session, "slide": current, "options": options}
    template = "lessons/live/student_panel.html"
    if panels.is_plain(class_session, current, request.session):
        return plain_panels.html(
            request, lambda token: render_to_string(template, {**context, "csrf_token": token}, request)
        )
    return render_to_string(template, context, request)


def _holding_page(class_state: live.LiveState | None, route, current: Step) -> str | None:
    """The template of the page that holds a student back from `current`, or None when they may see it."""
    if class_state is None:
        return None
    if class_state.paused:
        return "lessons/live/paused.html"
    if class_state.leads and live.is_ahead(current.key, class_state.slide, route):
        return "lessons/live/wait.html"
    return None


def _held(request, class_state: live.LiveState | None, route, current: Step) -> HttpResponse | None:
    """What a student in a class sees instead of a step: "Eyes on the board" while the teacher has paused the
    screens, and "Wait for your teacher" for a step ahead of the class when students follow the teacher.
    Both check again by a button (no JavaScript needed), and a following screen moves on by itself."""
    if (template := _holding_page(class_state, route, current)) is None:
        return None
    response = render(
        request,
        template,
        {
            "check_again": request.get_full_path(),
            "class_url": live.student_url(class_state.slide),
            "version": class_state.version,
        },
    )
    add_never_cache_headers(response)
    return response


def step_context(request, content, current: Step, *, step_url, rules_url: str, end_url: str) -> dict:
    """Everything the student step page shows; `step_url(key)` makes links, so a preview can reuse it."""
    route = content.route
    following, previous = route.next_step(current), route.previous_step(current)
    context = {
        "step": current,
        "route": route,
        "number": route.lesson_number(current),
        "total": route.lesson_total,
        "links": {
            "next": step_url(following.key) if following else None,
            "previous": step_url(previous.key) if previous else None,
            "rules": rules_url,
            "end": end_url,
        },
    }
    context.update(content.for_step(current))
    # A kind with options (a choice) has each option with a link to the ending it leads to, if any, and the
    # one chosen (without JavaScript, the page shows only that one's feedback).
    context["choices"] = [
        {
            "option": option,
            "branch": step_url(branch.key) if (branch := route.find(option.leads_to)) else None,
        }
        for option in context.get("options", [])
    ]
    context["chosen"] = _chosen_option(request, context.get("options", []))
    return context


def _chosen_option(request, options: list[ChoiceOption]) -> ChoiceOption | None:
    raw = request.GET.get("option", "")
    if not (raw.isascii() and raw.isdigit()):
        return None
    return next((option for option in options if option.position == int(raw)), None)


@require_safe
def resume(request):
    """Back to where the student was, or the ground rules if they have not started."""
    state = _state_or_start(request)
    if state is None:
        return redirect("lessons:home")
    if state.step_key:
        return HttpResponseRedirect(reverse("lessons:step", args=[state.step_key]))
    return redirect("lessons:rules")


@require_safe
def end(request):
    """The end of the lesson (the live lesson's closing slide): keep your plan, and where to get help."""
    state = _state_or_start(request)
    if state is None:
        return redirect("lessons:home")
    presence.arrive(request.session, live.CLOSE)
    return render(request, "lessons/end.html", {"has_plan": state.has_plan})


@require_safe
def help_page(request):
    state = walkthrough.lesson_state(request.session)
    package = Package.objects.filter(pk=state.package_id).first() if state else None
    if package is None:
        package = Package.objects.latest_versions().first()
    services = list(package.support_services.young_people_first()) if package else []
    return render(request, "lessons/help.html", {"services": services})
