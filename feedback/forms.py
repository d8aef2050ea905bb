"""Forms: a student's check-in or feedback (built from the package's questions) and focus-group notes."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Field, Layout, Submit
from django import forms
from django.template.loader import render_to_string

from feedback.models import FocusGroupNote
from lessons.models import Question, Step

SKIP = ("", "Skip this question")


def _scale_choices(question: Question) -> list[tuple]:
    labels = {1: question.low_label, 5: question.high_label}
    points = [
        (point, f"{point} – {labels[point]}" if labels.get(point) else str(point)) for point in range(1, 6)
    ]
    return [*points, SKIP]


def _field_for(question: Question, steps: list[Step]) -> forms.Field:
    common = {"label": question.text, "required": False}
    if question.kind == Question.Kind.SCALE:
        return forms.TypedChoiceField(
            choices=_scale_choices(question), coerce=int, empty_value=None, widget=forms.RadioSelect, **common
        )
    if question.kind == Question.Kind.CHOICE:
        choices = [(choice, choice) for choice in question.choice_list]
        return forms.ChoiceField(choices=[*choices, SKIP], widget=forms.RadioSelect, **common)
    if question.kind == Question.Kind.YEAR_GROUP:
        choices = [(choice, choice) for choice in question.choice_list]
        return forms.ChoiceField(
            choices=[*choices, ("", "I would rather not say")],
            widget=forms.RadioSelect,
            help_text="You do not have to say.",
            **common,
        )
    if question.kind == Question.Kind.USEFUL_STEPS:
        choices = [(step.key, f"Step {number}: {step.title}") for number, step in enumerate(steps, start=1)]
        return forms.MultipleChoiceField(
            choices=choices,
            widget=forms.CheckboxSelectMultiple,
            help_text="Tick as many as you like, or none.",
            **common,
        )
    return forms.CharField(
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Up to 1000 characters. Please do not write your name or anyone else's.",
        **common,
    )


class AnswersForm(forms.Form):
    """One field per question, every one optional; field names are the questions' keys."""

    def __init__(self, *args, questions: list[Question], steps: list[Step], submit_label: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        layout = []
        for question in questions:
            self.fields[question.key] = _field_for(question, steps)
            if question.kind == Question.Kind.TEXT:
                layout.append(HTML(render_to_string("feedback/includes/anonymous_note.html")))
            layout.append(Field(question.key))
        self.helper = FormHelper()
        self.helper.layout = Layout(*layout)
        self.helper.add_input(Submit("send", submit_label))


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
