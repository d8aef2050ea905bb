"""Hostile package files: each is refused with "FILE: where: problem" and loads nothing, through
`manage.py load_package` (no traceback) and through the admin's "Import a package file" (never a 500)."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from lessons.models import (
    AlreadyHappenedStep,
    ChatMessage,
    ChoiceOption,
    ExampleLine,
    Fact,
    Package,
    PressureSign,
    Question,
    Step,
    Strategy,
    SupportService,
)
from lessons.package_file import MAX_BYTES
from tests.builders import MINI_PACKAGE

pytestmark = pytest.mark.django_db

MINI = MINI_PACKAGE.read_text()


def _replace(old: str, new: str) -> bytes:
    assert MINI.count(old) == 1, old
    return MINI.replace(old, new).encode()


LAUGHS = "\n".join(
    ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    + [f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]" for n in range(8)]
)

# (name, file bytes, where and problem as the message gives them)
HOSTILE = [
    (
        "deep nesting",
        b"slug: " + b"[" * 100_000 + b"]" * 100_000,
        r"line 1: not valid YAML \(nested more than 20",
    ),
    (
        "deep mappings",
        ("a:\n" + "".join("  " * n + "b:\n" for n in range(1, 50))).encode(),
        "nested more than 20",
    ),
    (
        "a list where a step kind is expected",
        _replace("kind: think", "kind: [think, story]"),
        r'step 2 \("feelings"\): \'kind\' must be one of .*, not \[\'think\', \'story\'\]',
    ),
    (
        "a mapping where a step kind is expected",
        _replace("kind: think", "kind: {think: 1}"),
        r'step 2 \("feelings"\): \'kind\' must be one of',
    ),
    (
        "a list where a question kind is expected",
        _replace("kind: scale", "kind: [scale]"),
        r"question 1: \'kind\' must be one of",
    ),
    (
        "a list where a message status is expected",
        _replace("status: seen", "status: [seen]"),
        r'step 1 \("the-chat"\), message 2: \'status\' must be seen or deleted',
    ),
    (
        "mixed-type unknown keys",
        _replace("slug: mini", "slug: mini\n1: one\nzebra: two"),
        r"line \d+: not valid YAML \(a field name must be text, not 1\)",
    ),
    ("a null key", _replace("slug: mini", "slug: mini\n~: nothing"), r"a field name must be text, not None"),
    (
        "a picture path outside the package's folder",
        _replace(
            "body: You are never on your own.", "picture: ../../../../etc/x.png\n    picture_alt: A file"
        ),
        r'step 6 \("help"\): \'picture\' must be a .webp, .png or .jpg file named by a relative path',
    ),
    (
        "an absolute picture path",
        _replace("body: You are never on your own.", "picture: /etc/x.png\n    picture_alt: A file"),
        r'step 6 \("help"\): \'picture\' must be a .webp, .png or .jpg file named by a relative path',
    ),
    (
        "a legacy static image path",
        _replace("body: You are never on your own.", "image: lessons/x.png\n    image_alt: A file"),
        r'step 6 \("help"\): \'image\' \(a path among the app\'s static files\) is no longer read',
    ),
    (
        "a version over 64 bits",
        _replace("version: 1", "version: 99999999999999999999999"),
        "'version' must be",
    ),
    ("a version over 32 bits", _replace("version: 1", "version: 4294967296"), "'version' must be"),
    ("a negative version", _replace("version: 1", "version: -1"), "'version' must be a whole number from 1"),
    ("a boolean version", _replace("version: 1", "version: true"), "'version' must be a whole number"),
    ("a float version", _replace("version: 1", "version: 1.5"), "'version' must be a whole number"),
    ("a version as text", _replace("version: 1", 'version: "1"'), "'version' must be a whole number"),
    ("an infinite version", _replace("version: 1", "version: .inf"), "'version' must be a whole number"),
    (
        "a duplicate top-level key",
        _replace("title: Mini lesson", "title: Mini lesson\ntitle: Sneaky title"),
        r"line 5: not valid YAML \(the field 'title' appears twice\)",
    ),
    (
        "a duplicate key in a step",
        _replace("    question: How might Sam be feeling?", "    question: One?\n    question: Two?"),
        r"not valid YAML \(the field 'question' appears twice\)",
    ),
    (
        "a NUL in the title",
        _replace("title: Mini lesson", 'title: "Mini\\0lesson"'),
        r"mini\.yaml: 'title' contains a control character \(U\+0000\)",
    ),
    (
        "an escape character in a chat message",
        _replace("text: send me a pic", 'text: "send me a pic\\e[2J"'),
        r'step 1 \("the-chat"\), message 1: \'text\' contains a control character \(U\+001B\)',
    ),
    (
        "a lone surrogate in a strategy line",
        _replace('lines: ["No.", "Not happening."]', 'lines: ["No.", "\\ud800"]'),
        r"plan, strategy 1: 'lines' item 2 contains a control character \(U\+D800\)",
    ),
    (
        "a control character in a question",
        _replace("text: Which parts were most useful?", 'text: "Which parts\\x07?"'),
        r"question 2: 'text' contains a control character \(U\+0007\)",
    ),
    (
        "a billion laughs",
        (LAUGHS + "\n" + MINI).encode(),
        r"not valid YAML \(aliases \(\*name\) are not allowed",
    ),
    (
        "a merge key",
        _replace("slug: mini", "base: &base {x: 1}\nslug: mini\n<<: {y: 2}"),
        r"not valid YAML \(merge keys",
    ),
    (
        "a Python object tag",
        _replace("title: Mini lesson", "title: !!python/object:os.system [ls]"),
        "not valid YAML",
    ),
    ("a huge file", MINI.encode() + b"#" * MAX_BYTES, r"larger than 1 MB, so it is not a package file"),
    (
        "non-UTF-8 bytes",
        MINI.encode().replace(b"Mini lesson", b"Mini \xff\xfe lesson"),
        r"mini\.yaml: not UTF-8 text",
    ),
    (
        "Latin-1 text",
        _replace("Mini lesson", "Mini lessön").decode().encode("latin-1"),
        r"not UTF-8 text \(byte \d+",
    ),
    (
        "a very long title",
        _replace("title: Mini lesson", "title: " + "x" * 201),
        "'title' is longer than 200",
    ),
    (
        "a very long body",
        _replace("body: Choose one.", "body: " + "x" * 20_001),
        r'step 3 \("what-now"\): \'body\' is longer than 20000 characters',
    ),
    (
        "a very long sender",
        _replace("from: Alex\n        text: send", "from: " + "A" * 61 + "\n        text: send"),
        "'from' is longer than 60",
    ),
    (
        "a very long unknown key",
        _replace("slug: mini", "slug: mini\n" + "k" * 500 + ": v"),
        r"mini\.yaml: unknown field 'k{50,60}\.\.\. \(is it misspelt\?\)$",
    ),
    (
        "a date where text is expected",
        _replace("title: Mini lesson", "title: 2026-01-01"),
        "'title' must be text",
    ),
    (
        "a number list where text is expected",
        _replace("- They keep asking.", "- 42"),
        r"'pressure_signs' item 1 must be text",
    ),
    (
        "a mapping for the steps",
        _replace("steps:\n", "steps: {a: 1}\nold_steps:\n"),
        "unknown field 'old_steps'",
    ),
    ("text where the steps are expected", _replace("steps:\n", "steps: lots\nold_steps:\n"), "unknown field"),
    (
        "a thousand pressure signs",
        _replace("    - They keep asking.", "\n".join(["    - They keep asking."] * 1000)),
        r"plan: 'pressure_signs' has more than 100 items",
    ),
    (
        "a slug in capitals and spaces",
        _replace("slug: mini", "slug: Mini Lesson"),
        "'slug' must be lower-case",
    ),
]


def _row_counts() -> dict[str, int]:
    models = [Package, Step, ChatMessage, ChoiceOption, Fact, SupportService, Strategy, ExampleLine]
    models += [PressureSign, AlreadyHappenedStep, Question]
    return {model.__name__: model.objects.count() for model in models}


def test_the_corpus_starts_from_a_file_that_loads(tmp_path):
    """Each hostile file is the mini package with one change: without the change, it loads."""
    good = tmp_path / "mini.yaml"
    good.write_bytes(MINI.encode())
    call_command("load_package", str(good))
    assert Package.objects.filter(slug="mini").exists()


@pytest.mark.parametrize(
    ("raw", "message"), [(raw, m) for _, raw, m in HOSTILE], ids=[n for n, _, _ in HOSTILE]
)
def test_load_package_refuses_a_hostile_file_with_a_clear_message(tmp_path, raw, message):
    path = tmp_path / "mini.yaml"
    path.write_bytes(raw)
    before = _row_counts()
    with pytest.raises(CommandError) as refusal:
        call_command("load_package", str(path))
    assert str(refusal.value).startswith(f"{path}: "), str(refusal.value)[:300]
    assert re.search(message, str(refusal.value)), str(refusal.value)[:300]
    assert len(str(refusal.value)) < 600
    assert _row_counts() == before


@pytest.mark.parametrize(
    ("raw", "message"), [(raw, m) for _, raw, m in HOSTILE], ids=[n for n, _, _ in HOSTILE]
)
def test_the_admin_import_refuses_a_hostile_file_with_a_clear_message(client, lead, raw, message):
    client.force_login(lead)
    before = _row_counts()
    upload = SimpleUploadedFile("mini.yaml", raw, content_type="application/x-yaml")
    response = client.post("/admin/lessons/package/import/", {"file": upload})
    assert response.status_code == 400
    page = html.unescape(response.content.decode())
    [error] = re.findall(r'<ul class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', page, re.DOTALL)
    assert error.startswith("mini.yaml: "), error[:300]
    assert re.search(message, error), error[:300]
    assert _row_counts() == before
