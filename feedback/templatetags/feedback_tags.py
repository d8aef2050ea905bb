"""Template helpers for feedback: number formats and the results summary."""

from django import template

from feedback import stats, summary

register = template.Library()


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


@register.filter
def difference(value: stats.Difference | None, unit: str = "") -> str:
    """A difference with its 95% interval: "+1.2 (95% interval +0.3 to +2.1)"; with unit "points", a
    difference of shares in percentage points: "+25 points (95% interval +4 to +44)"."""
    if value is None:
        return ""
    if unit == "points":
        numbers = [signed(number * 100, 0) for number in (value.estimate, value.low, value.high)]
        return f"{numbers[0]} points (95% interval {numbers[1]} to {numbers[2]})"
    numbers = [signed(number) for number in (value.estimate, value.low, value.high)]
    return f"{numbers[0]} (95% interval {numbers[1]} to {numbers[2]})"


@register.simple_tag
def summary_of(figures) -> summary.Summary:
    """The summary rows of a group's figures (feedback.summary), for the summary that starts a results page."""
    return summary.summarise(figures)


@register.filter
def percent(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"
