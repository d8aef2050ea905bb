"""The live lesson's shared state: the slide the teacher shows, how students follow, and its version number.

Everything here lives in the database (the ClassSession row), never in a process, so a console on one app
server and students on another see the same lesson. Anything that changes what the projector or students'
screens show calls `bump`, so that screens polling the version know to fetch again.
"""

import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.db import router
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone

from lessons.models import ClassSession, Pace, Question, Step
from lessons.walkthrough import Route, route_for

# Slides that are not steps of the package. Every other slide key is a step's key.
RULES = "rules"
CHECKIN = "checkin"
PLAN = "plan"
FEEDBACK = "feedback"
CLOSE = "close"
SPECIAL_SLIDES = (RULES, CHECKIN, PLAN, FEEDBACK, CLOSE)

__all__ = [
    "CHECKIN",
    "CLOSE",
    "FEEDBACK",
    "PLAN",
    "RULES",
    "SPECIAL",
    "SPECIAL_SLIDES",
    "LiveState",
    "Pace",
    "Slide",
    "bump",
    "followed_class",
    "is_ahead",
    "live_state",
    "recent_states",
    "slides_for",
]


def bump(class_session: ClassSession, **changes) -> None:
    """Save `changes` (live_slide, pace, paused) and raise the version in one UPDATE; the instance follows."""
    ClassSession.objects.filter(pk=class_session.pk).update(live_version=F("live_version") + 1, **changes)
    class_session.refresh_from_db(fields=["live_version", *changes])
    recent_states.forget(class_session.pk)


@dataclass(frozen=True)
class SpecialSlide:
    """A slide of the live lesson that is not a step of the package: where it sits and what it shows."""

    key: str
    title: str
    group: int  # before the steps (below 0) or after them (above 0)
    student_url_name: str  # the page a following student's screen shows for it
    notes: str  # the console's notes for it (a step's come from the package)
    # Its page opens a section (the plan builder) whose every page counts as being on this slide.
    whole_section: bool = False


# One table of the special slides, in the order the lesson runs them; every layer reads it.
SPECIAL: dict[str, SpecialSlide] = {
    slide.key: slide
    for slide in [
        SpecialSlide(
            RULES,
            "Ground rules and joining",
            -2,
            "lessons:rules",
            "- Read the ground rules together and check everyone agrees.\n"
            "- Show the quick-exit button (or Shift three times) and agree how a student can step out quietly.\n"
            "- Wait until the console shows that everyone has joined.",
        ),
        SpecialSlide(
            CHECKIN,
            "Check-in questions",
            -1,
            "feedback:checkin",
            "- The check-in is optional and anonymous: nobody, you included, can see who answered what.\n"
            "- Give about three minutes. The console counts the answers as they come in.",
        ),
        SpecialSlide(
            PLAN,
            "Make your plan",
            1,
            "plans:start",
            "- Students build their plan on their own device, in their own words.\n"
            "- A plan is private: it never reaches you or anyone else. Do not ask to see one.\n"
            "- Suggest they download or print it, or copy a line onto paper.",
            whole_section=True,
        ),
        SpecialSlide(
            FEEDBACK,
            "Tell us what you thought",
            2,
            "feedback:start",
            "- The feedback is anonymous and helps improve the lesson.\n"
            "- Results appear on your results page once at least five students have answered.",
        ),
        SpecialSlide(
            CLOSE,
            "Close",
            3,
            "lessons:end",
            "- Remind everyone where to get help: a trusted adult, Childline on 0800 1111.\n"
            "- On shared computers, students press Finish and clear this computer.\n"
            "- Close the session on its page when the lesson ends: its live data is deleted then.",
        ),
    ]
}


