"""Students' answers and the teacher's actions in a live lesson.

A plain post returns to the page it came from; a fetch (live-responses.js sends the PANEL_HEADER) gets the
panel back, to put in place of the old one.
"""

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST, require_safe

from lessons.access import class_session_for_student, class_session_for_teacher
from lessons.live_responses import devices, panels, services
from lessons.live_responses.devices import Notice
from lessons.live_responses.forms import PanelForm, QuestionForm, TextForm, VoteForm, WordsForm
from lessons.live_responses.models import AnonymousQuestion, SharedText
from lessons.models import ClassSession, Step

PANEL_HEADER = "X-Live-Responses"


def _wants_panel(request) -> bool:
    return request.headers.get(PANEL_HEADER) == "panel"


def _back(request, default: str) -> str:
    """The page the panel is on (a post's or a fetch's `next`), if it is one of ours."""
    target = (request.POST if request.method == "POST" else request.GET).get("next", "")
    safe = url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure())
    return target if target.startswith("/") and safe else default


# ---- Students -------------------------------------------------------------------------------------------


def _not_in_a_class(request):
    messages.info(request, "Start the lesson here, or join your class with its code.")
    return redirect("lessons:home")


def _step_answer(request, key: str, mode: str, form_class: type[PanelForm], send: Callable, **form_options):
    """Take one answer to the step `key` of the student's class: `send(class_session, step, form)` stores it
    and returns what the student is told, or raises services.Refused with the reason."""
    class_session = class_session_for_student(request.session)
    if class_session is None:
        return _not_in_a_class(request)
    step = get_object_or_404(Step, package_id=class_session.package_id, key=key)
    if panels.mode_of(step) != mode:
        raise Http404("This step takes no such answer.")
    made = {name: option(step) for name, option in form_options.items()}
    form = form_class(request.POST, **made)
    # The panel sent back shows the step and a choice's options as just read for the form.
    return _answered(
        request,
        class_session,
        step,
        form,
        lambda: send(class_session, step, form),
        options=made.get("options"),
    )


def _answered(
    request,
    class_session: ClassSession,
    slide: str | Step,
    form: PanelForm,
    send: Callable[[], str],
    *,
    options: list | None = None,
):
    if form.is_valid():
        try:
            notice = Notice(send(), form=form.name)
        except services.Refused as refusal:
            notice = Notice(str(refusal), refused=True, form=form.name, value=_typed(form))
    else:
        first_error = next(iter(form.errors.values()))[0]
        notice = Notice(first_error, refused=True, form=form.name, value=_typed(form))
    if _wants_panel(request):
        context = panels.student_context(
            class_session, slide, request.session, next_url=_back(request, ""), notice=notice, options=options
        )
        return render(
            request,
            "lessons/live/responses/student_panel.html",
            context,
            status=400 if notice.refused else 200,
        )
    devices.remember_notice(request.session, notice)
    return redirect(_back(request, reverse("lessons:resume")) + "#live-responses")


def _typed(form: PanelForm) -> str:
    """What the student typed in a text box, so that a refused answer is not lost (bounded: it goes back into
    their session until the panel shows it)."""
    typed = next((form.data.get(name, "") for name in ("answer", "question") if name in form.fields), "")
    return typed[:2000]


def _device(request, class_session: ClassSession, purpose: str) -> str:
    return devices.device_hash(request.session, class_session.pk, purpose)


@require_POST
def vote(request, key: str):
    def send(class_session, step, form):
        option = form.cleaned_data["option"]
        services.vote_cast(
            class_session=class_session,
            step=step,
            device=_device(request, class_session, f"vote.{step.key}"),
            option=option,
        )
        label = dict(form.fields["option"].choices)[option]
        return f"Your vote is in: {label}. You can change it until your teacher closes the vote."

    return _step_answer(
        request, key, panels.VOTE, VoteForm, send, options=lambda step: list(step.options.all())
    )


@require_POST
def words(request, key: str):
    def send(class_session, step, form):
        chosen = form.cleaned_data["words"]
        services.words_share(
            class_session=class_session,
            step=step,
            device=_device(request, class_session, f"words.{step.key}"),
            words=chosen,
        )
        return f"Your words are in: {', '.join(chosen)}. You can change them until your teacher closes this."

    return _step_answer(request, key, panels.WORDS, WordsForm, send, words=lambda step: step.word_list)


@require_POST
def text(request, key: str):
    def send(class_session, step, form):
        services.text_share(
            class_session=class_session,
            step=step,
            device=_device(request, class_session, f"text.{step.key}"),
            text=form.cleaned_data["answer"],
        )
        return (
            "Sent to your teacher. It shows on the board only if your teacher chooses to show it, and never "
            "with your name."
        )

    return _step_answer(request, key, panels.TEXT, TextForm, send)


