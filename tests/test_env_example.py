""".env.example lists every environment variable the settings and gunicorn.conf.py read, each explained."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV_EXAMPLE = ROOT / ".env.example"
SOURCES = [ROOT / "config" / "settings.py", ROOT / "gunicorn.conf.py"]
# `# NAME=default   # what it does`: the variable, its default or an example, then a comment.
ENTRY = re.compile(r"^#\s*([A-Z][A-Z0-9_]*)=(\S*(?: \S+)*?)\s+#\s*(\S.*)$")


def _is_os_environ(node: ast.expr) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "environ") or (
        isinstance(node, ast.Name) and node.id == "environ"
    )


def _first_string(call: ast.Call) -> str | None:
    if call.args and isinstance(call.args[0], ast.Constant) and isinstance(call.args[0].value, str):
        return call.args[0].value
    return None


def _reads_environment(function: ast.expr) -> bool:
    """envbool(...) and the other env* helpers, os.environ.get/setdefault/pop(...), os.getenv(...)."""
    if isinstance(function, ast.Name):
        return function.id.startswith("env")
    return isinstance(function, ast.Attribute) and (
        (function.attr in {"get", "setdefault", "pop"} and _is_os_environ(function.value))
        or function.attr == "getenv"
    )


def variables_read(source: str) -> set[str]:
    """Names passed as a literal to os.environ.get/[...]/setdefault, os.getenv, or an env* helper."""
    names = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Subscript) and _is_os_environ(node.value):
            if isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, str):
                names.add(node.slice.value)
        elif isinstance(node, ast.Call) and (name := _first_string(node)) and _reads_environment(node.func):
            names.add(name)
    return names


def listed() -> dict[str, str]:
    """Each variable in .env.example with its comment."""
    entries = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if match := ENTRY.match(line):
            entries[match.group(1)] = match.group(3)
    return entries


def read_by_the_app() -> set[str]:
    return set().union(*(variables_read(path.read_text()) for path in SOURCES))


def test_it_finds_the_variables_in_every_form_the_settings_read_them():
    source = (
        "import os\nfrom os import environ\n"
        "A = os.environ.get('A')\nB = os.environ['B']\nC = envint('C', 1)\nD = os.getenv('D')\n"
        "E = envbool('E')\nF = int(os.environ.get('F', 4))\nG = environ.get('G')\n"
        "def helper(name):\n    return os.environ.get(name)\n"
    )

    assert variables_read(source) == {"A", "B", "C", "D", "E", "F", "G"}


def test_it_reads_the_real_settings_and_gunicorn_config():
    read = read_by_the_app()

    assert {"SECRET_KEY", "DATABASE_URL", "DEBUG", "FEEDBACK_MIN_GROUP"} <= read
    assert {"BIND", "WEB_CONCURRENCY", "GUNICORN_ACCESS_LOG"} <= read


def test_it_lists_every_variable_the_app_reads():
    missing = sorted(read_by_the_app() - listed().keys())

    assert not missing, f"add these to .env.example, each with its default and a comment: {missing}"


def test_it_lists_nothing_the_app_no_longer_reads():
    stale = sorted(listed().keys() - read_by_the_app())

    assert not stale, f".env.example lists variables nothing reads: {stale}"


def test_it_explains_every_variable_on_its_line():
    variable_lines = [
        line for line in ENV_EXAMPLE.read_text().splitlines() if re.match(r"^#\s*[A-Z][A-Z0-9_]*=", line)
    ]

    assert variable_lines
    assert len(variable_lines) == len(listed()), [line for line in variable_lines if not ENTRY.match(line)]
