"""The kinds of lesson step, in one table that the walk-through, live lesson, file format and admin all read."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps

if TYPE_CHECKING:  # the rules import this table; these names are only for reading the types
    from lessons.models import Step
    from lessons.package_rules import Checker


@dataclass(frozen=True)
class Children:
    """A kind's own rows under each of its steps, such as a story's chat messages."""

    model_name: str  # a model of the lessons app, with a `step` foreign key and a position
    related_name: str  # its rows from a step: step.<related_name>
    file_list: str  # the step's list of them in a package file
    file_item: str  # one of them, as an error message names it ("step 3, message 2")
    file_fields: tuple[tuple[str, str], ...]  # (name in a file, model field), in the order a file writes them
    minimum: int  # how many a step of this kind needs
    # Reads one item of the file's list into model fields, or fails with the place and the problem.
    read: Callable[["Checker", Any, str], dict]

    @property
    def model(self):
        return apps.get_model("lessons", self.model_name)


@dataclass(frozen=True)
class StepKind:
    """What a kind of step shows, holds and needs."""

    value: str  # as Step.Kind stores it
    content_name: str = ""  # the name its template reads its content by
    children: Children | None = None
    shows_services: bool = False  # the package's support services, as on the help page
    question: bool = False  # asks the think question (Step.question), which a file must give
    may_ask: bool = False  # may ask a question (Step.question), such as a choice's "What could Jordan do?"
    needs_body_or_children: bool = False  # a file must give the step a 'body' or some children
    # In a live lesson (lessons/live_responses): each device votes for one of the step's options, or the
    # package may let students share words or a short text (a file's 'share' and 'words').
    takes_votes: bool = False
    may_share: bool = False

    @property
    def template(self) -> str:
        """The step's part of the student page and of the live lesson's slide (which sets `presenting`)."""
        return f"lessons/steps/{self.value}.html"

    def content(self, step: "Step") -> dict:
        """What the step's template shows besides the step itself, by the name it reads it by: one query."""
        if self.children is not None:
            return {self.content_name: list(self.children.model.objects.filter(step=step))}
        if self.shows_services:
            services = apps.get_model("lessons", "SupportService").objects.filter(package_id=step.package_id)
            return {self.content_name: list(services.young_people_first())}
        return {}


def _read_message(check: "Checker", raw: Any, where: str) -> dict:
    message = check.mapping(raw, where, {"from"}, {"text", "outgoing", "status"})
    status = message.get("status") or ""
    if not isinstance(status, str) or status not in {"", "seen", "deleted"}:
        check.fail(where, f"'status' must be seen or deleted, not {check.shown(status)}")
    text = check.text(message, "text", where, required=status != "deleted")
    return {
        "sender": check.text(message, "from", where, max_length=60),
        "text": text,
        "outgoing": check.flag(message, "outgoing", where),
        "status": status,
    }


def _read_option(check: "Checker", raw: Any, where: str) -> dict:
    option = check.mapping(raw, where, {"label", "feedback"}, {"leads_to"})
    return {
        "label": check.text(option, "label", where, max_length=300),
        "feedback": check.text(option, "feedback", where),
        "leads_to": check.slug(option, "leads_to", where, required=False),
    }


def _read_fact(check: "Checker", raw: Any, where: str) -> dict:
    fact = check.mapping(raw, where, {"fact"}, {"myth"})
    return {
        "myth": check.text(fact, "myth", where, required=False, max_length=300),
        "fact": check.text(fact, "fact", where),
    }


MESSAGES = Children(
    model_name="ChatMessage",
    related_name="messages",
    file_list="messages",
    file_item="message",
    file_fields=(("from", "sender"), ("text", "text"), ("outgoing", "outgoing"), ("status", "status")),
    minimum=0,
    read=_read_message,
)
OPTIONS = Children(
    model_name="ChoiceOption",
    related_name="options",
    file_list="options",
    file_item="option",
    file_fields=(("label", "label"), ("feedback", "feedback"), ("leads_to", "leads_to")),
    minimum=2,
    read=_read_option,
)
FACTS = Children(
    model_name="Fact",
    related_name="facts",
    file_list="facts",
    file_item="fact",
    file_fields=(("myth", "myth"), ("fact", "fact")),
    minimum=1,
    read=_read_fact,
)

STEP_KINDS: dict[str, StepKind] = {
    kind.value: kind
    for kind in [
        StepKind("story", content_name="chat", children=MESSAGES, needs_body_or_children=True),
        StepKind("think", question=True, may_share=True),
        StepKind("choice", content_name="options", children=OPTIONS, may_ask=True, takes_votes=True),
        StepKind("facts", content_name="facts", children=FACTS),
        StepKind("support", content_name="services", shows_services=True),
    ]
}
# Every kind's children, once each: what a step can hold besides its own fields.
CHILDREN: list[Children] = [kind.children for kind in STEP_KINDS.values() if kind.children is not None]


def missing_kinds(values: list[str]) -> list[str]:
    """The step kinds among `values` (Step.Kind's) that this table does not describe."""
    return [value for value in values if value not in STEP_KINDS]
