"""Students' panels, rendered once per process rather than once per student.

A class's 30 students open each slide within seconds of each other, and crispy takes a millisecond or two for
each form: most of a live step page's work. An unbound panel form's HTML depends only on its class, where it
posts, its fields' choices and initial values (the page it returns to, the slide, a student's earlier vote),
and the CSRF token. So the HTML is kept under all but the token, rendered with a stand-in that is replaced by
the request's token each time. A form holding anything a student wrote (a bound one with errors, or a
refused text given back to them) is rendered for them alone and never kept.

On most slides (a story step: no vote, words or text to share) a student who has sent nothing and has no
notice waiting sees the same panel as every other such student: the question box alone. That whole panel is
kept too, by the page it is on (PlainPanels); any other panel is rendered for the student who asked.
"""

import functools
from collections.abc import Callable

from crispy_forms.utils import render_crispy_form
from django import forms
from django.middleware.csrf import get_token
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lessons.step_cache import RecentlyUsed

FORMS_KEPT = 512  # a few forms for each slide of the versions in use (the page it returns to is in the key)
PANELS_KEPT = 512  # a plain panel for each page of the versions in use
TOKEN_STAND_IN = "csrf-token-stand-in-7f3a"  # noqa: S105 - not a secret: replaced by the real token


def _kept_with_token(kept: RecentlyUsed, key, render: Callable[[str], str], csrf_token) -> SafeString:
    """The HTML kept under `key` (rendered by `render(TOKEN_STAND_IN)` the first time), with `csrf_token` in
    place of the stand-in."""
    html = kept.get(key)
    if html is None:
        html = kept.keep(key, render(TOKEN_STAND_IN))
    token = escape(str(csrf_token))  # letters and digits (django.middleware.csrf), escaped all the same
    return mark_safe(html.replace(TOKEN_STAND_IN, token))  # noqa: S308 - our rendered HTML and an escaped token


def _render_form(form: forms.Form, csrf_token) -> str:
    return render_crispy_form(form, context={"csrf_token": csrf_token})


class RenderedForms:
    def __init__(self, size: int = FORMS_KEPT):
        self._html: RecentlyUsed[tuple, str] = RecentlyUsed(size)

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
            return _render_form(form, csrf_token)
        render = functools.partial(_render_form, form)
        return _kept_with_token(self._html, self.key(form), render, csrf_token)

    def kept(self) -> list[str]:
        """The HTML of every form kept, for tests that check what it holds."""
        return self._html.values()

    def clear(self) -> None:
        self._html.clear()


class PlainPanels:
    """The plain student panel (the question box alone) of each page, kept with a stand-in for the token.

    The caller decides that the panel is plain (panels.is_plain: no poll on the slide, nothing sent from the
    device, no notice for it); the page's address, and so where its form returns to, is the key."""

    def __init__(self, size: int = PANELS_KEPT):
        self._html: RecentlyUsed[str, str] = RecentlyUsed(size)

    def html(self, request, render: Callable[[str], str]) -> SafeString:
        """The panel for `request`'s page with its own CSRF token; `render(token)` renders it with `token`
        when this process has no copy."""
        return _kept_with_token(self._html, request.get_full_path(), render, get_token(request))

    def kept(self) -> list[str]:
        return self._html.values()

    def clear(self) -> None:
        self._html.clear()


panel_forms = RenderedForms()
plain_panels = PlainPanels()
