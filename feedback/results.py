"""What teachers see: loads the answers behind a results view and summarises them with feedback.stats.

A group is one package version's responses from some class sessions (or from self-guided lessons, which
are always a group of their own). A group combining several sessions includes only the sessions big
enough to be shown on their own, stage by stage, so no view can be subtracted from another to reveal a
session that was too small to show.
"""

import dataclasses
import random
import uuid
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q

from accounts.access import is_pilot_lead
from feedback import stats
from feedback.charts import BarChart, bar_chart, scale_chart
from feedback.models import FeedbackAnswer, FeedbackResponse, FocusGroupNote, Stage
from lessons.models import YEAR_GROUPS, ClassSession, Package, PlanCount, Question, Step

NOT_GIVEN = "Not given"
# Answers that place a student in a group (a year group), whose small counts are withheld wherever they are shown
# (stats.withhold_small_groups); a new kind of this sort (a school, a gender) belongs here too.
GROUP_KINDS = frozenset({Question.Kind.YEAR_GROUP})


@dataclass(frozen=True)
class AskedQuestion:
    """A question as the results pages, CSV, PDF and bundles show it: what a school's bundle carries of it, or
    what this server's Question row says (`of`). Results hold these, never Question rows, so a bundle's figures
    need no made-up rows to reach the same templates."""

    key: str
    text: str
    kind: str
    low_label: str = ""
    high_label: str = ""
    choice_list: tuple[str, ...] = ()  # a bundle's questions carry no list of answers
    in_checkin: bool = False  # unknown for a bundle's question, so never claimed
    in_feedback: bool = True
    position: int = 0
    pk: int | None = None  # the Question row on this server that answers point at; None for a bundle's
    answer: str = ""  # a knowledge question's right answer ("True" or "False"); "" for other kinds

    @classmethod
    def of(cls, question: Question) -> "AskedQuestion":
        return cls(
            key=question.key,
            text=question.text,
            kind=question.kind,
            low_label=question.low_label,
            high_label=question.high_label,
            choice_list=tuple(question.choice_list),
            in_checkin=question.in_checkin,
            in_feedback=question.in_feedback,
            position=question.position,
            pk=question.pk,
            answer=question.correct_answer,
        )

    @property
    def kind_label(self) -> str:
        return Question.Kind(self.kind).label


@dataclass(frozen=True)
class ItemResult:
    """One question's answers in one stage: a 1–5 summary with its chart, or counts per option."""

    question: AskedQuestion
    answered: int
    scale: stats.ScaleSummary | None = None
    chart: BarChart | None = None
    options: list[stats.OptionCount] | None = None

    @property
    def correct(self) -> int | None:
        """For a knowledge question: how many gave the right answer (None for other kinds)."""
        if self.question.kind != Question.Kind.KNOWLEDGE or not self.question.answer:
            return None
        return next((o.count or 0 for o in self.options or [] if o.label == self.question.answer), 0)

    @property
    def correct_share(self) -> float | None:
        correct = self.correct
        return None if correct is None or not self.answered else correct / self.answered


@dataclass(frozen=True)
class StageResult:
    """A stage's figures; `responses` counts only the responses behind them (0 when nothing is shown)."""

    stage: str
    responses: int
    shown: bool
    items: list[ItemResult]
    waiting: int = 0  # responses not yet released: counted here, in no figure
    to_release: int | None = None  # how many more answers release them, when they are one group's

    @property
    def label(self) -> str:
        return Stage(self.stage).label


@dataclass(frozen=True)
class ChangeResult:
    question: AskedQuestion
    change: stats.ConfidenceChange


@dataclass(frozen=True)
class Comment:
    id: uuid.UUID
    text: str


@dataclass(frozen=True)
class CommentsResult:
    question: AskedQuestion
    comments: list[Comment]


@dataclass(frozen=True)
class BreakdownPart:
    label: str
    responses: int


@dataclass(frozen=True)
class BreakdownRow:
    """A 1–5 question's mean in each part, or (`shares`) a knowledge question's share giving the right answer."""

    question: AskedQuestion
    means: list[float | None]
    shares: bool = False


@dataclass(frozen=True)
class Breakdown:
    """Feedback 1–5 means for each year group (a column each); built only when every part is big enough."""

    parts: list[BreakdownPart]
    rows: list[BreakdownRow]