@require_POST
def question(request):
    class_session = class_session_for_student(request.session)
    if class_session is None:
        return _not_in_a_class(request)
    form = QuestionForm(request.POST)

    def send():
        services.question_ask(
            class_session=class_session,
            device=_device(request, class_session, "questions"),
            text=form.cleaned_data["question"],
        )
        return (
            "Your question was sent. Your teacher cannot tell who sent it, so they cannot answer you on your "
            "own. If you need help, talk to an adult you trust or call Childline on 0800 1111."
        )

    return _answered(request, class_session, panels.slide_key(request.POST.get("slide", "")), form, send)


# ---- The teacher ----------------------------------------------------------------------------------------


def _console_response(request, class_session: ClassSession, slide: str, notice: Notice):
    if _wants_panel(request):
        context = panels.console_context(class_session, slide, next_url=_back(request, ""), notice=notice)
        return render(
            request,
            "lessons/live/responses/console_panel.html",
            context,
            status=400 if notice.refused else 200,
        )
    (messages.error if notice.refused else messages.success)(request, notice.text)
    return redirect(_back(request, class_session.get_absolute_url()))


@login_required
@require_safe
def console(request, pk: int, key: str):
    """The console's panel for one slide, fetched again every few seconds to show new answers and questions."""
    class_session = class_session_for_teacher(request.user, pk)
    context = panels.console_context(class_session, key, next_url=_back(request, ""))
    return render(request, "lessons/live/responses/console_panel.html", context)


# What each of the teacher's buttons on a poll does, which polls have it, and what the console then says.
POLL_ACTIONS = {
    "close": (services.poll_close, {panels.VOTE, panels.WORDS, panels.TEXT}, "Closed: no more answers."),
    "reopen": (services.poll_reopen, {panels.VOTE, panels.WORDS, panels.TEXT}, "Open again for answers."),
    "reveal": (services.poll_reveal, {panels.VOTE, panels.WORDS}, "The results are on the projector."),
}


@login_required
@require_POST
def poll_action(request, pk: int, key: str, action: str):
    class_session = class_session_for_teacher(request.user, pk)
    step = get_object_or_404(Step, package_id=class_session.package_id, key=key)
    if action not in POLL_ACTIONS or panels.mode_of(step) not in POLL_ACTIONS[action][1]:
        raise Http404("No such action on this step.")
    act, _, done = POLL_ACTIONS[action]
    try:
        act(class_session=class_session, step=step)
        notice = Notice(done)
    except services.Refused as refusal:
        notice = Notice(str(refusal), refused=True)
    return _console_response(request, class_session, key, notice)


TEXT_ACTIONS = {
    "approve": (SharedText.Status.APPROVED, "The answer is on the projector."),
    "hide": (SharedText.Status.HIDDEN, "The answer is hidden."),
}


@login_required
@require_POST
def text_action(request, pk: int, text_id: int, action: str):
    class_session = class_session_for_teacher(request.user, pk)
    shared = get_object_or_404(
        SharedText.objects.select_related("poll"), pk=text_id, poll__class_session=class_session
    )
    if action not in TEXT_ACTIONS:
        raise Http404("No such action on an answer.")
    status, done = TEXT_ACTIONS[action]
    services.text_set_status(class_session=class_session, text=shared, status=status)
    return _console_response(request, class_session, shared.poll.step_key, Notice(done))


# What each of the teacher's buttons on a question does (a status None leaves it as it was), and what it says.
QUESTION_ACTIONS = {
    "show": (services.question_show, {}, "The question is on the projector."),
    "take-down": (services.question_set_status, {"status": None}, "The question is off the projector."),
    "answered": (
        services.question_set_status,
        {"status": AnonymousQuestion.Status.ANSWERED},
        "Marked as answered.",
    ),
    "hide": (
        services.question_set_status,
        {"status": AnonymousQuestion.Status.HIDDEN},
        "The question is hidden.",
    ),
}


@login_required
@require_POST
def question_action(request, pk: int, question_id: int, action: str):
    class_session = class_session_for_teacher(request.user, pk)
    asked = get_object_or_404(AnonymousQuestion, pk=question_id, class_session=class_session)
    if action not in QUESTION_ACTIONS:
        raise Http404("No such action on a question.")
    act, options, done = QUESTION_ACTIONS[action]
    act(class_session=class_session, question=asked, **options)
    slide = panels.slide_key(request.POST.get("slide", "")) or class_session.live_slide
    return _console_response(request, class_session, slide, Notice(done))
