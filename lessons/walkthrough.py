"""The student's lesson: its typed state in the session, and the route and content of a package's steps."""

import secrets
from dataclasses import dataclass, field

from lessons.models import Package, Step
from lessons.step_cache import PerVersion
from lessons.step_kinds import STEP_KINDS


@dataclass(frozen=True)
class Route:
    """The ordered steps of one package version, loaded in one query, and the lesson's numbering around them.

    A lesson runs: ground rules (not numbered) → check-in (step 1) → the story's main steps (2 to n+1) → the
    plan (n+2) → feedback (n+3, the last). Every "Step N of M" a student sees comes from here."""

    steps: list[Step]

    CHECKIN_NUMBER = 1
    STEPS_BEFORE_STORY = 1  # the check-in
    STEPS_AFTER_STORY = 2  # the plan, then the feedback

    @property
    def main(self) -> list[Step]:
        return [step for step in self.steps if not step.detour]

    @property
    def total(self) -> int:
        return len(self.main)

    @property
    def first(self) -> Step:
        return self.main[0]

    @property
    def lesson_total(self) -> int:
        """How many steps the whole lesson has: the check-in, the story's main steps, the plan, the feedback."""
        return self.lesson_total_for(self.total)

    @classmethod
    def lesson_total_for(cls, story_steps: int) -> int:
        return cls.STEPS_BEFORE_STORY + story_steps + cls.STEPS_AFTER_STORY

    @property
    def plan_number(self) -> int:
        return self.STEPS_BEFORE_STORY + self.total + 1

    @property
    def feedback_number(self) -> int:
        return self.lesson_total

    def lesson_number(self, step: Step) -> int:
        """A story step's place in the whole lesson (the check-in comes first); a detour shares its choice's."""
        return self.STEPS_BEFORE_STORY + self.number(step)

    def find(self, key: str) -> Step | None:
        return next((step for step in self.steps if step.key == key), None)

    def number(self, step: Step) -> int:
        """Progress number: a main step's place on the main path; a detour shares its choice's number."""
        main_before = [s for s in self.main if s.position <= step.position]
        return len(main_before)

    def next_step(self, step: Step) -> Step | None:
        if step.next_key:
            return self.find(step.next_key)
        return next((s for s in self.main if s.position > step.position), None)

    def previous_step(self, step: Step) -> Step | None:
        return next((s for s in reversed(self.main) if s.position < step.position), None)


def route_for(package_id: int) -> Route:
    return Route(list(Step.objects.with_pictures().filter(package_id=package_id).order_by("position")))


@dataclass(frozen=True)
class LessonContent:
    """What a student's step pages show for one package version: its route, and each step's own content,
    fetched the first time that step is shown (one query) and kept with the rest."""

    package: Package
    route: Route
    # By step id: the names and lists its kind's template uses ({"chat": [...]}, {"options": [...]}, ...).
    steps: dict[int, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, package_id: int) -> "LessonContent | None":
        steps = list(
            Step.objects.with_pictures()
            .filter(package_id=package_id)
            .select_related("package")
            .order_by("position")
        )
        if not steps:
            return None
        return cls(steps[0].package, Route(steps))

    def for_step(self, step: Step) -> dict:
        """The content the step's kind shows, by the names its template uses."""
        if step.pk not in self.steps:
            self.steps[step.pk] = STEP_KINDS[step.kind].content(step)
        return self.steps[step.pk]


# The content of the published versions in use, kept in this process: it holds rows of a version (the same
# for everyone), never anything of a student, and the key holds the version's digest (see PerVersion).
lesson_contents: PerVersion[LessonContent] = PerVersion()


def lesson_content(session) -> LessonContent | None:
    """The content of the student's lesson, usually from this process's memory (no query at all); None if
    no lesson was started or the package has gone (deleted by a pilot lead)."""
    state = lesson_state(session)
    if state is None:
        return None
    if (content := lesson_contents.get(state.package_id, state.digest)) is not None:
        return content
    content = LessonContent.load(state.package_id)
    if content is None:
        return None
    package = content.package
    if not package.is_draft and state.digest != package.digest:  # an older session, or a version replaced
        session[SESSION_KEY] = {**session[SESSION_KEY], "digest": package.digest}
    return lesson_contents.get_or_keep(package, lambda: content)


@dataclass(frozen=True)
class Place:
    """Where a page sits in the student's lesson, for its "Step N of M"."""

    number: int
    total: int


CHECKIN, PLAN, FEEDBACK = "checkin", "plan", "feedback"


def place_in_lesson(session, where: str) -> Place | None:
    """The "Step N of M" of the check-in, plan or feedback page in the student's lesson; None without one.
    Usually no query (the lesson's content is kept in this process)."""
    content = lesson_content(session)
    if content is None:
        return None
    route = content.route
    number = {CHECKIN: Route.CHECKIN_NUMBER, PLAN: route.plan_number, FEEDBACK: route.feedback_number}[where]
    return Place(number=number, total=route.lesson_total)