@dataclass(frozen=True)
class SessionCount:
    """A class session's released check-ins and feedback, and how many of its responses are still waiting."""

    class_session: ClassSession
    checkins: int
    feedbacks: int
    waiting: int = 0


@dataclass(frozen=True)
class AnswerRow:
    """One answer for the CSV; nothing ties it to the other answers of the same student."""

    source: str
    stage: str
    question: AskedQuestion
    answer: str

    @property
    def correct(self) -> str:
        """For a knowledge question's answer: "yes" when it is the right one, "no" otherwise."""
        if self.question.kind != Question.Kind.KNOWLEDGE or not self.question.answer:
            return ""
        return "yes" if self.answer == self.question.answer else "no"


@dataclass(frozen=True)
class PlanShare:
    """One plan count as a share of the students who joined the class sessions behind it (each session's
    count capped at its students joined: a device that joins again starts a new lesson, so it can count a
    second plan without taking a second place)."""

    count: int
    joined: int

    @property
    def share(self) -> float:
        return self.count / self.joined


@dataclass(frozen=True)
class PlanFigures:
    """Plans made and downloaded in a group (lessons.PlanCount), from the class sessions big enough to show on
    their own, measure by measure, as the answers are: a count below the minimum is never shown.

    `made_share` and `downloaded_share` set each count against the students who joined the same class sessions
    (ClassSession.students_joined); None for self-guided lessons, which have no count of students, and when the
    count is withheld or fewer than the minimum joined."""

    made: int
    downloaded: int
    minimum: int
    left_out: int = 0  # class sessions left out of either count for being too small
    made_share: PlanShare | None = None
    downloaded_share: PlanShare | None = None
    counts_known: bool = True  # False for schools' bundles, which give a count only with its share

    def shown(self, count: int) -> str:
        if count == 0:
            return "none yet"
        return str(count) if count >= self.minimum else f"fewer than {self.minimum}"

    @property
    def made_text(self) -> str:
        return self.shown(self.made)

    @property
    def downloaded_text(self) -> str:
        text = self.shown(self.downloaded)
        if self.downloaded >= self.minimum and self.made >= self.minimum:
            text += f" ({self.downloaded / self.made:.0%} of the plans made)"
        return text


def plan_share(counts: dict, joined: dict, minimum: int) -> PlanShare | None:
    """A count against the students joined, from the class sessions (by id) whose count is shown: none, or at
    least the minimum. A session whose count is withheld is left out of both sides, so that the share, set
    against its own session's page, gives away nothing that page withholds; None unless at least the minimum
    joined the sessions taken."""
    taken = [pk for pk in joined if counts.get(pk, 0) == 0 or counts[pk] >= minimum]
    total_joined = sum(joined[pk] for pk in taken)
    count = sum(min(counts.get(pk, 0), joined[pk]) for pk in taken)
    if total_joined < minimum or 0 < count < minimum:
        return None
    return PlanShare(count, total_joined)


def plan_figures(package: Package, class_sessions: list[ClassSession] | None, minimum: int) -> PlanFigures:
    """The group's plan counts: its class sessions' (each included only if big enough), or (None) the package
    version's self-guided lessons. One query."""
    rows = PlanCount.objects.filter(package=package)
    if class_sessions is None:
        rows = rows.filter(class_session__isnull=True)
    else:
        rows = rows.filter(class_session__in=class_sessions)
    made, downloaded = {}, {}
    for session_id, made_count, downloaded_count in rows.values_list(
        "class_session_id", "made", "downloaded"
    ):
        made[session_id], downloaded[session_id] = made_count, downloaded_count
    if class_sessions is None:  # self-guided: a count, with no count of students to set it against
        return PlanFigures(sum(made.values()), sum(downloaded.values()), minimum)
    joined = {class_session.pk: class_session.students_joined for class_session in class_sessions}
    shares = {
        "made_share": plan_share(made, joined, minimum),
        "downloaded_share": plan_share(downloaded, joined, minimum),
    }
    if len(class_sessions) == 1:  # one group: its own count, shown or not
        return PlanFigures(sum(made.values()), sum(downloaded.values()), minimum, **shares)
    made_in, made_out = stats.big_enough_groups(made, minimum)
    downloaded_in, downloaded_out = stats.big_enough_groups(downloaded, minimum)
    return PlanFigures(
        made=sum(made[key] for key in made_in),
        downloaded=sum(downloaded[key] for key in downloaded_in),
        minimum=minimum,
        left_out=len(set(made_out) | set(downloaded_out)),
        **shares,
    )