@dataclass(frozen=True)
class Slide:
    """One slide of the live lesson: a special slide, or a step of the package (with its progress number)."""

    key: str
    title: str
    step: Step | None = None
    number: int = 0  # a step's "Step N" in the lesson, as students see it; a detour shares its choice's

    @property
    def special(self) -> SpecialSlide | None:
        return SPECIAL.get(self.key)

    @property
    def template(self) -> str:
        """What the projector and the console's small copy show: a step as students see it, or the special
        slide's own template."""
        return "lessons/live/slides/step.html" if self.step else f"lessons/live/slides/{self.key}.html"

    @property
    def notes(self) -> str:
        return self.step.teacher_notes if self.step else self.special.notes

    @property
    def student_url(self) -> str:
        return student_url(self.key)


def student_url(key: str) -> str:
    """The page a student's screen shows for slide `key`."""
    if key in SPECIAL:
        return reverse(SPECIAL[key].student_url_name)
    return reverse("lessons:step", args=[key])


def slides_for(package_id: int) -> list[Slide]:
    """Every slide of a lesson in order: the ground rules and join slide, the check-in (when the package
    asks check-in questions), every step (detours after their choice), the plan, the feedback (when it asks
    feedback questions) and the close. Two queries."""
    route = route_for(package_id)
    asks = Question.objects.filter(package_id=package_id).aggregate(
        checkin=Count("pk", filter=Q(in_checkin=True)), feedback=Count("pk", filter=Q(in_feedback=True))
    )
    skipped = {key for key, count in [(CHECKIN, asks["checkin"]), (FEEDBACK, asks["feedback"])] if not count}
    specials = [slide for slide in SPECIAL.values() if slide.key not in skipped]
    return [
        *(Slide(slide.key, slide.title) for slide in specials if slide.group < 0),
        *(Slide(step.key, step.title, step, route.lesson_number(step)) for step in route.steps),
        *(Slide(slide.key, slide.title) for slide in specials if slide.group > 0),
    ]


def _rank(key: str, route: Route) -> tuple[int, int] | None:
    if key in SPECIAL:
        return (SPECIAL[key].group, 0)
    step = route.find(key)
    return (0, route.number(step)) if step else None


def is_ahead(key: str, live_slide: str, route: Route) -> bool:
    """Whether slide `key` comes after the teacher's slide. A detour counts as its choice, so a student can
    see where their choice leads while the class is on it."""
    wanted, shown = _rank(key, route), _rank(live_slide, route)
    return wanted is not None and shown is not None and wanted > shown


@dataclass(frozen=True)
class LiveState:
    """What every screen of a class follows, as read in one query."""

    slide: str
    version: int
    pace: str
    paused: bool
    is_open: bool

    @property
    def leads(self) -> bool:
        """Whether students' screens follow the teacher's now (an open session, teacher-paced)."""
        return self.is_open and self.pace == Pace.TEACHER

    @property
    def etag(self) -> str:
        return f'"live-{self.version}"'

    @classmethod
    def of(cls, class_session: ClassSession) -> "LiveState":
        return cls._from(
            class_session.live_slide,
            class_session.live_version,
            class_session.pace,
            class_session.paused,
            class_session.closed_at,
            class_session.closes_at,
        )

    @classmethod
    def _from(cls, slide, version, pace, paused, closed_at: datetime | None, closes_at: datetime):
        is_open = closed_at is None and closes_at > timezone.now()
        return cls(slide=slide, version=version, pace=pace, paused=paused, is_open=is_open)


STATE_FIELDS = ("live_slide", "live_version", "pace", "paused", "closed_at", "closes_at")
# What a student's page needs of its class besides the state (the session itself and its package version),
# in the model's order of fields, as Model.from_db takes them.
ROW_FIELDS = tuple(
    field.attname
    for field in ClassSession._meta.concrete_fields
    if field.attname in {"id", "package_id", *STATE_FIELDS}
)


def _state_row(class_session_id: int) -> tuple | None:
    # No ordering (by primary key there is one row at most): building the query is most of a poll's work.
    rows = ClassSession.objects.filter(pk=class_session_id).order_by().values_list(*ROW_FIELDS)[:1]
    return next(iter(rows), None)


