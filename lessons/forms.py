"""Forms for joining a class and for teachers' class sessions."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms

from lessons.models import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, ClassSession, Package, normalise_join_code


class JoinForm(forms.Form):
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.add_input(Submit("join", "Join the lesson"))

    def clean_code(self) -> str:
        code = normalise_join_code(self.cleaned_data["code"])
        if len(code) != JOIN_CODE_LENGTH or any(char not in JOIN_CODE_ALPHABET for char in code):
            raise forms.ValidationError(
                f"A class code is {JOIN_CODE_LENGTH} letters and numbers, like {JOIN_CODE_ALPHABET[:6]}. "
                "Check it with your teacher."
            )
        return code


class ClassSessionForm(forms.ModelForm):
    package = forms.ModelChoiceField(
        queryset=Package.objects.none(), empty_label=None, label="Lesson package"
    )

    class Meta:
        model = ClassSession
        fields = ["package", "label"]
        labels = {"label": "Class (optional)"}
        help_texts = {"label": "For example: Year 9, period 3. Do not use students' names."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].queryset = Package.objects.latest_versions()
        self.helper = FormHelper()
        self.helper.add_input(Submit("create", "Start a class session"))