@dataclass(frozen=True)
class GroupResult:
    """One group's figures, as its results page, CSV and PDF show them."""

    title: str
    package: Package
    minimum: int
    self_guided: bool
    checkin: StageResult
    feedback: StageResult
    changes: list[ChangeResult] = field(default_factory=list)
    comments: list[CommentsResult] = field(default_factory=list)
    hidden_comments: int = 0
    breakdown: Breakdown | None = None
    breakdown_withheld: bool = False
    answer_rows: list[AnswerRow] = field(default_factory=list)
    sessions: list[SessionCount] = field(default_factory=list)
    left_out: dict[str, int] = field(default_factory=dict)
    plans: PlanFigures | None = None

    @property
    def stages(self) -> list[StageResult]:
        return [self.checkin, self.feedback]


@dataclass(frozen=True)
class Report:
    """Everything on one results page, its CSV and its PDF."""

    title: str
    scope: str
    filename: str
    groups: list[GroupResult]
    notes: list[FocusGroupNote]
    minimum: int

    @property
    def theme_counts(self) -> list[tuple[str, int]]:
        counts = stats.count_options(
            [theme.lower() for note in self.notes for theme in note.theme_list], [], most_first=True
        )
        return [(option.label, option.count) for option in counts]


def session_label(class_session: ClassSession | None) -> str:
    if class_session is None:
        return "Self-guided"
    return f"{class_session.label or 'Class session'} ({class_session.created_at:%d %b %Y})"


def session_report(class_session: ClassSession) -> Report:
    group = build_group(
        title=session_label(class_session), package=class_session.package, class_sessions=[class_session]
    )
    notes = list(FocusGroupNote.objects.filter(class_session=class_session).select_related("class_session"))
    return Report(
        title=f"Feedback: {session_label(class_session)}",
        scope="session",
        filename=f"feedback-session-{class_session.pk}",
        groups=[group],
        notes=notes,
        minimum=group.minimum,
    )


def teacher_report(user) -> Report:
    """Every session the user may see (their own; a pilot lead's are all), one group per package version."""
    sessions = list(ClassSession.objects.visible_to(user).select_related("package", "teacher"))
    by_package: dict[int, list[ClassSession]] = defaultdict(list)
    for class_session in sessions:
        by_package[class_session.package_id].append(class_session)
    packages = sorted({s.package for s in sessions}, key=lambda p: (p.title, p.version))
    groups = [
        build_group(
            title=f"{package.title}, version {package.version}",
            package=package,
            class_sessions=by_package[package.pk],
        )
        for package in packages
    ]
    title = (
        "Feedback from every class session"
        if is_pilot_lead(user)
        else "Feedback from all your class sessions"
    )
    return Report(
        title=title,
        scope="all",
        filename="feedback-all-sessions",
        groups=groups,
        notes=_notes_for(sessions),
        minimum=settings.FEEDBACK_MIN_GROUP,
    )


def package_report(package: Package, user) -> Report:
    """One package version: the user's class sessions, and for a pilot lead the self-guided lessons too."""
    sessions = list(
        ClassSession.objects.visible_to(user).filter(package=package).select_related("package", "teacher")
    )
    groups = [build_group(title="Class sessions", package=package, class_sessions=sessions)]
    if is_pilot_lead(user):
        groups.append(
            build_group(
                title="Self-guided (counted apart from classes)", package=package, class_sessions=None
            )
        )
    return Report(
        title=f"Feedback on {package.title}, version {package.version}",
        scope="package",
        filename=f"feedback-{package.slug}-v{package.version}",
        groups=groups,
        notes=_notes_for(sessions),
        minimum=settings.FEEDBACK_MIN_GROUP,
    )


def _notes_for(sessions: list[ClassSession]) -> list[FocusGroupNote]:
    return list(FocusGroupNote.objects.filter(class_session__in=sessions).select_related("class_session"))


