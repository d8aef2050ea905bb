"""Runs axe-core (bundled with axe_playwright_python) in a page and fails on any WCAG 2.2 AA violation."""

import weakref
from functools import cache
from importlib.resources import files

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations;
}"""


@cache
def _axe_source() -> str:
    return files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8")


_STYLES_APPLIED = """() => document.readyState === "complete"
  && [...document.querySelectorAll('link[rel="stylesheet"]')].every(link => link.sheet !== null)"""


def axe_violations(page) -> list[dict]:
    """The page's violations as axe reports them (id, impact, help, helpUrl, nodes with their targets)."""
    # Sizes, contrast and overlap are only what a student sees once the page's own styles apply.
    page.wait_for_function(_STYLES_APPLIED)
    if not page.evaluate("() => typeof window.axe === 'object'"):
        _load_axe(page)
    return page.evaluate(_RUN_AXE, WCAG_TAGS)


# Contexts that load axe into every page they open.
_contexts_with_axe: weakref.WeakSet = weakref.WeakSet()


def _load_axe(page) -> None:
    """Into this page, and from now on into every page of its context as the browser opens it: a test that
    checks one page checks the next, and sending axe's half a megabyte for each took longer than loading
    the page. Both are evaluated over the DevTools protocol rather than as a <script> tag, so a strict CSP
    cannot block them."""
    page.evaluate(_axe_source())
    if page.context not in _contexts_with_axe:
        page.context.add_init_script(script=_axe_source())
        _contexts_with_axe.add(page.context)


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"- {violation['id']} ({violation.get('impact') or 'no impact given'}): {violation['help']}"
        )
        lines.append(f"  {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(selector) for selector in node["target"])
            lines.append(f"    at {target}")
            if summary := node.get("failureSummary"):
                lines.extend(f"       {line}" for line in summary.splitlines())
    return "\n".join(lines)


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    if violations:
        raise AssertionError(
            f"axe-core found {len(violations)} WCAG 2.2 AA violation(s) on {page.url}:\n"
            + format_violations(violations)
        )
