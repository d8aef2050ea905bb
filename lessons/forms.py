"""Forms for joining a class and for teachers' class sessions."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.urls import reverse

from lessons.class_words import normalise_class_word
from lessons.models import (
    JOIN_CODE_ALPHABET,
    JOIN_CODE_LENGTH,
    MAX_STUDENTS_LIMIT,
    YEAR_GROUPS,
    ClassSession,
    Pace,
    Package,
    default_max_students,
    normalise_join_code,
)


class JoinForm(forms.Form):
    """The class code and, in check mode (too many wrong codes from the student's network or the whole site),
    the class word.

    Outside check mode the word is a hidden field, filled only from a join link, so that a link or QR code
    still joins without typing if the network goes into check mode.
    """

    code = forms.CharField(
        label="Class code",
        max_length=20,
        help_text=f"{JOIN_CODE_LENGTH} letters and numbers, shown on your teacher's screen.",
        error_messages={
            "required": "Type the class code from your teacher's screen.",
            "null_characters_not_allowed": f"A class code is {JOIN_CODE_LENGTH} letters and numbers. "
            "Check it with your teacher.",
        },
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )

    word = forms.CharField(
        label="Class word",
        max_length=40,
        required=False,
        help_text="The word under the code on your teacher's screen.",
        error_messages={
            "required": "Type the class word too. It is on the board under the code.",
            "null_characters_not_allowed": "Type the class word from the board.",
        },
        widget=forms.HiddenInput,
    )

    def __init__(self, *args, check_mode: str = "", **kwargs):
        """`check_mode` says why the word is needed: "network" or "site" (see lessons.views.join); "" if not."""
        super().__init__(*args, **kwargs)
        self.check_mode = check_mode
        if check_mode:
            self.fields["word"].required = True
            self.fields["word"].widget = forms.TextInput(
                attrs={
                    "autocomplete": "off",
                    "autocapitalize": "none",
                    "spellcheck": "false",
                    "maxlength": 40,
                }
            )
        else:
            # Unused outside check mode, so nothing in it (from an odd link) may stop the code from joining.
            self.fields["word"].validators = []
        self.helper = FormHelper()
        self.helper.add_input(Submit("join", "Join the lesson"))

    def clean_word(self) -> str:
        return normalise_class_word(self.cleaned_data["word"]) if self.check_mode else ""

    def clean_code(self) -> str:
        code = normalise_join_code(self.cleaned_data["code"])
        if len(code) != JOIN_CODE_LENGTH or any(char not in JOIN_CODE_ALPHABET for char in code):
            raise forms.ValidationError(
                f"A class code is {JOIN_CODE_LENGTH} letters and numbers, like {JOIN_CODE_ALPHABET[:6]}. "
                "Check it with your teacher."
            )
        return code


PLACES_HELP = f"How many students' devices can join, from 1 to {MAX_STUDENTS_LIMIT}. You can raise it later."
PLACES_ERRORS = {
    "required": f"Give the number of places, from 1 to {MAX_STUDENTS_LIMIT}.",
    "invalid": f"Give the number of places as a whole number, from 1 to {MAX_STUDENTS_LIMIT}.",
    "min_value": "A class session needs at least 1 place.",
    "max_value": f"A class session can have at most {MAX_STUDENTS_LIMIT} places.",
}


class ClassSessionForm(forms.ModelForm):
    package = forms.ModelChoiceField(
        queryset=Package.objects.none(), empty_label=None, label="Lesson package"
    )

    class Meta:
        model = ClassSession
        fields = ["package", "label", "year_group", "max_students", "pace"]
        labels = {
            "label": "Class (optional)",
            "year_group": "Year group (optional)",
            "max_students": "Places",
            "pace": "How students move on",
        }
        help_texts = {
            "label": "For example: Year 9, period 3. Do not use students' names.",
            "year_group": "Results are broken down by year group. Students are not asked their year.",
            "max_students": PLACES_HELP,
            "pace": "You can change this during the lesson, on the teacher console.",
        }
        error_messages = {"max_students": PLACES_ERRORS}
        widgets = {"pace": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = Package.objects.latest_versions()
        self.fields["year_group"].choices = [("", "Not given"), *((year, year) for year in YEAR_GROUPS)]
        self.fields["max_students"].required = False  # left empty: the server's default
        # A lesson in class is taught from the front unless the teacher says otherwise.
        self.fields["pace"].required = False
        self.fields["pace"].initial = Pace.TEACHER
        self.helper = FormHelper()
        self.helper.add_input(Submit("create", "Start a class session"))

    def clean_max_students(self) -> int:
        places = self.cleaned_data["max_students"]
        return default_max_students() if places is None else places

    def clean_pace(self) -> str:
        return self.cleaned_data["pace"] or Pace.TEACHER


class PlacesForm(forms.Form):
    """The number of places in a class session, changed on its page while students are joining."""

    max_students = forms.IntegerField(
        label="Places",
        min_value=1,
        max_value=MAX_STUDENTS_LIMIT,
        help_text=PLACES_HELP,
        error_messages=PLACES_ERRORS,
    )

    def __init__(self, *args, class_session: ClassSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.class_session = class_session
        self.helper = FormHelper()
        self.helper.form_action = reverse("teach:session_places", args=[class_session.pk])
        self.helper.add_input(Submit("save", "Change the places"))

    def clean_max_students(self) -> int:
        places = self.cleaned_data["max_students"]
        joined = self.class_session.students_joined
        if places < joined:
            raise forms.ValidationError(
                f"{joined} students have already joined, so the session needs at least {joined} places."
            )
        return places


class PackageImportForm(forms.Form):
    """A package file to import on the packages page (the admin's import form asks for the same)."""

    file = forms.FileField(
        label="Package file (.yaml or .zip)",
        help_text="A file exported from this or another Personal Plan server. A file with any problem is refused "
        "whole, and importing the same file twice changes nothing.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = reverse("teach:package_import")
        self.helper.add_input(Submit("import", "Import the file"))


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


class BlockTextField(forms.CharField):
    """Text typed in a text box: a browser ends its lines with \r\n, kept as \n so that a blank line still
    starts a new paragraph for students (Step.paragraphs splits on \n\n) and an exported file stays
    readable block text."""

    def to_python(self, value):
        return normalise_newlines(super().to_python(value))
