"""The live lesson's teacher pages (the console and the projector screen, and their controls) and the state
that students' screens, the projector and the console poll."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from lessons import live, live_poll, presence
from lessons.access import class_session_for_teacher
from lessons.join_links import join_links
from lessons.models import ClassSession, Pace, Question
from lessons.step_kinds import STEP_KINDS
from lessons.walkthrough import Route


def _slide_context(request, class_session: ClassSession) -> dict:
    """The slide the class sees now, what it shows, and its neighbours, for the console and the projector."""
    slides = live.slides_for(class_session.package_id)
    index = next((i for i, slide in enumerate(slides) if slide.key == class_session.live_slide), 0)
    slide = slides[index]
    return {
        "class_session": class_session,
        "package": class_session.package,
        "slides": slides,
        "slide": slide,
        "step": slide.step,
        "slide_index": index + 1,
        "previous_slide": slides[index - 1] if index > 0 else None,
        "next_slide": slides[index + 1] if index + 1 < len(slides) else None,
        # "Step N of M" as students' screens say it (walkthrough.Route numbers the whole lesson).
        "steps_total": Route.lesson_total_for(sum(1 for s in slides if s.step and not s.step.detour)),
        "checkin_questions": (
            list(Question.objects.filter(package_id=class_session.package_id, in_checkin=True))
            if slide.key == live.CHECKIN
            else []
        ),
        **(STEP_KINDS[slide.step.kind].content(slide.step) if slide.step else {}),
        **join_links(request, class_session),
        "presenting": True,
    }


@login_required
@require_safe
def console(request, pk: int):
    class_session = class_session_for_teacher(request.user, pk)
    context = _slide_context(request, class_session)
    context["counts"] = counts = presence.live_counts(class_session)
    context["slide_counts"] = [(slide, counts["on_slide"].get(slide.key, 0)) for slide in context["slides"]]
    return render(request, "lessons/live/console.html", context)


@login_required
@require_safe
def projector(request, pk: int):
    class_session = class_session_for_teacher(request.user, pk)
    return render(request, "lessons/live/projector.html", _slide_context(request, class_session))


@login_required
@require_safe
def screen_state(request, pk: int):
    """The projector's and console's poll: the version (304 while unchanged); `?counts=1` (the console) also
    gives the live counts, which change without the version, and so is always answered in full."""
    class_session = class_session_for_teacher(request.user, pk)
    state = live.LiveState.of(class_session)
    if "counts" in request.GET:
        return JsonResponse({**live_poll.state_data(state), "counts": presence.live_counts(class_session)})
    return live_poll.conditional(request, state)


def _control(request, pk: int, changes_for) -> HttpResponse:
    """Apply one of the console's controls to an open session: `changes_for(class_session)` gives the fields to
    change (one bump of the version) or what to tell the teacher instead. Back to the console either way."""
    class_session = class_session_for_teacher(request.user, pk)
    changes = (
        changes_for(class_session)
        if class_session.is_open
        else "This session is closed. Open it again on its page to teach with it."
    )
    if isinstance(changes, str):
        messages.error(request, changes)
    else:
        live.bump(class_session, **changes)
    return redirect("teach:console", pk)


@login_required
@require_POST
def show(request, pk: int):
    """Show a slide to the class (Previous, Next and the jump list all name the slide, so a double press or a
    stale console never skips one)."""

    def changes_for(class_session: ClassSession) -> dict | str:
        wanted = request.POST.get("slide", "")
        if wanted in {slide.key for slide in live.slides_for(class_session.package_id)}:
            return {"live_slide": wanted}
        return "That slide is not in this lesson. Choose one from the list."

    return _control(request, pk, changes_for)


@login_required
@require_POST
def set_pace(request, pk: int):
    pace = request.POST.get("pace", "")
    if pace not in Pace.values:
        return _control(
            request, pk, lambda _: "Choose whether students follow your screen or go at their own pace."
        )
    return _control(request, pk, lambda _: {"pace": pace})


@login_required
@require_POST
def pause(request, pk: int):
    return _control(request, pk, lambda _: {"paused": request.POST.get("paused") == "1"})