def _state_of(row: tuple) -> LiveState:
    values = dict(zip(ROW_FIELDS, row, strict=True))
    return LiveState._from(*(values[name] for name in STATE_FIELDS))


def live_state(class_session_id: int) -> LiveState | None:
    """The class's live state: one query by primary key. None if the session no longer exists."""
    row = _state_row(class_session_id)
    return _state_of(row) if row else None


class RecentStates:
    """Each process keeps a class's live state for a quarter of a second after reading it, for students' polls
    and step pages.

    A class of 30 polling every 2 s asks about 15 times a second, and a school's 1,000 students about 500
    times: kept for a moment, a class's state costs each process one query every quarter second, however many
    of its students ask or turn a page. A state kept is at most `seconds` old, so a screen polling every 2 s
    still sees the teacher's change within 2.5 s on whichever app server it asks, and `bump` (and closing or
    reopening the session) forgets the class in its own process. A step page that a kept state would hold back
    ("Eyes on the board", "Wait for your teacher") asks again afresh first (lessons/views.py). The console, the
    projector and students' answers read the row.
    """

    LIMIT = 10_000  # classes kept at most (a school has a few dozen open): beyond, the old ones go

    def __init__(self, seconds: float = 0.25):
        self.seconds = seconds
        self._kept: dict[int, tuple[float, tuple | None, LiveState | None]] = {}

    def _entry(self, class_session_id: int) -> tuple[float, tuple | None, LiveState | None]:
        now = time.monotonic()
        kept = self._kept.get(class_session_id)
        if kept is not None and now - kept[0] < self.seconds:
            return kept
        row = _state_row(class_session_id)
        kept = (now, row, _state_of(row) if row else None)
        if len(self._kept) >= self.LIMIT:
            self._kept = {key: value for key, value in self._kept.items() if now - value[0] < self.seconds}
        self._kept[class_session_id] = kept
        return kept

    def get(self, class_session_id: int) -> LiveState | None:
        return self._entry(class_session_id)[2]

    def class_session(self, class_session_id: int) -> ClassSession | None:
        """The class session as last read, without a query while it is kept: a new instance each time, with
        its id, package and live state loaded, and any other field read from the database if asked for (as
        Django does with a deferred field)."""
        row = self._entry(class_session_id)[1]
        if row is None:
            return None
        return ClassSession.from_db(router.db_for_read(ClassSession), ROW_FIELDS, row)

    def forget(self, class_session_id: int) -> None:
        self._kept.pop(class_session_id, None)

    def clear(self) -> None:
        self._kept.clear()


recent_states = RecentStates()


# A student's device carries a signed note of the class it follows, sent only to the poll (its path), so that
# a poll needs no session row: only the one query for the class's state. It says which class session, by its
# number, and nothing else; it ends when the browser closes, and "Finish and clear" removes it with the rest.
FOLLOW_COOKIE = "live_class"
FOLLOW_SALT = "lessons.live.follow"


def follow(response, class_session_id: int | None) -> None:
    """Give the device the note for `class_session_id`, or take it away (None: a self-guided lesson)."""
    path = reverse("lessons:live_state")
    if class_session_id is None:
        response.delete_cookie(FOLLOW_COOKIE, path=path, samesite="Lax")
        return
    response.set_cookie(
        FOLLOW_COOKIE,
        signing.dumps(class_session_id, salt=FOLLOW_SALT),
        path=path,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


def followed_class(request) -> int | None:
    """The class session this device follows, from its note; None without a sound one."""
    raw = request.COOKIES.get(FOLLOW_COOKIE)
    if not raw:
        return None
    try:
        class_session_id = signing.loads(raw, salt=FOLLOW_SALT, max_age=settings.SESSION_COOKIE_AGE)
    except signing.BadSignature:
        return None
    return class_session_id if isinstance(class_session_id, int) else None
