"""What the console, projector and student panels show for one slide, as typed values their templates read."""

from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count
from django.urls import reverse
from django.utils.http import urlencode

from lessons import live
from lessons.live_responses import devices, services
from lessons.live_responses.forms import QuestionForm, TextForm, VoteForm, WordsForm
from lessons.live_responses.models import AnonymousQuestion, Poll, SharedText, Vote, WordPick
from lessons.models import ChoiceOption, ClassSession, Step
from lessons.package_rules import SLUG
from lessons.step_kinds import STEP_KINDS

VOTE, WORDS, TEXT = "vote", "words", "text"


def slide_key(slide) -> str:
    """The slide's key, whether the page passes the key itself or a step (anything with a `key`); "" for
    anything that is not a slide's key."""
    key = getattr(slide, "key", slide)
    return key if isinstance(key, str) and len(key) <= 60 and SLUG.match(key) else ""


def step_for(class_session: ClassSession, slide) -> Step | None:
    """The package step the slide shows; None for a special slide (ground rules, plan, ...) or no slide."""
    key = slide_key(slide)
    if not key or key in live.SPECIAL_SLIDES:
        return None
    if isinstance(slide, Step) and slide.package_id == class_session.package_id:
        return slide
    return Step.objects.filter(package_id=class_session.package_id, key=key).first()


def mode_of(step: Step | None) -> str:
    """What the class does on the step: vote (a choice), share words or a text (a think step that lets them)."""
    if step is None:
        return ""
    kind = STEP_KINDS[step.kind]
    if kind.takes_votes:
        return VOTE
    return step.share if kind.may_share else ""


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    percent: int  # of the devices that answered, for the bar's length and the text


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    answered: int


def _chart(rows: list[tuple[str, int]], answered: int) -> Chart:
    return Chart(
        bars=[Bar(label, count, round(100 * count / answered) if answered else 0) for label, count in rows],
        answered=answered,
    )


@dataclass(frozen=True)
class PollView:
    """A step's poll as a panel shows it: the chart only once the teacher has revealed it."""

    step: Step
    mode: str
    closed: bool = False
    revealed: bool = False
    answered: int = 0
    chart: Chart | None = None
    options: list[ChoiceOption] = field(default_factory=list)


def poll_view(
    class_session: ClassSession,
    step: Step | None,
    options: list[ChoiceOption] | None = None,
    *,
    counted: bool = True,
) -> PollView | None:
    """The step's poll; `options`, a choice's options when the caller has them already (else one query).
    Without `counted` (a student's panel, which shows neither), no count of answers and no chart."""
    mode = mode_of(step)
    if not mode:
        return None
    poll = Poll.objects.filter(class_session=class_session, step_key=step.key).first()
    if mode != VOTE:
        options = []
    elif options is None:
        options = list(step.options.all())
    if poll is None:
        return PollView(step=step, mode=mode, options=options)
    if not counted:
        return PollView(step, mode, poll.closed, poll.revealed, options=options)
    answered = services.responders(poll)
    chart = _reveal(poll, step, options, answered) if poll.revealed else None
    return PollView(step, mode, poll.closed, poll.revealed, answered, chart, options)


def _reveal(poll: Poll, step: Step, options: list[ChoiceOption], answered: int) -> Chart:
    if options:
        votes = dict(Vote.objects.filter(poll=poll).values_list("option").annotate(n=Count("pk")))
        return _chart([(option.label, votes.get(option.position, 0)) for option in options], answered)
    picks = dict(WordPick.objects.filter(poll=poll).values_list("word").annotate(n=Count("pk")))
    words = step.word_list
    ranked = sorted(words, key=lambda word: (-picks.get(word, 0), words.index(word)))
    return _chart([(word, picks.get(word, 0)) for word in ranked], answered)


def _texts(class_session: ClassSession, step: Step | None, *statuses: str) -> list[SharedText]:
    if mode_of(step) != TEXT:
        return []
    return list(
        SharedText.objects.filter(
            poll__class_session=class_session, poll__step_key=step.key, status__in=statuses
        ).order_by("pk")
    )


@dataclass(frozen=True)
class ConsolePanel:
    class_session: ClassSession
    slide: str
    poll: PollView | None
    joined: int
    least: int  # answers needed before a chart may be revealed
    waiting_texts: list[SharedText]
    approved_texts: list[SharedText]
    questions: list[AnonymousQuestion]  # new ones, newest first
    answered_questions: list[AnonymousQuestion]


def console_panel(class_session: ClassSession, slide) -> ConsolePanel:
    step = step_for(class_session, slide)
    questions = list(
        class_session.anonymous_questions.exclude(status=AnonymousQuestion.Status.HIDDEN).order_by("-pk")
    )
    return ConsolePanel(
        class_session=class_session,
        slide=slide_key(slide) or live.RULES,
        poll=poll_view(class_session, step),
        joined=class_session.students_joined,
        least=settings.FEEDBACK_MIN_GROUP,
        waiting_texts=_texts(class_session, step, SharedText.Status.WAITING),
        approved_texts=_texts(class_session, step, SharedText.Status.APPROVED),
        questions=[q for q in questions if q.status == AnonymousQuestion.Status.NEW],
        answered_questions=[q for q in questions if q.status == AnonymousQuestion.Status.ANSWERED],
    )


