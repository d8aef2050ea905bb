"""The live lesson's answer panels as template tags, each fetching what it shows.

The console, projector and student pages include templates/lessons/live/includes/*_responses.html, which call
these, so that a page passes only the class session and the slide.
"""

from django import template

from lessons.live_responses import panels
from lessons.live_responses.rendering import panel_forms

register = template.Library()


def _page(context) -> str:
    request = context.get("request")
    return request.get_full_path() if request is not None else ""


@register.inclusion_tag("lessons/live/responses/console_panel.html", takes_context=True)
def console_responses(context, class_session, slide):
    """Counts, Close/Reveal, texts to approve and the question box: for the teacher's console only."""
    return panels.console_context(class_session, slide, next_url=_page(context))


@register.inclusion_tag("lessons/live/responses/projector_panel.html")
def projector_responses(class_session, slide):
    """What the class may see on the board: a revealed chart, approved answers, a question the teacher shows."""
    return panels.projector_context(class_session, slide)


@register.inclusion_tag("lessons/live/responses/student_panel.html", takes_context=True)
def student_responses(context, class_session, slide, options=None):
    """The student's vote, words or text on this slide, and the question box; `options`, a choice step's options
    when the page has them already (else the panel fetches them)."""
    request = context["request"]
    return panels.student_context(
        class_session,
        slide,
        request.session,
        next_url=_page(context),
        options=options if isinstance(options, list) else None,
    )


@register.simple_tag(takes_context=True)
def panel_form(context, form):
    """A panel form as `{% crispy form %}` renders it, from the process's copy when it has one (rendering.py)."""
    return panel_forms.html(form, context.get("csrf_token", ""))
