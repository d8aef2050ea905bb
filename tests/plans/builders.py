"""Builders for plan tests: a student's browser fills in every part of the plan through the real forms."""

# They live with the PDF benchmark, which builds its plans the same way and imports nothing from tests/.
from bench.plan_answers import PARTS, build_plan, largest_answers, post_part, typical_answers

__all__ = ["PARTS", "build_plan", "largest_answers", "post_part", "typical_answers"]