@dataclass(frozen=True)
class ProjectorPanel:
    poll: PollView | None
    approved_texts: list[SharedText]
    question: AnonymousQuestion | None


def projector_panel(class_session: ClassSession, slide) -> ProjectorPanel:
    step = step_for(class_session, slide)
    return ProjectorPanel(
        poll=poll_view(class_session, step),
        approved_texts=_texts(class_session, step, SharedText.Status.APPROVED),
        question=class_session.anonymous_questions.filter(on_projector=True).first(),
    )


@dataclass(frozen=True)
class StudentPanel:
    class_session: ClassSession
    poll: PollView | None
    my_vote: int | None
    my_vote_label: str
    my_words: list[str]
    text_sent: bool
    questions_left: int
    notice: devices.Notice | None
    words_per_device: int = services.WORDS_PER_DEVICE


def student_panel(
    class_session: ClassSession,
    slide,
    session,
    notice: devices.Notice | None,
    options: list[ChoiceOption] | None = None,
) -> StudentPanel:
    step = step_for(class_session, slide)
    poll = poll_view(class_session, step, options, counted=False)
    mode = poll.mode if poll else ""
    my_vote, my_words, text_sent = None, [], False
    device = devices.known_device_hash(session, class_session.pk, f"{mode}.{step.key}") if mode else None
    if device is not None:
        mine = {"poll__class_session": class_session, "poll__step_key": step.key, "device": device}
        if mode == VOTE:
            my_vote = Vote.objects.filter(**mine).values_list("option", flat=True).first()
        elif mode == WORDS:
            my_words = list(WordPick.objects.filter(**mine).values_list("word", flat=True))
        else:
            text_sent = services.allowance_left(class_session, device, services.TEXTS_PER_DEVICE) == 0
    questions = devices.known_device_hash(session, class_session.pk, "questions")
    return StudentPanel(
        class_session=class_session,
        poll=poll,
        my_vote=my_vote,
        my_vote_label=next((o.label for o in poll.options if o.position == my_vote), "") if poll else "",
        my_words=my_words,
        text_sent=text_sent,
        questions_left=services.allowance_left(class_session, questions, services.QUESTIONS_PER_DEVICE),
        notice=notice,
    )


def is_plain(class_session: ClassSession, slide, session) -> bool:
    """Whether this device's panel on `slide` is the one every student of an open class sees alike there: no
    poll on the slide, and nothing sent from the device (so no answer or allowance of its own) and no notice
    waiting for it. Such a panel may be kept (rendering.PlainPanels); any other is the device's alone."""
    return (
        class_session.is_open
        and not mode_of(step_for(class_session, slide))
        and devices.NOTICE_KEY not in session
        and devices.known_device_hash(session, class_session.pk, "questions") is None
    )


# The contexts of the three panels' templates (templates/lessons/live/responses/), for the template tags that
# the console, projector and student pages include, and for the views that send a panel back to a fetch.


def console_context(class_session: ClassSession, slide, *, next_url: str = "", notice=None) -> dict:
    panel = console_panel(class_session, slide)
    refresh_url = reverse("live_responses:console", args=[class_session.pk, panel.slide])
    if next_url:
        refresh_url += "?" + urlencode({"next": next_url})
    return {"panel": panel, "notice": notice, "next_url": next_url, "refresh_url": refresh_url}


def projector_context(class_session: ClassSession, slide) -> dict:
    return {"panel": projector_panel(class_session, slide)}


def student_context(
    class_session: ClassSession, slide, session, *, next_url: str = "", notice=None, options=None
) -> dict:
    """The student panel and its forms; a notice not given is the one left by the last plain post; `options`,
    the choice step's options when the page has them already."""
    panel = student_panel(class_session, slide, session, notice or devices.take_notice(session), options)
    notice = panel.notice
    common = {"next_url": next_url, "slide": slide_key(slide)}

    def typed(form: str) -> str:
        return notice.value if notice and notice.form == form else ""

    forms = {}
    poll = panel.poll
    if poll and not poll.closed and class_session.is_open:
        step_key = poll.step.key
        if poll.mode == VOTE:
            forms["vote_form"] = VoteForm(
                action=reverse("live_responses:vote", args=[step_key]),
                options=poll.options,
                initial={"option": panel.my_vote},
                **common,
            )
        elif poll.mode == WORDS:
            forms["words_form"] = WordsForm(
                action=reverse("live_responses:words", args=[step_key]),
                words=poll.step.word_list,
                initial={"words": panel.my_words},
                **common,
            )
        elif not panel.text_sent:
            forms["text_form"] = TextForm(
                action=reverse("live_responses:text", args=[step_key]),
                initial={"answer": typed("text")},
                **common,
            )
    if panel.questions_left and class_session.is_open:
        forms["question_form"] = QuestionForm(initial={"question": typed("question")}, **common)
    return {"panel": panel, "question_open": bool(notice and notice.form == "question"), **forms}