# The student's lesson lives in their session under SESSION_KEY, as a small dictionary (the format of every
# session already saved): this module alone reads and writes it; every other module, in every app, gets a
# LessonState from lesson_state().
SESSION_KEY = "lesson"


@dataclass(frozen=True)
class LessonState:
    """Where a student's lesson is: which package version, which class (None when self-guided), the step
    they are on (None before step 1), and which main-path steps they have seen, by position. In a class, also
    the slide the console counts the device on and whether it counted a plan made (lessons/presence.py)."""

    package_id: int
    digest: str = ""
    class_session_id: int | None = None
    step_key: str | None = None
    seen: frozenset[int] = frozenset()
    counted_slide: str | None = None
    plan_counted: bool = False
    # Whether the session holds a plan made in this lesson (the plans app says so when it saves or deletes
    # one), and whether the results' counts have counted it as made and as downloaded (lessons/plan_counts.py).
    has_plan: bool = False
    made_counted: bool = False
    download_counted: bool = False

    def unseen_steps(self, route: Route) -> list[Step]:
        """The main-path steps not seen yet; none once the student has walked the story."""
        return [step for step in route.main if step.position not in self.seen]


def _whole_number(value, *, least: int = 1) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= least else None


def _seen_positions(raw: dict) -> list[int]:
    seen = raw.get("seen")
    return [p for p in seen if _whole_number(p, least=0) is not None] if isinstance(seen, list) else []


def lesson_state(session) -> LessonState | None:
    """What the student's session says about their lesson, or None if they have not started one.

    Whatever the session holds (an older format, a value of the wrong type) gives None or a sound state,
    never an error: a missing or odd part is read as not there."""
    raw = session.get(SESSION_KEY)
    if not isinstance(raw, dict) or (package_id := _whole_number(raw.get("package"))) is None:
        return None
    class_session = raw.get("class_session")
    if class_session is not None and _whole_number(class_session) is None:
        return None  # a class the lesson cannot be matched to: start again rather than guess
    digest, step, counted = raw.get("digest"), raw.get("step"), raw.get("counted")
    return LessonState(
        package_id=package_id,
        digest=digest if isinstance(digest, str) else "",
        class_session_id=class_session,
        step_key=step if isinstance(step, str) and step else None,
        seen=frozenset(_seen_positions(raw)),
        counted_slide=counted if isinstance(counted, str) and counted else None,
        plan_counted=raw.get("planned") is True,
        has_plan=raw.get("has_plan") is True,
        made_counted=raw.get("made_counted") is True,
        download_counted=raw.get("download_counted") is True,
    )


def start_lesson(session, *, package: Package, class_session_id: int | None) -> None:
    session[SESSION_KEY] = {
        "package": package.pk,
        "digest": package.digest,
        "class_session": class_session_id,
        "step": None,
    }


def remember_step(session, step: Step) -> None:
    """Keep the student's place, and which main-path steps they have seen (by position, to stay small): the
    feedback counts only from a device that saw the whole story. Writes the session only on a change."""
    raw = session[SESSION_KEY]
    seen = _seen_positions(raw)
    changes = {}
    if raw.get("step") != step.key:
        changes["step"] = step.key
    if not step.detour and step.position not in seen:
        changes["seen"] = [*seen, step.position]
    if changes:
        session[SESSION_KEY] = {**raw, **changes}


def device_token(session) -> str:
    """A random token for this device in its class's live lesson, made on first use and kept with the lesson
    (so a new lesson gets a new one). Only a keyed hash of it is ever stored outside the session."""
    raw = session[SESSION_KEY]
    token = raw.get("device")
    if not (isinstance(token, str) and token):
        token = secrets.token_urlsafe(18)
        session[SESSION_KEY] = {**raw, "device": token}
    return token


def remember_counted(session, *, slide: str | None = None, plan: bool = False) -> None:
    """Note the slide the console now counts this device on, or that it counted its plan."""
    changes = {**({"counted": slide} if slide else {}), **({"planned": True} if plan else {})}
    session[SESSION_KEY] = {**session[SESSION_KEY], **changes}


def remember_plan(session, *, has_plan: bool) -> None:
    """Note whether the session holds a plan (the plans app calls this when it saves or deletes one), so that
    the feedback asks about a plan only of a student who has one. Writes the session only on a change."""
    raw = session.get(SESSION_KEY)
    if isinstance(raw, dict) and (raw.get("has_plan") is True) != has_plan:
        session[SESSION_KEY] = {**raw, "has_plan": has_plan}


def remember_plan_counted(session, *, made: bool = False, downloaded: bool = False) -> None:
    """Note that the results' counts have counted this lesson's plan as made, or as downloaded."""
    changes = {
        **({"made_counted": True} if made else {}),
        **({"download_counted": True} if downloaded else {}),
    }
    session[SESSION_KEY] = {**session[SESSION_KEY], **changes}


def forget_lesson(session) -> None:
    session.pop(SESSION_KEY, None)
