"""Feedback pages: students' check-in and feedback, teachers' results, exports, comments and notes."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts import throttle
from accounts.access import is_pilot_lead, pilot_lead_required
from feedback import compare, export, results, services, tokens
from feedback.forms import AnswersForm, CompareVersionsForm, FocusGroupNoteForm
from feedback.models import FeedbackAnswer, FocusGroupNote, Stage
from lessons import live, package_diff, presence, walkthrough
from lessons.access import class_session_for_teacher
from lessons.models import ClassSession, Package, Question
from pdf.responses import pdf_response

SELF_GUIDED_WINDOW_SECONDS = 60 * 60
# Where the lesson goes on from each stage: the check-in to the story's first step, the feedback to the end.
THANKS_URL = {Stage.CHECKIN: "feedback:checkin_thanks", Stage.FEEDBACK: "feedback:thanks"}
# Each stage's "Step N of M" (walkthrough.Route numbers the whole lesson).
PLACE = {Stage.CHECKIN: walkthrough.CHECKIN, Stage.FEEDBACK: walkthrough.FEEDBACK}
# The live lesson's slide each stage is (the teacher's console counts the devices on it).
LIVE_SLIDE = {Stage.CHECKIN: live.CHECKIN, Stage.FEEDBACK: live.FEEDBACK}
PAGE = {
    Stage.CHECKIN: {
        "title": "Quick check-in",
        "intro": "A few quick questions before the story starts.",
        "submit": "Send and start the story",
        "skip": "Skip the check-in and start the story",
    },
    Stage.FEEDBACK: {
        "title": "Tell us what you thought",
        "intro": "Your answers help make this lesson better.",
        "submit": "Send my answers",
    },
}


def _lesson(request):
    """The student's package and class session (None when self-guided), or None if no lesson started."""
    state = walkthrough.lesson_state(request.session)
    if state is None:
        return None
    package = Package.objects.filter(pk=state.package_id).first()
    if package is None:
        return None
    class_session = None
    if state.class_session_id is not None:
        class_session = ClassSession.objects.filter(pk=state.class_session_id, package=package).first()
        if class_session is None:
            return None
    return state, package, class_session


def _answer_page(request, stage: str):
    lesson = _lesson(request)
    if lesson is None:
        messages.info(request, "Start the lesson here, or join your class with its code.")
        return redirect("lessons:home")
    state, package, class_session = lesson
    scope = tokens.scope_for(state)
    if tokens.has_given(request.session, scope, stage) or tokens.is_finished(request.session, scope):
        if request.method == "POST":
            messages.info(
                request, "You had already sent your answers, so nothing has changed. Thank you again."
            )
        return _onward(stage, package)
    refused = 403 if request.method == "POST" else 200
    if class_session is not None and not class_session.is_open:
        return render(request, "feedback/closed.html", status=refused)
    presence.arrive(request.session, LIVE_SLIDE[stage])
    if (
        stage == Stage.FEEDBACK
        and not _went_straight_to_plan(state)
        and (unfinished := _unfinished(request, state))
    ):
        return render(request, "feedback/finish_first.html", unfinished, status=refused)
    limits = _self_guided_limits(request) if class_session is None else {}
    if request.method == "POST" and limits and throttle.over_limit(limits, SELF_GUIDED_WINDOW_SECONDS):
        return render(request, "feedback/too_many.html", status=429)
    questions = services.questions_for(package, stage, has_plan=state.has_plan)
    steps = []
    if any(q.kind == Question.Kind.USEFUL_STEPS for q in questions):
        steps = _steps_seen(state, package)
        if not steps:  # straight to the plan: no story to pick the most useful parts of
            questions = [q for q in questions if q.kind != Question.Kind.USEFUL_STEPS]
    if not questions and stage == Stage.CHECKIN:
        return _onward(stage, package)
    token = tokens.device_token(request.session, scope)  # issued before any POST, so a double click shares it
    form = AnswersForm(
        request.POST if request.method == "POST" else None,
        questions=questions,
        steps=steps,
        submit_label=PAGE[stage]["submit"],
    )
    if request.method == "POST" and form.is_valid():
        outcome = services.feedback_submit(
            package=package, class_session=class_session, stage=stage, token=token, answers=form.cleaned_data
        )
        if outcome is services.Outcome.CLOSED:
            return render(request, "feedback/closed.html", status=403)
        if outcome is services.Outcome.ALREADY_GIVEN:
            messages.info(
                request, "You had already sent your answers, so nothing has changed. Thank you again."
            )
        elif limits:
            throttle.record_failure(list(limits), SELF_GUIDED_WINDOW_SECONDS)  # a counter of answers here
        tokens.mark_given(request.session, scope, stage)
        if stage == Stage.CHECKIN:
            messages.success(request, "Thank you for your answers. Now the story starts.")
        return _onward(stage, package)
    context = {
        "form": form,
        "stage": stage,
        "page": PAGE[stage],
        "questions": questions,
        "place": walkthrough.place_in_lesson(request.session, PLACE[stage]),
        "story_url": reverse("lessons:step", args=[walkthrough.route_for(package.pk).first.key])
        if stage == Stage.CHECKIN
        else "",
    }
    return render(request, "feedback/answer.html", context, status=400 if request.method == "POST" else 200)


