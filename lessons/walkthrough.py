"""The route through a package's steps: the main path, detours, progress and where Next and Back go."""

from dataclasses import dataclass

from lessons.models import Step

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


def lesson_state(session) -> dict | None:
    """What the student's session says about their lesson: package, class session and place."""
    state = session.get(SESSION_KEY)
    return state if isinstance(state, dict) and state.get("package") else None


def start_lesson(session, *, package_id: int, class_session_id: int | None) -> None:
    session[SESSION_KEY] = {"package": package_id, "class_session": class_session_id, "step": None}


def remember_step(session, key: str) -> None:
    """Keep the student's place; writes the session only when the place changes."""
    state = session[SESSION_KEY]
    if state.get("step") != key:
        state["step"] = key
        session.modified = True