def build_group(*, title: str, package: Package, class_sessions: list[ClassSession] | None) -> GroupResult:
    """Summarise one group: the given sessions of a package version, or (None) its self-guided lessons."""
    minimum = settings.FEEDBACK_MIN_GROUP
    self_guided = class_sessions is None
    responses = FeedbackResponse.objects.filter(package=package)
    responses = responses.self_guided() if self_guided else responses.filter(class_session__in=class_sessions)
    # Released responses only, in every figure; those still waiting for their batch are only counted.
    counts: dict[str, dict[int | None, int]] = {Stage.CHECKIN: {}, Stage.FEEDBACK: {}}
    waiting: dict[str, dict[int | None, int]] = {Stage.CHECKIN: {}, Stage.FEEDBACK: {}}
    for session_id, stage, released, number in (
        responses.values_list("class_session_id", "stage", "released").annotate(number=Count("pk")).order_by()
    ):
        (counts if released else waiting)[stage][session_id] = number
    included = {}
    left_out = {}
    for stage, per_session in counts.items():
        included[stage], dropped = stats.big_enough_groups(per_session, minimum)
        left_out[stage] = len(dropped)

    questions = [AskedQuestion.of(q) for q in Question.objects.filter(package=package).order_by("position")]
    steps = list(Step.objects.filter(package=package, detour=False).order_by("position"))
    answers = _load_answers(package, included)

    one_batch_group = self_guided or len(class_sessions) == 1
    checkin, feedback = (
        _with_waiting(
            _stage_result(stage, counts, included, questions, steps, answers, minimum),
            waiting[stage],
            minimum,
            one_batch_group,
        )
        for stage in (Stage.CHECKIN, Stage.FEEDBACK)
    )
    sessions = [
        SessionCount(
            s,
            counts[Stage.CHECKIN].get(s.pk, 0),
            counts[Stage.FEEDBACK].get(s.pk, 0),
            waiting[Stage.CHECKIN].get(s.pk, 0) + waiting[Stage.FEEDBACK].get(s.pk, 0),
        )
        for s in class_sessions or []
    ]
    changes = _changes(questions, answers) if checkin.shown and feedback.shown else []
    comments, hidden_comments, breakdown, breakdown_withheld = [], 0, None, False
    if feedback.shown:
        comments, hidden_comments = _comments(questions, answers)
        breakdown, breakdown_withheld = _year_breakdown(
            questions, answers, counts[Stage.FEEDBACK], included[Stage.FEEDBACK], minimum, class_sessions
        )
    withheld = {
        (stage.stage, item.question.pk): {option.label for option in item.options if option.count is None}
        for stage in (checkin, feedback)
        for item in stage.items
        if item.question.kind in GROUP_KINDS
    }
    return GroupResult(
        title=title,
        package=package,
        minimum=minimum,
        self_guided=self_guided,
        checkin=checkin,
        feedback=feedback,
        changes=changes,
        comments=comments,
        hidden_comments=hidden_comments,
        breakdown=breakdown,
        breakdown_withheld=breakdown_withheld,
        answer_rows=_answer_rows(questions, steps, answers, class_sessions or [], withheld, minimum),
        sessions=sessions,
        left_out=left_out if not self_guided else {},
        plans=plan_figures(package, class_sessions, minimum),
    )


def _load_answers(package: Package, included: dict[str, list]) -> list[dict]:
    condition = Q(pk__in=[])
    for stage, session_ids in included.items():
        if not session_ids:
            continue
        in_stage = Q(response__stage=stage)
        if None in session_ids:
            condition |= in_stage & Q(response__class_session__isnull=True)
        else:
            condition |= in_stage & Q(response__class_session_id__in=session_ids)
    if condition == Q(pk__in=[]):
        return []
    return list(
        FeedbackAnswer.objects.released()
        .filter(condition, response__package=package)
        .values(
            "id",
            "question_id",
            "scale_value",
            "choice",
            "step_id",
            "text",
            "hidden",
            "response_id",
            "response__stage",
            "response__class_session_id",
        )
    )


def _values(answers: list[dict], question: AskedQuestion, stage: str, column: str) -> list:
    return [a[column] for a in answers if a["question_id"] == question.pk and a["response__stage"] == stage]