def _onward(stage: str, package: Package):
    """On along the lesson from a stage: from the check-in to the story's first step (step 2), from the
    feedback to the end."""
    if stage == Stage.CHECKIN:
        return redirect("lessons:step", walkthrough.route_for(package.pk).first.key)
    return redirect(THANKS_URL[stage])


def _steps_seen(state: walkthrough.LessonState, package: Package) -> list:
    """The main-path steps this lesson showed (the lesson state keeps their positions, nothing more): the
    "most useful parts" a student can name. All of them for a student who walked the story."""
    return [step for step in services.main_steps(package) if step.position in state.seen]


def _went_straight_to_plan(state: walkthrough.LessonState) -> bool:
    """A student on their own who made a plan without the story ("Go straight to making my plan"): their
    feedback is welcome too. In a class, only a device that walked the story is counted (see _unfinished);
    on their own, answers are limited per network address instead."""
    return state.class_session_id is None and state.has_plan


def _unfinished(request, state: walkthrough.LessonState) -> dict | None:
    """For a student who has not seen every main step: the steps left, for the "finish the story" page.

    Feedback counts only from a device that walked the whole story, so that each fake answer a teacher might
    add to pad out a class costs a full walk-through (and a place in the class)."""
    content = walkthrough.lesson_content(request.session)  # usually from this process's memory: no query
    unseen = state.unseen_steps(content.route) if content is not None else []
    if not unseen:
        return None
    return {
        "unseen": unseen,
        "first_unseen": unseen[0],
        "first_unseen_number": content.route.number(unseen[0]),
    }


def _self_guided_limits(request) -> dict[str, int]:
    """Self-guided answers need no class code, so they are counted per network address (as an HMAC, never
    the address): generous enough for a school's computer room, too few to stuff the results."""
    address = throttle.client_address(request)
    return {throttle.failure_key("self-guided-feedback", address): settings.SELF_GUIDED_FEEDBACK_PER_ADDRESS}


@require_http_methods(["GET", "HEAD", "POST"])
def checkin(request):
    return _answer_page(request, Stage.CHECKIN)


@require_http_methods(["GET", "HEAD", "POST"])
def start(request):
    return _answer_page(request, Stage.FEEDBACK)


def _thanks(request, stage: str):
    lesson = _lesson(request)
    if lesson is None:
        return redirect("lessons:home")
    state, package, _ = lesson
    if not tokens.has_given(request.session, tokens.scope_for(state), stage):
        return redirect("feedback:checkin" if stage == Stage.CHECKIN else "feedback:start")
    if stage == Stage.CHECKIN:
        return _onward(stage, package)  # the check-in leads straight on to the story (an older address)
    return render(request, "feedback/thanks.html", {"has_plan": state.has_plan})


@require_safe
def checkin_thanks(request):
    return _thanks(request, Stage.CHECKIN)


@require_safe
def thanks(request):
    return _thanks(request, Stage.FEEDBACK)


# Teacher pages. Every report goes through _report, which enforces who may see what.

SCOPE_URLS = {
    "all": ("feedback:results", "feedback:results_csv", "feedback:results_pdf"),
    "session": ("feedback:session_results", "feedback:session_results_csv", "feedback:session_results_pdf"),
    "package": ("feedback:package_results", "feedback:package_results_csv", "feedback:package_results_pdf"),
}


def _report(request, scope: str, pk: int | None):
    if scope == "session":
        class_session = class_session_for_teacher(request.user, pk)
        return results.session_report(class_session), class_session
    if scope == "package":
        package = get_object_or_404(Package.objects.with_results_visible_to(request.user), pk=pk)
        return results.package_report(package, request.user), None
    return results.teacher_report(request.user), None


