"""Template helpers for feedback: the check-in prompt on the ground rules page, and number formats."""

from django import template

from feedback import tokens
from feedback.models import Stage
from lessons import walkthrough

register = template.Library()


@register.inclusion_tag("feedback/includes/checkin_prompt.html", takes_context=True)
def checkin_prompt(context) -> dict:
    """Offer the optional check-in to a class that has not done it; reads the session only, no queries."""
    request = context.get("request")
    state = walkthrough.lesson_state(request.session) if request is not None else None
    show = False
    if state is not None and state.class_session_id is not None:
        scope = tokens.scope_for(state)
        show = not tokens.has_given(request.session, scope, Stage.CHECKIN) and not tokens.is_finished(
            request.session, scope
        )
    return {"show": show}


@register.filter
def signed(value, places: int = 1) -> str:
    """A change with its sign: +0.8, −0.3 (a real minus sign), 0.0."""
    if value is None:
        return ""
    rounded = round(float(value), places)
    if rounded == 0:
        return f"{0:.{places}f}"
    return f"{'+' if rounded > 0 else '−'}{abs(rounded):.{places}f}"


@register.filter
def count_or_fewer(count: int, minimum: int) -> str:
    """A group's size, or "fewer than N" when it is too small for its exact size to matter."""
    if count == 0:
        return "none yet"
    if count < minimum:
        return f"fewer than {minimum}"
    return str(count)
