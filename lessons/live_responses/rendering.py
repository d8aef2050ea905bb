"""Students' panel forms, rendered by crispy once per process rather than once per student.

A class's 30 students open each slide within seconds of each other, and crispy takes a millisecond or two for
each form: most of a live step page's work. An unbound panel form's HTML depends only on its class, where it
posts, its fields' choices and initial values (the page it returns to, the slide, a student's earlier vote),
and the CSRF token. So the HTML is kept under all but the token, rendered with a stand-in that is replaced by
the request's token each time. A form holding anything a student wrote (a bound one with errors, or a
refused text given back to them) is rendered for them alone and never kept.
"""

import threading
from collections import OrderedDict

from crispy_forms.utils import render_crispy_form
from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FORMS_KEPT = 512  # a few forms for each slide of the versions in use (the page it returns to is in the key)
TOKEN_STAND_IN = "csrf-token-stand-in-7f3a"  # noqa: S105 - not a secret: replaced by the real token


class RenderedForms:
    def __init__(self, size: int = FORMS_KEPT):
        self._size = size
        self._kept: OrderedDict[tuple, str] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def key(form: forms.Form) -> tuple:
        """Everything an unbound form's HTML is made of, but the CSRF token."""
        fields = tuple(
            (name, repr(form.get_initial_for_field(field, name)), tuple(getattr(field, "choices", ())))
            for name, field in form.fields.items()
        )
        return (type(form), form.auto_id, form.helper.form_action, fields)

    def html(self, form: forms.Form, csrf_token) -> SafeString:
        """The form's HTML with `csrf_token` in it (the template's own, lazy until used)."""
        if form.is_bound or any(form.initial.get(name) for name in getattr(form, "written", ())):
            return render_crispy_form(form, context={"csrf_token": csrf_token})
        key = self.key(form)
        with self._lock:
            html = self._kept.get(key)
            if html is not None:
                self._kept.move_to_end(key)
        if html is None:
            html = render_crispy_form(form, context={"csrf_token": TOKEN_STAND_IN})
            with self._lock:
                self._kept[key] = html
                while len(self._kept) > self._size:
                    self._kept.popitem(last=False)
        token = escape(str(csrf_token))  # letters and digits (django.middleware.csrf), escaped all the same
        return mark_safe(html.replace(TOKEN_STAND_IN, token, 1))  # noqa: S308 - crispy's HTML and an escaped token

    def kept(self) -> list[str]:
        """The HTML of every form kept, for tests that check what it holds."""
        with self._lock:
            return list(self._kept.values())

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


panel_forms = RenderedForms()
