"""The route through a package's steps: the main path, detours, progress and where Next and Back go."""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field

from lessons.models import ChatMessage, ChoiceOption, Fact, Package, Step, SupportService

SESSION_KEY = "lesson"


@dataclass(frozen=True)
class Route:
    """The ordered steps of one package version, loaded in one query."""

    steps: list[Step]

    @property
    def main(self) -> list[Step]:
        return [step for step in self.steps if not step.detour]

    @property
    def total(self) -> int:
        return len(self.main)

    @property
    def first(self) -> Step:
        return self.main[0]

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
    return Route(list(Step.objects.filter(package_id=package_id).order_by("position")))


@dataclass(frozen=True)
class LessonContent:
    """Everything a student's step pages show for one package version: its route and each step's content."""

    route: Route
    services: list[SupportService]
    messages: dict[int, list[ChatMessage]] = field(default_factory=dict)
    options: dict[int, list[ChoiceOption]] = field(default_factory=dict)
    facts: dict[int, list[Fact]] = field(default_factory=dict)
    # Rendered step pages, by (step key, chosen option): the same for every student of this version.
    pages: dict[tuple[str, int | None], str] = field(default_factory=dict)

    @classmethod
    def load(cls, package_id: int) -> "LessonContent":
        content = cls(route_for(package_id), list(SupportService.objects.filter(package_id=package_id)))
        for model, by_step in [
            (ChatMessage, content.messages),
            (ChoiceOption, content.options),
            (Fact, content.facts),
        ]:
            for item in model.objects.filter(step__package_id=package_id).order_by("step_id", "position"):
                by_step.setdefault(item.step_id, []).append(item)
        return content

    def for_step(self, step: Step) -> dict:
        """The content a step's kind shows, by the names its template uses."""
        return {
            Step.Kind.STORY: {"chat": self.messages.get(step.pk, [])},
            Step.Kind.CHOICE: {"options": self.options.get(step.pk, [])},
            Step.Kind.FACTS: {"facts": self.facts.get(step.pk, [])},
            Step.Kind.SUPPORT: {"services": self.services},
        }.get(step.kind, {})


# A published version never changes, so each process keeps the content of the versions in use. The key holds
# the version's digest as well as its id, so a version replaced under the same id is never served stale.
_CACHE_SIZE = 16
_cache: OrderedDict[tuple[int, str], LessonContent] = OrderedDict()
_cache_lock = threading.Lock()


def lesson_content(session) -> LessonContent:
    """The content of the student's lesson, usually from this process's memory (no query at all)."""
    state = session[SESSION_KEY]
    key = (state["package"], state.get("digest") or "")
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    package = Package.objects.filter(pk=state["package"]).only("digest", "published_at").first()
    content = LessonContent.load(state["package"])
    if package is not None and not package.is_draft:
        if state.get("digest") != package.digest:  # an older session, or a version replaced since
            state["digest"] = package.digest
            session.modified = True
        with _cache_lock:
            _cache[(package.pk, package.digest)] = content
            while len(_cache) > _CACHE_SIZE:
                _cache.popitem(last=False)
    return content


def lesson_state(session) -> dict | None:
    """What the student's session says about their lesson: package, class session and place."""
    state = session.get(SESSION_KEY)
    return state if isinstance(state, dict) and state.get("package") else None


def start_lesson(session, *, package: Package, class_session_id: int | None) -> None:
    session[SESSION_KEY] = {
        "package": package.pk,
        "digest": package.digest,
        "class_session": class_session_id,
        "step": None,
    }


def remember_step(session, key: str) -> None:
    """Keep the student's place; writes the session only when the place changes."""
    state = session[SESSION_KEY]
    if state.get("step") != key:
        state["step"] = key
        session.modified = True
