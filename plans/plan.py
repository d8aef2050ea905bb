"""A student's plan: kept only in their session, and read back as a `Plan` resolved against its package.

Nothing about a plan is ever written to a model, a log or anywhere a teacher can see: the session (server-side,
keyed by the student's cookie) is the only copy, and it goes when the session expires, when it is older than
PLAN_MAX_AGE_SECONDS, or when the student deletes it.
"""

import time
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch

from lessons import walkthrough
from lessons.models import AlreadyHappenedStep, ExampleLine, Package, PressureSign, Strategy, SupportService

SESSION_KEY = "plan"
CHILDLINE = ("Childline", "0800 1111")


def plan_state(session) -> dict | None:
    """The saved plan, or None; a plan past its age is deleted here."""
    state = session.get(SESSION_KEY)
    if not isinstance(state, dict) or not isinstance(state.get("package"), int):
        return None
    if state.get("saved_at", 0) + settings.PLAN_MAX_AGE_SECONDS < time.time():
        plan_delete(session)
        return None
    return state


def plan_package(session) -> Package | None:
    """The package the plan is built from: the plan's own, else the lesson's, else the newest bundled one."""
    plan, lesson = plan_state(session), walkthrough.lesson_state(session)
    for package_id in (plan and plan["package"], lesson and lesson.package_id):
        if package_id and (package := Package.objects.filter(pk=package_id).first()):
            return package
    newest = Package.objects.latest_versions()
    return newest.filter(slug=settings.PLAN_DEFAULT_PACKAGE).first() or newest.first()


def plan_save(session, *, package: Package, changes: dict) -> None:
    """Save one part of the plan; a plan from another package is replaced."""
    state = plan_state(session)
    if state is None or state["package"] != package.pk:
        state = {"package": package.pk}
    state.update(changes)
    state["saved_at"] = int(time.time())
    session[SESSION_KEY] = state
    if walkthrough.lesson_state(session) is None:
        # Straight to the plan, without starting the lesson: a self-guided lesson of its own, so that the plan
        # is counted and the feedback that follows knows which package it is about.
        walkthrough.start_lesson(session, package=package, class_session_id=None)
    walkthrough.remember_plan(session, has_plan=True)


def plan_delete(session) -> None:
    if session.pop(SESSION_KEY, None) is not None:
        walkthrough.remember_plan(session, has_plan=False)
        if hasattr(session, "erase_old_copies_on_save"):
            # Saving the session without the plan then also wipes the plan's old bytes from the database files.
            session.erase_old_copies_on_save()


@dataclass
class PackageContent:
    """What a plan offers, from one package version, in five queries."""

    package: Package
    strategies: list[Strategy]
    signs: list[PressureSign]
    services: list[SupportService]
    already_happened: list[AlreadyHappenedStep]

    @classmethod
    def load(cls, package: Package) -> "PackageContent":
        lines = Prefetch("lines", queryset=ExampleLine.objects.order_by("position"))
        return cls(
            package=package,
            strategies=list(package.strategies.order_by("position").prefetch_related(lines)),
            signs=list(package.pressure_signs.order_by("position")),
            services=list(package.support_services.order_by("position")),
            already_happened=list(package.already_happened_steps.order_by("position")),
        )

    def chosen_strategies(self, state: dict) -> list[Strategy]:
        keys = set(state.get("strategies", []))
        return [strategy for strategy in self.strategies if strategy.key in keys]

    def picked_lines(self, state: dict) -> list[tuple[Strategy, ExampleLine]]:
        """Example lines the student picked, under strategies they still have chosen."""
        picked = set(state.get("picked", []))
        return [
            (strategy, line)
            for strategy in self.chosen_strategies(state)
            for line in strategy.lines.all()
            if line.pk in picked
        ]


@dataclass(frozen=True)
class StrategyInPlan:
    title: str
    lines: list[str]


@dataclass(frozen=True)
class Plan:
    """Everything the summary, the print view and the PDF show, in the student's words."""

    strategies: list[StrategyInPlan] = field(default_factory=list)
    own_lines: list[str] = field(default_factory=list)
    signs: list[str] = field(default_factory=list)
    own_signs: str = ""
    people: list[str] = field(default_factory=list)
    services: list[SupportService] = field(default_factory=list)
    already_happened: list[AlreadyHappenedStep] = field(default_factory=list)
    why: str = ""
    helpline: tuple[str, str] = CHILDLINE

    @classmethod
    def from_state(cls, state: dict | None, content: PackageContent) -> "Plan":
        state = state or {}
        words = state.get("words", {})
        strategies = []
        for strategy in content.chosen_strategies(state):
            lines = [
                text
                for chosen, line in content.picked_lines(state)
                if chosen.pk == strategy.pk and (text := words.get(str(line.pk), line.text).strip())
            ]
            if lines:
                strategies.append(StrategyInPlan(title=strategy.title, lines=lines))
        chosen_signs = set(state.get("signs", []))
        services = set(state.get("services", []))
        childline = next((s for s in content.services if s.key == "childline" and s.phone), None)
        return cls(
            strategies=strategies,
            own_lines=[line for line in state.get("own_lines", []) if line.strip()],
            signs=[sign.text for sign in content.signs if sign.pk in chosen_signs],
            own_signs=state.get("own_signs", ""),
            people=[person for person in state.get("people", []) if person.strip()],
            services=[service for service in content.services if service.key in services],
            already_happened=content.already_happened,
            why=state.get("why", ""),
            helpline=(childline.name, childline.phone) if childline else CHILDLINE,
        )

    @property
    def lines(self) -> list[str]:
        return [line for strategy in self.strategies for line in strategy.lines] + self.own_lines

    @property
    def ready(self) -> bool:
        """A plan can be downloaded once it has at least one line to say."""
        return bool(self.lines)

    @property
    def person(self) -> str:
        return self.people[0] if self.people else "A trusted adult"

    def card_lines(self, count: int, characters: int) -> list[str]:
        """The first lines, shortened to fit the pocket card (the A4 page has them in full)."""
        return [
            line if len(line) <= characters else line[: characters - 1].rstrip() + "…"
            for line in self.lines[:count]
        ]
