"""One form per part of the plan. Each takes the package content and the saved plan, and gives back changes."""

import re

from crispy_forms.helper import FormHelper
from django import forms

from plans.plan import PackageContent

LINE_LENGTH = 200
OWN_LINES = 3
OWN_SIGNS_LENGTH = 500
PEOPLE = 4
PERSON_LENGTH = 40
WHY_LENGTH = 1000

# Invisible control characters (not tab or new line) are dropped; a NUL is refused with its own message.
CONTROL_CHARACTERS = re.compile("[\x01-\x08\x0b-\x1f\x7f-\x9f]")
LOOKS_LIKE_CONTACT = re.compile(r"\d[\d\s()+-]{4,}\d|@|\bwww\.|https?:", re.IGNORECASE)


class PlanTextField(forms.CharField):
    """Student text: length-limited with a plain message, control characters removed, kept as plain text."""

    def __init__(self, *, max_length: int, multiline: bool = False, **kwargs):
        self.multiline = multiline
        kwargs.setdefault("required", False)
        if multiline:
            kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
        super().__init__(
            max_length=max_length,
            error_messages={
                "max_length": "Keep this to %(limit_value)d characters or fewer. It has %(show_value)d now.",
                "null_characters_not_allowed": (
                    "This has a hidden character in it that we can't keep. Type it again instead of pasting it."
                ),
            },
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value)
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if not self.multiline:
            value = " ".join(value.split("\n"))
        return CONTROL_CHARACTERS.sub("", value).strip()


class PartForm(forms.Form):
    """Save and continue (checks that the part is complete), or Back (keeps what was typed, checks lengths)."""

    def __init__(self, *args, content: PackageContent, state: dict, complete: bool = True, **kwargs):
        self.content = content
        self.state = state
        self.complete = complete
        kwargs.setdefault("initial", self.initial_from(state))
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True

    def initial_from(self, state: dict) -> dict:
        return {}

    def changes(self) -> dict:
        return {}


def _checkboxes(label: str, choices, help_text: str = "") -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        help_text=help_text,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose from the list."},
    )


class StrategiesForm(PartForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["strategies"] = _checkboxes(
            "Ways I could respond",
            [(s.key, f"{s.title}. {s.description}".strip()) for s in self.content.strategies],
            "Choose as many as you like. Next you can pick lines to say, and change them.",
        )

    def initial_from(self, state):
        return {"strategies": state.get("strategies", [])}

    def changes(self):
        return {"strategies": self.cleaned_data["strategies"]}


class LinesForm(PartForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for strategy in self.content.chosen_strategies(self.state):
            self.fields[f"lines_{strategy.key}"] = _checkboxes(
                strategy.title, [(str(line.pk), line.text) for line in strategy.lines.all()]
            )

    def initial_from(self, state):
        picked = {str(pk) for pk in state.get("picked", [])}
        return {
            f"lines_{strategy.key}": [str(line.pk) for line in strategy.lines.all() if str(line.pk) in picked]
            for strategy in self.content.chosen_strategies(state)
        }

    def changes(self):
        picked = [
            int(pk) for name, value in self.cleaned_data.items() if name.startswith("lines_") for pk in value
        ]
        return {"picked": picked}


class WordsForm(PartForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number, (strategy, line) in enumerate(self.content.picked_lines(self.state), start=1):
            self.fields[f"line_{line.pk}"] = PlanTextField(
                label=f"Line {number} ({strategy.title})", max_length=LINE_LENGTH
            )
        for number in range(1, OWN_LINES + 1):
            self.fields[f"own_{number}"] = PlanTextField(
                label=f"My own line {number}", max_length=LINE_LENGTH
            )

    def initial_from(self, state):
        words = state.get("words", {})
        initial = {
            f"line_{line.pk}": words.get(str(line.pk), line.text)
            for _, line in self.content.picked_lines(state)
        }
        own = state.get("own_lines", [])
        initial.update({f"own_{number}": text for number, text in enumerate(own[:OWN_LINES], start=1)})
        return initial

    def clean(self):
        cleaned = super().clean()
        if self.complete and not self.errors and not any(cleaned.values()):
            raise forms.ValidationError(
                "Your plan needs at least one line. Keep one of the lines above, or write one of your own."
            )
        return cleaned

    def changes(self):
        data = self.cleaned_data
        return {
            "words": {
                name.removeprefix("line_"): text for name, text in data.items() if name.startswith("line_")
            },
            "own_lines": [data[f"own_{number}"] for number in range(1, OWN_LINES + 1)],
        }


class SignsForm(PartForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signs"] = _checkboxes(
            "Signs I will watch out for", [(str(sign.pk), sign.text) for sign in self.content.signs]
        )
        self.fields["own_signs"] = PlanTextField(
            label="Other signs, in my own words (optional)",
            help_text="Write signs to look out for. You don't need to write about anything that has happened.",
            max_length=OWN_SIGNS_LENGTH,
            multiline=True,
        )

    def initial_from(self, state):
        return {"signs": [str(pk) for pk in state.get("signs", [])], "own_signs": state.get("own_signs", "")}

    def changes(self):
        return {
            "signs": [int(pk) for pk in self.cleaned_data["signs"]],
            "own_signs": self.cleaned_data["own_signs"],
        }


class PersonField(PlanTextField):
    def validate(self, value):
        super().validate(value)
        if LOOKS_LIKE_CONTACT.search(value):
            raise forms.ValidationError(
                "Write just a first name or a role, like “my aunt”. Keep phone numbers, email addresses and "
                "usernames in your phone, not in your plan.",
                code="contact_details",
            )


class PeopleForm(PartForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, PEOPLE + 1):
            self.fields[f"person_{number}"] = PersonField(label=f"Person {number}", max_length=PERSON_LENGTH)

    def initial_from(self, state):
        return {
            f"person_{number}": name for number, name in enumerate(state.get("people", [])[:PEOPLE], start=1)
        }

    def changes(self):
        return {"people": [self.cleaned_data[f"person_{number}"] for number in range(1, PEOPLE + 1)]}


class ServicesForm(PartForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"] = _checkboxes(
            "Places I can get help",
            [(s.key, f"{s.name}: {s.phone}" if s.phone else s.name) for s in self.content.services],
            "Choose the ones you would use. They will be in your plan with their numbers and websites.",
        )

    def initial_from(self, state):
        return {"services": state.get("services", [])}

    def changes(self):
        return {"services": self.cleaned_data["services"]}


class AlreadyHappenedForm(PartForm):
    """Nothing to fill in: these steps are always in the plan."""


class WhyForm(PartForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["why"] = PlanTextField(
            label="Why saying no matters to me (optional)",
            help_text="For example: “I decide who sees me.” You can leave this blank.",
            max_length=WHY_LENGTH,
            multiline=True,
        )

    def initial_from(self, state):
        return {"why": state.get("why", "")}

    def changes(self):
        return {"why": self.cleaned_data["why"]}
