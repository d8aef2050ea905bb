"""Forms: a student's check-in or feedback (built from the package's questions) and focus-group notes."""

from dataclasses import dataclass

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.formats import date_format

from feedback.models import FocusGroupNote
from lessons.models import Question, Step

# Every question is optional (the page says so once, at the top): a question left unanswered is skipped.


def _scale_choices(question: Question) -> list[tuple]:
    """1 to 5; the ends' labels belong to 1 and 5, so a screen reader hears them with those answers."""
    labels = {1: question.low_label, 5: question.high_label}
    return [
        (point, f"{point} – {labels[point]}" if labels.get(point) else str(point)) for point in range(1, 6)
    ]


def _field_for(question: Question, steps: list[Step]) -> forms.Field:
    common = {"label": question.text, "required": False}
    if question.kind == Question.Kind.SCALE:
        return forms.TypedChoiceField(
            choices=_scale_choices(question), coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    if question.kind in (Question.Kind.CHOICE, Question.Kind.KNOWLEDGE):
        choices = [(choice, choice) for choice in question.choice_list]
        return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, **common)
    if question.kind == Question.Kind.YEAR_GROUP:
        choices = [(choice, choice) for choice in question.choice_list]
        return forms.ChoiceField(
            choices=[*choices, ("", "I would rather not say")],
            widget=forms.RadioSelect,
            help_text="You do not have to say.",
            **common,
        )
    if question.kind == Question.Kind.USEFUL_STEPS:
        choices = [(step.key, step.short_name) for step in steps]
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple,  # tick boxes: as many as you like, as each one says
            **common,
        )
    return forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Up to 1000 characters.",
        **common,
    )


@dataclass(frozen=True)
class AskedField:
    """A question with its form field, as the answer page lays it out (templates/feedback/includes)."""

    question: Question
    field: forms.BoundField
    first_of_kind: bool  # the first of a run of knowledge questions carries the "True or false?" heading

    @property
    def template(self) -> str:
        return f"feedback/includes/ask_{self.question.kind}.html"


class AnswersForm(forms.Form):
    """One field per question, every one optional; field names are the questions' keys. The page lays each
    kind out compactly (a 1–5 scale as one row of five, a statement as True / False / Not sure)."""

    def __init__(self, *args, questions: list[Question], steps: list[Step], submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.submit_label = submit_label
        for question in questions:
            self.fields[question.key] = _field_for(question, steps)

    @property
    def asked(self) -> list[AskedField]:
        rows, previous = [], None
        for question in self.questions:
            rows.append(AskedField(question, self[question.key], question.kind != previous))
            previous = question.kind
        return rows


class FocusGroupNoteForm(forms.ModelForm):
    class Meta:
        model = FocusGroupNote
        fields = ["held_on", "group_size", "themes", "notes"]
        labels = {"held_on": "Date of the focus group", "group_size": "How many students took part"}
        widgets = {
            "held_on": forms.DateInput(attrs={"type": "date"}),
            "notes": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "notes": "What students said, in your words. Do not write students' names or anything that "
            "could identify them.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", "Save the notes"))


def _day(moment) -> str:
    return date_format(timezone.localtime(moment), "j M Y")


class CompareVersionsForm(forms.Form):
    """Which two published versions of a package to put side by side (a GET form: it works without JS)."""

    CLASSES = "classes"
    SELF_GUIDED = "self-guided"

    first = forms.TypedChoiceField(label="First version", coerce=int)
    second = forms.TypedChoiceField(label="Second version", coerce=int)
    group = forms.ChoiceField(
        label="Whose answers",
        choices=[(CLASSES, "Class sessions"), (SELF_GUIDED, "Self-guided lessons (counted apart)")],
        initial=CLASSES,
        required=False,
    )

    def __init__(self, *args, versions: list, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (package.version, f"Version {package.version} (published {_day(package.published_at)})")
            for package in versions
        ]
        self.fields["first"].choices = choices
        self.fields["second"].choices = choices
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.disable_csrf = True
        self.helper.add_input(Submit("compare", "Compare"))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") is not None and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError("Choose two different versions.")
        cleaned["group"] = cleaned.get("group") or self.CLASSES
        return cleaned


class BundleExportForm(forms.Form):
    school = forms.CharField(
        label="School name (optional)",
        max_length=120,
        required=False,
        help_text="Shown to the pilot lead next to your figures. Leave it empty to send them without a name.",
    )
    include_comments = forms.BooleanField(
        label="Include students' comments",
        required=False,
        help_text="Off unless you tick it. Comments a teacher hid are never included, and nor is any comment "
        "from a group too small to show. Read the comments on your results pages first, and hide any that "
        "could identify a student.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields[
            "include_comments"
        ].label += f" (only from groups of at least {settings.FEEDBACK_MIN_GROUP})"
        self.helper = FormHelper()
        self.helper.add_input(Submit("download", "Download the results bundle"))


class BundleUploadForm(forms.Form):
    file = forms.FileField(
        label="Results bundle (.json)",
        help_text="A file a school exported from its own Personal Plan server.",
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        self.helper = FormHelper()
        self.helper.add_input(Submit("import", "Import the bundle"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"Nothing was imported: the file is larger than a results bundle can be "
                f"({self.max_bytes // 1_000_000} MB)."
            )
        return upload
