"""Template filters for package text written as plain lines (a step's text, its teacher notes, a fact): a line
folded in a file is only a space, a blank line starts a paragraph, and lines starting "- " make a list.
None of them ever makes a <br>."""

import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


def _runs(lines: list[str]) -> list[tuple[str, list[str]]]:
    """One block's lines as runs of ("ul", items) and ("p", lines): a line starting "- " is an item, and an
    indented line under an item carries it on."""
    runs: list[tuple[str, list[str]]] = []
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("- "):
            kind, text = "ul", stripped[2:].strip()
        elif runs and runs[-1][0] == "ul" and line[:1].isspace():
            runs[-1][1][-1] += " " + stripped
            continue
        else:
            kind, text = "p", stripped
        if runs and runs[-1][0] == kind:
            runs[-1][1].append(text)
        else:
            runs.append((kind, [text]))
    return runs


@register.filter(needs_autoescape=True)
def paragraphs_and_lists(text: str, autoescape: bool = True) -> str:
    """A blank line starts a new block; in a block, lines starting "- " make a list, and other lines run on
    as one paragraph. Everything is escaped."""
    escape = conditional_escape if autoescape else str
    html = []
    for block in re.split(r"\n[ \t]*\n", (text or "").strip()):
        for kind, texts in _runs(block.splitlines()):
            if kind == "ul":
                html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in texts) + "</ul>")
            else:
                html.append(f"<p>{escape(' '.join(texts))}</p>")
    return mark_safe("".join(html))  # noqa: S308 - every piece of text above is escaped


@register.filter
def running_text(text: str) -> str:
    """Text shown inside one paragraph or line, such as a fact or a chat message: every line break and run of
    spaces becomes one space. Autoescaping escapes the result."""
    return " ".join((text or "").split())