def _step_label(steps: list[Step], step_id: int) -> str:
    """A step as students named it in feedback: its short title; a step without one, by number and title."""
    for number, step in enumerate(steps, start=1):
        if step.pk == step_id:
            return step.short_title or f"Step {number}: {step.title}"
    return "A step no longer in the lesson"


def _stage_result(stage, counts, included, questions, steps, answers, minimum) -> StageResult:
    shown_total = sum(counts[stage][key] for key in included[stage])
    asked = [q for q in questions if (q.in_checkin if stage == Stage.CHECKIN else q.in_feedback)]
    shown = stats.enough(shown_total, minimum)
    items = []
    if shown:
        for question in asked:
            item = _item_result(question, stage, steps, answers, minimum)
            if item is not None:
                items.append(item)
    return StageResult(stage=stage, responses=shown_total if shown else 0, shown=shown, items=items)


def _with_waiting(result: StageResult, waiting: dict, minimum: int, one_batch_group: bool) -> StageResult:
    """The stage's result with how many responses wait for their batch and, when the whole group is released
    together (one class session, or the self-guided lessons), how many more answers would release them."""
    count = sum(waiting.values())
    to_release = max(minimum - count, 1) if count and one_batch_group else None
    return dataclasses.replace(result, waiting=count, to_release=to_release)


def _item_result(
    question: AskedQuestion, stage: str, steps: list[Step], answers: list[dict], minimum: int
) -> ItemResult | None:
    answered = len(
        {
            a["response_id"]
            for a in answers
            if a["question_id"] == question.pk and a["response__stage"] == stage
        }
    )
    if question.kind == Question.Kind.SCALE:
        summary = stats.summarise_scale(_values(answers, question, stage, "scale_value"))
        return ItemResult(
            question,
            answered,
            scale=summary,
            chart=scale_chart(summary, question.low_label, question.high_label),
        )
    if question.kind in (Question.Kind.CHOICE, Question.Kind.YEAR_GROUP, Question.Kind.KNOWLEDGE):
        options = stats.count_options(_values(answers, question, stage, "choice"), question.choice_list)
        if question.kind in GROUP_KINDS:
            options = stats.withhold_small_groups(options, minimum)
        return ItemResult(question, answered, options=options, chart=options_chart(options))
    if question.kind == Question.Kind.USEFUL_STEPS:
        labels = [_step_label(steps, step_id) for step_id in _values(answers, question, stage, "step_id")]
        every_step = [_step_label(steps, step.pk) for step in steps]
        options = stats.count_options(labels, every_step, most_first=True)
        return ItemResult(question, answered, options=options, chart=options_chart(options))
    return None  # free text is shown as comments


def options_chart(options: list[stats.OptionCount]) -> BarChart:
    return bar_chart([(option.label, option.count, option.shown) for option in options])


def _changes(questions: list[AskedQuestion], answers: list[dict]) -> list[ChangeResult]:
    return [
        ChangeResult(
            question,
            stats.confidence_change(
                _values(answers, question, Stage.CHECKIN, "scale_value"),
                _values(answers, question, Stage.FEEDBACK, "scale_value"),
            ),
        )
        for question in questions
        if question.kind == Question.Kind.SCALE and question.in_checkin and question.in_feedback
    ]


def _comments(questions: list[AskedQuestion], answers: list[dict]) -> tuple[list[CommentsResult], int]:
    results, hidden = [], 0
    for question in questions:
        if question.kind != Question.Kind.TEXT or not question.in_feedback:
            continue
        written = [
            a for a in answers if a["question_id"] == question.pk and a["response__stage"] == Stage.FEEDBACK
        ]
        hidden += sum(1 for a in written if a["hidden"])
        comments = [Comment(a["id"], a["text"]) for a in written if not a["hidden"]]
        random.shuffle(comments)  # never in the order they were written
        results.append(CommentsResult(question, comments))
    return results, hidden


