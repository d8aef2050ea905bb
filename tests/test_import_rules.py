"""The floors: imports only go down (accounts, pdf → lessons → plans, feedback), and nothing imports operations.

Every import statement counts, at the top of a module or inside a function; migrations are left out (a
migration names the apps it follows, which is Django's history, not code that runs in a request).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# What each app may import from the project's other apps; anything it may not import is a violation.
GROUND = {"accounts", "pdf"}
MAY_IMPORT = {
    "accounts": GROUND,
    "pdf": GROUND,
    "lessons": GROUND,
    "plans": GROUND | {"lessons"},
    "feedback": GROUND | {"lessons"},
    # The wiring imports any floor; operations is the top: its commands may import anything, nothing it.
    "config": GROUND | {"lessons", "plans", "feedback"},
    "operations": GROUND | {"lessons", "plans", "feedback"},
}
PROJECT_APPS = set(MAY_IMPORT)
# Violations that are known and being mended elsewhere, as (file, imported module). The test requires this to
# be exactly the violations left, so it fails both on a new one and on a mended one still listed here.
KNOWN: set[tuple[str, str]] = set()


def _python_files(root: Path, app: str) -> list[Path]:
    return sorted(path for path in (root / app).rglob("*.py") if "migrations" not in path.parts)


def imported_modules(source: str, module: str, root: Path = ROOT) -> set[str]:
    """The modules a file imports, anywhere in it; `module` (its dotted name) resolves relative imports.

    `from lessons import walkthrough` imports the module lessons.walkthrough; `from plans.pdf import PdfBusy`
    imports plans.pdf (PdfBusy is no module).
    """
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            package = module.split(".")[: -node.level] if node.level else []
            base = ".".join([*package, *([node.module] if node.module else [])])
            for alias in node.names:
                submodule = root.joinpath(*base.split("."), alias.name)
                is_module = submodule.is_dir() or submodule.with_suffix(".py").is_file()
                found.add(f"{base}.{alias.name}" if is_module else base)
    return found


def violations(apps=tuple(MAY_IMPORT), root: Path = ROOT) -> set[tuple[str, str]]:
    """(file, imported module) for every import of an app the file's app may not import."""
    found = set()
    for app in apps:
        for path in _python_files(root, app):
            relative = path.relative_to(root)
            module = ".".join(relative.with_suffix("").parts)
            for imported in imported_modules(path.read_text(encoding="utf-8"), module, root):
                target = imported.split(".")[0]
                if target in MAY_IMPORT and target != app and target not in MAY_IMPORT[app]:
                    found.add((relative.as_posix(), imported))
    return found


def test_it_reads_every_app_it_checks():
    for app in ["accounts", "lessons", "plans", "feedback", "config", "operations"]:
        assert _python_files(ROOT, app), f"no Python files found under {app}/"


def test_imports_only_go_down_the_floors():
    found = violations()
    assert found == KNOWN, (
        "Imports only go down: accounts, pdf -> lessons -> plans, feedback (never each other); nothing "
        f"imports operations. New: {sorted(found - KNOWN)}; mended, so take them out of KNOWN: "
        f"{sorted(KNOWN - found)}"
    )


def _app_with(root: Path, app: str, source: str) -> None:
    (root / app).mkdir()
    (root / app / "module.py").write_text(source)


@pytest.mark.parametrize(
    "app, source, imported",
    [
        ("feedback", "from plans.plan import plan_delete\n", "plans.plan"),
        ("plans", "def f():\n    import feedback.models\n", "feedback.models"),
        ("plans", "class A:\n    def f(self):\n        from feedback import services\n", "feedback"),
        ("lessons", "from feedback.models import FeedbackAnswer\n", "feedback.models"),
        ("lessons", "import plans\n", "plans"),
        ("accounts", "from lessons.models import ClassSession\n", "lessons.models"),
        ("pdf", "from plans.plan import Plan\n", "plans.plan"),
        ("lessons", "from operations import database_files\n", "operations"),
        ("accounts", "from ..lessons import models\n", "lessons"),
    ],
)
def test_it_catches_an_upward_import_anywhere_in_a_file(tmp_path, app, source, imported):
    """The checker itself: an upward import at the top or inside a function or method, absolute or
    relative, is reported with the file and the module."""
    _app_with(tmp_path, app, source)
    assert violations([app], tmp_path) == {(f"{app}/module.py", imported)}


def test_it_allows_imports_down_the_floors_and_within_an_app(tmp_path):
    source = (
        "import django\nfrom accounts.access import pilot_lead_required\nfrom lessons.models import Package\n"
        "from feedback import results\nfrom . import stats\n"
    )
    _app_with(tmp_path, "feedback", source)
    assert violations(["feedback"], tmp_path) == set()


def test_it_names_the_module_a_from_import_brings_in():
    assert imported_modules("from lessons import walkthrough\n", "feedback.views") == {"lessons.walkthrough"}
    assert imported_modules("from plans.pdf import PdfBusy\n", "feedback.views") == {"plans.pdf"}


def test_modules_share_test_data_through_builders_never_through_each_other():
    """A test module imports builders, data and helpers (tests/**/builders.py, data.py, journeys.py, ...), never
    another test module: importing one runs its module-level set-up and ties two modules' data together."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        for imported in imported_modules(path.read_text(encoding="utf-8"), module):
            if imported.startswith("tests.") and imported.rsplit(".", 1)[-1].startswith("test_"):
                offenders.append(f"{path.relative_to(ROOT)} imports {imported}")
    assert offenders == []