def _compare_links(report: results.Report, scope: str) -> list[tuple[str, str]]:
    """For a pilot lead: (link text, URL) to compare versions of each package with two published versions."""
    if scope == "package":
        package = report.groups[0].package
        versions = list(
            Package.objects.published().filter(slug=package.slug).values_list("version", flat=True)
        )
        pair = compare.default_pair(versions, around=package.version)
        if pair is None:
            return []
        url = reverse("feedback:compare_versions", args=[package.slug]) + f"?first={pair[0]}&second={pair[1]}"
        return [(f"Compare version {pair[0]} with version {pair[1]}", url)]
    return [
        (f"Compare versions of {title}", reverse("feedback:compare_versions", args=[slug]))
        for slug, title in compare.comparable_packages()
    ]


@login_required
@require_safe
def results_page(request, scope: str, pk: int | None = None):
    report, class_session = _report(request, scope, pk)
    args = [pk] if pk is not None else []
    page, csv_url, pdf_url = (reverse(name, args=args) for name in SCOPE_URLS[scope])
    context = {
        "report": report,
        "packages": list(Package.objects.with_results_visible_to(request.user).with_results())
        if scope == "all"
        else [],
        "compare_links": _compare_links(report, scope)
        if is_pilot_lead(request.user) and scope != "session"
        else [],
        "scope": scope,
        "class_session": class_session,
        "page_url": page,
        "csv_url": csv_url,
        "pdf_url": pdf_url,
    }
    return render(request, "feedback/results.html", context)


@login_required
@require_safe
def results_csv(request, scope: str, pk: int | None = None):
    report, _ = _report(request, scope, pk)
    response = HttpResponse(export.report_csv(report), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{report.filename}.csv"'
    return response


@login_required
@require_safe
def results_pdf(request, scope: str, pk: int | None = None):
    report, _ = _report(request, scope, pk)
    return pdf_response(
        request,
        lambda: export.report_pdf(report),
        filename=f"{report.filename}.pdf",
        problem_template="feedback/pdf_problem.html",
    )


@pilot_lead_required
@require_safe
def compare_versions(request, slug: str):
    """Two published versions of a package side by side, each suppressed on its own."""
    versions = list(Package.objects.published().filter(slug=slug).order_by("-version"))
    if not versions:
        raise Http404("No published version of this package.")
    context = {
        "package": versions[0],
        "form": None,
        "comparison": None,
        "minimum": settings.FEEDBACK_MIN_GROUP,
    }
    pair = compare.default_pair([package.version for package in versions])
    if pair is None:
        return render(request, "feedback/compare.html", context)
    data = {"first": pair[0], "second": pair[1], "group": CompareVersionsForm.CLASSES}
    data.update({key: request.GET[key] for key in data if key in request.GET})
    form = CompareVersionsForm(data, versions=versions)
    context["form"] = form
    if not form.is_valid():
        return render(request, "feedback/compare.html", context, status=400)
    by_version = {package.version: package for package in versions}
    first, second = by_version[form.cleaned_data["first"]], by_version[form.cleaned_data["second"]]
    context["comparison"] = compare.compare_versions(
        first, second, self_guided=form.cleaned_data["group"] == CompareVersionsForm.SELF_GUIDED
    )
    context["changes"] = package_diff.package_changes(first, second)
    return render(request, "feedback/compare.html", context)


def _back(request, fallback: str) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=False):
        return target
    return fallback


@login_required
@require_POST
def comment_hide(request, pk):
    """Hide an inappropriate comment from a session the user may see (self-guided ones: pilot leads)."""
    answer = get_object_or_404(FeedbackAnswer.objects.comments_visible_to(request.user), pk=pk)
    services.comment_hide(answer=answer)
    messages.success(request, "The comment is hidden from results and exports for everyone.")
    return redirect(_back(request, reverse("feedback:results")))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def note_add(request, pk: int):
    class_session = class_session_for_teacher(request.user, pk)
    form = FocusGroupNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.class_session = class_session
        note.save()
        messages.success(request, "The focus-group notes are saved.")
        return redirect("feedback:session_results", class_session.pk)
    return render(request, "feedback/note_form.html", {"form": form, "class_session": class_session})


@login_required
@require_POST
def note_delete(request, pk: int):
    note = get_object_or_404(FocusGroupNote.objects.visible_to(request.user), pk=pk)
    class_session_pk = note.class_session_id
    note.delete()
    messages.success(request, "The focus-group notes are deleted.")
    return redirect(_back(request, reverse("feedback:session_results", args=[class_session_pk])))