def _year_breakdown(
    questions, answers, feedback_counts, included, minimum, class_sessions
) -> tuple[Breakdown | None, bool]:
    """Feedback means per year group, or (None, True) when any year group in any session is too small.

    A version that asks students their year group (as versions up to 2 of the bundled package did) is broken
    down by their answers; a version that does not ask, by the year group the teacher gave each class session
    (none given: "Not given")."""
    year_question = next((q for q in questions if q.kind == Question.Kind.YEAR_GROUP and q.in_feedback), None)
    if year_question is None:
        sessions = {s.pk: s for s in class_sessions or []}
        if not any(sessions[pk].year_group for pk in included if pk in sessions):
            return None, False
        year_in = {pk: session.year_group or NOT_GIVEN for pk, session in sessions.items()}
        year_of = {
            a["response_id"]: (a["response__class_session_id"], year_in[a["response__class_session_id"]])
            for a in answers
            if a["response__stage"] == Stage.FEEDBACK and a["response__class_session_id"] in year_in
        }
        parts: dict[tuple, int] = defaultdict(int)
        for session_id in included:
            if session_id in year_in:
                parts[(session_id, year_in[session_id])] += feedback_counts.get(session_id, 0)
        choice_list = list(YEAR_GROUPS)
    else:
        year_of = {
            a["response_id"]: (a["response__class_session_id"], a["choice"])
            for a in answers
            if a["question_id"] == year_question.pk and a["response__stage"] == Stage.FEEDBACK
        }
        if not year_of:
            return None, False
        parts = defaultdict(int)
        for session_id, year in year_of.values():
            parts[(session_id, year)] += 1
        for session_id in included:
            given = sum(count for (s, _), count in parts.items() if s == session_id)
            parts[(session_id, NOT_GIVEN)] = feedback_counts.get(session_id, 0) - given
        choice_list = list(year_question.choice_list)
    if not stats.breakdown_allowed(parts.values(), minimum):
        return None, True

    labels = [*choice_list, NOT_GIVEN]
    labels += sorted({year for _, year in year_of.values()} - set(labels))
    shown_parts = []
    for label in labels:
        responses = sum(count for (_, year), count in parts.items() if year == label)
        if responses:
            shown_parts.append(BreakdownPart(label, responses))

    def part_of(response_id) -> str:
        return year_of[response_id][1] if response_id in year_of else NOT_GIVEN

    rows = []
    for question in questions:
        if question.kind != Question.Kind.SCALE or not question.in_feedback:
            continue
        values = defaultdict(list)
        for a in answers:
            if a["question_id"] == question.pk and a["response__stage"] == Stage.FEEDBACK:
                values[part_of(a["response_id"])].append(a["scale_value"])
        rows.append(
            BreakdownRow(question, [stats.summarise_scale(values[part.label]).mean for part in shown_parts])
        )
    for question in questions:
        if question.kind != Question.Kind.KNOWLEDGE or not question.in_feedback or not question.answer:
            continue
        given = defaultdict(list)
        for a in answers:
            if a["question_id"] == question.pk and a["response__stage"] == Stage.FEEDBACK:
                given[part_of(a["response_id"])].append(a["choice"] == question.answer)
        right = [sum(given[p.label]) / len(given[p.label]) if given[p.label] else None for p in shown_parts]
        rows.append(BreakdownRow(question, right, shares=True))
    return Breakdown(shown_parts, rows), False


def _answer_rows(questions, steps, answers, class_sessions, withheld, minimum) -> list[AnswerRow]:
    """The CSV's rows; an answer naming a group too small to show (withheld, by stage and question) says only
    that its group had fewer than the minimum."""
    sessions = {s.pk: s for s in class_sessions}
    by_id = {q.pk: q for q in questions}
    rows = []
    for a in answers:
        if a["hidden"]:
            continue
        question = by_id[a["question_id"]]
        if a["scale_value"] is not None:
            value = str(a["scale_value"])
        elif a["step_id"] is not None:
            value = _step_label(steps, a["step_id"])
        elif a["choice"] in withheld.get((a["response__stage"], question.pk), ()):
            value = f"A {question.kind_label.lower()} with fewer than {minimum} answers"
        else:
            value = a["choice"] or a["text"]
        source = session_label(sessions.get(a["response__class_session_id"]))
        rows.append(AnswerRow(source, a["response__stage"], question, value))
    stage_order = {Stage.CHECKIN: 0, Stage.FEEDBACK: 1}
    random.shuffle(rows)  # free text stays shuffled; everything else is sorted by its answer
    rows.sort(
        key=lambda r: (
            stage_order[r.stage],
            r.question.position,
            r.source,
            "" if r.question.kind == Question.Kind.TEXT else r.answer,
        )
    )
    return rows
