"""The student's plan as a PDF: an A4 "My plan" page in their words and a pocket card to cut out."""

from django.template.loader import render_to_string
from django.views.decorators.debug import sensitive_variables

from pdf.engine import render_pdf
from pdf.stylesheets import stylesheet

PLAN_STYLESHEET = stylesheet("plans/pdf-plan.css")
POCKET_CARD_LINES = 3
POCKET_CARD_LINE_CHARACTERS = 90


@sensitive_variables("plan", "html")
def render_plan_pdf(plan) -> bytes:
    """The student's plan: an A4 "My plan" page in their words and a pocket card to cut out."""
    html = render_to_string(
        "plans/pdf.html",
        {"plan": plan, "card_lines": plan.card_lines(POCKET_CARD_LINES, POCKET_CARD_LINE_CHARACTERS)},
    )
    return render_pdf(html, title="My plan", stylesheets=(PLAN_STYLESHEET,))
