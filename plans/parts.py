"""The pages of the plan builder, in order: each has a key (its URL), a heading and a form."""

from dataclasses import dataclass

from plans import forms


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    form_class: type[forms.PartForm]

    @property
    def template_name(self) -> str:
        return f"plans/parts/{self.key}.html"


PARTS = [
    Part("strategies", "What I could do", forms.StrategiesForm),
    Part("lines", "Lines I could say", forms.LinesForm),
    Part("words", "My words", forms.WordsForm),
    Part("signs", "Signs of pressure", forms.SignsForm),
    Part("people", "People I can talk to", forms.PeopleForm),
    Part("help", "Where I can get help", forms.ServicesForm),
    Part("already", "If it has already happened", forms.AlreadyHappenedForm),
    Part("why", "Why saying no matters to me", forms.WhyForm),
]


def find(key: str) -> Part | None:
    return next((part for part in PARTS if part.key == key), None)


def neighbours(part: Part) -> tuple[Part | None, Part | None]:
    index = PARTS.index(part)
    return (PARTS[index - 1] if index else None, PARTS[index + 1] if index + 1 < len(PARTS) else None)
