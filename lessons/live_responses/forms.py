"""Students' forms in a live lesson: a vote, words, a short text, a question; each returns to its slide."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse

from lessons.live_responses.models import QUESTION_MAX_LENGTH, TEXT_MAX_LENGTH
from lessons.live_responses.services import WORDS_PER_DEVICE


class PanelForm(forms.Form):
    """A form of the student panel: posted by fetch when JavaScript runs (live-responses.js), or plainly."""

    # Where a plain post returns: the page the panel was on (checked as a local address by the view).
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)
    # The slide the panel shows, so that the panel sent back to a fetch is the same slide's.
    slide = forms.SlugField(widget=forms.HiddenInput, required=False, max_length=60)
    button = "Send"
    name = ""  # makes the form's ids its own: the panel may show two forms, each with a `next`
    # Fields a student writes in: given back to them after a refusal, so never kept (rendering.py).
    written: tuple[str, ...] = ()

    def __init__(self, *args, action: str = "", next_url: str = "", slide: str = "", **kwargs):
        super().__init__(*args, auto_id=f"responses-{self.name}-%s", **kwargs)
        self.fields["next"].initial = next_url
        self.fields["slide"].initial = slide
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.attrs = {"data-live-responses": ""}
        self.helper.add_input(Submit("send", self.button, css_class="btn-primary"))


class VoteForm(PanelForm):
    name = "vote"
    option = forms.TypedChoiceField(
        label="Your vote",
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose one answer first.",
            "invalid_choice": "Choose one of the answers.",
        },
    )
    button = "Vote"

    def __init__(self, *args, options=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["option"].choices = [(option.position, option.label) for option in options]


class WordsForm(PanelForm):
    name = "words"
    words = forms.MultipleChoiceField(
        label=f"Pick up to {WORDS_PER_DEVICE} words",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Pick at least one word first.",
            "invalid_choice": "Pick from the words.",
        },
    )
    button = "Share my words"

    def __init__(self, *args, words=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["words"].choices = [(word, word) for word in words]

    def clean_words(self):
        words = self.cleaned_data["words"]
        if len(words) > WORDS_PER_DEVICE:
            raise forms.ValidationError(f"Pick up to {WORDS_PER_DEVICE} words.")
        return words


class TextForm(PanelForm):
    name = "text"
    answer = forms.CharField(
        label="Share a short answer with the class",
        max_length=TEXT_MAX_LENGTH,
        help_text=f"Up to {TEXT_MAX_LENGTH} characters. Your teacher reads it first and may show it on the "
        "board, without your name. Do not write anyone's name.",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "required": "Write your answer first, or keep it to yourself.",
            "max_length": f"Keep it to {TEXT_MAX_LENGTH} characters or fewer.",
        },
    )
    button = "Send to my teacher"
    written = ("answer",)


class QuestionForm(PanelForm):
    name = "question"
    question = forms.CharField(
        label="Your question",
        max_length=QUESTION_MAX_LENGTH,
        help_text=f"Up to {QUESTION_MAX_LENGTH} characters. Do not write your name or anyone else's.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Write your question first.",
            "max_length": f"Keep your question to {QUESTION_MAX_LENGTH} characters or fewer.",
        },
    )
    button = "Send my question"
    written = ("question",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, action=reverse("live_responses:question"), **kwargs)
