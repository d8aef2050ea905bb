"""Read, validate and load a lesson package YAML file (the format is described in packages/README.md)."""

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.db import transaction
from django.utils import timezone

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

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMAGE = re.compile(r"^[a-z0-9_-]+(?:/[a-z0-9_.-]+)*\.(?:svg|png|jpg|jpeg|webp)$")  # a path inside static/
STEP_KINDS = {choice.value for choice in Step.Kind}
QUESTION_KINDS = {choice.value for choice in Question.Kind}
# A package file may come from anywhere (another server's export, a hand-written file, an upload in the
# admin), so everything about it is bounded: far above a real lesson, far below what would strain a server.
MAX_BYTES = 1_000_000
MAX_DEPTH = 20  # nesting of lists and mappings; a package needs 6
MAX_VERSION = 1_000_000
MAX_TEXT = 20_000  # characters in any one text, such as a step's body or the teacher notes
LIMITS = {
    "ground_rules": 30,
    "support_services": 30,
    "steps": 50,  # useful-steps questions count each step: a results bundle allows 50 answers per question
    "messages": 100,
    "options": 20,
    "facts": 50,
    "strategies": 50,
    "lines": 50,
    "pressure_signs": 100,
    "already_happened": 30,
    "questions": 50,  # each asked at most twice: a results bundle allows 100 per package version
    "choices": 50,
    "asked": 2,
}
LINE_BREAKS = frozenset("\n\r\t")  # the admin's text boxes send \r\n


class PackageFileError(Exception):
    """A package file that cannot be loaded; the message names the file, the place and the problem."""


class _PackageLoader(yaml.SafeLoader):
    """YAML as a package file may use it: no aliases (a few lines of them can expand to billions of values),
    no duplicate keys (the last would silently win), keys are text, and nesting is bounded."""

    depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not allowed in a package file", self.peek_event().start_mark
            )
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(
                None, None, f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark
            )
        try:
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1

    def construct_mapping(self, node, deep=False):
        seen = set()
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed in a package file", key_node.start_mark
                )
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                raise yaml.constructor.ConstructorError(
                    None, None, f"a field name must be text, not {_shown(key)}", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the field {_shown(key)} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def _shown(value: Any) -> str:
    """A value as an error message quotes it: short, with anything unprintable escaped."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _control_character(value: str) -> str | None:
    for character in value:
        if character not in LINE_BREAKS and unicodedata.category(character) in ("Cc", "Cs"):
            return f"U+{ord(character):04X}"
    return None


@dataclass
class LoadResult:
    package: Package
    created: bool


class _Checker:
    """Walks the parsed YAML, collecting the first problem with a precise location."""

    def __init__(self, path: str):
        self.path = path

    def fail(self, where: str, problem: str):
        location = f"{self.path}: {where}: " if where else f"{self.path}: "
        raise PackageFileError(location + problem)

    def mapping(self, value: Any, where: str, required: set[str], optional: set[str] = frozenset()) -> dict:
        if not isinstance(value, dict):
            self.fail(where, "expected a set of 'name: value' fields")
        missing = sorted(required - value.keys())
        if missing:
            self.fail(where, f"missing {', '.join(repr(m) for m in missing)}")
        unknown = sorted(str(key) for key in set(value) - required - set(optional))
        if unknown:
            self.fail(where, f"unknown field {', '.join(_shown(u) for u in unknown[:5])} (is it misspelt?)")
        return value

    def choice(self, data: dict, name: str, where: str, allowed: set[str]) -> str:
        value = data.get(name)
        if not isinstance(value, str) or value not in allowed:
            self.fail(where, f"'{name}' must be one of {', '.join(sorted(allowed))}, not {_shown(value)}")
        return value

    def text(
        self, data: dict, name: str, where: str, *, required: bool = True, max_length: int = MAX_TEXT
    ) -> str:
        value = data.get(name, "")
        if value is None:
            value = ""
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)  # such as a phone number written without quotes
        if not isinstance(value, str):
            self.fail(where, f"'{name}' must be text")
        return self.clean(value, f"'{name}'", where, required=required, max_length=max_length)

    def clean(self, value: str, what: str, where: str, *, required: bool = True, max_length: int = MAX_TEXT):
        value = value.strip()
        if required and not value:
            self.fail(where, f"{what} must not be empty")
        if len(value) > max_length:
            self.fail(where, f"{what} is longer than {max_length} characters")
        if character := _control_character(value):
            self.fail(where, f"{what} contains a control character ({character}), which is not allowed")
        return value

    def slug(self, data: dict, name: str, where: str, *, required: bool = True) -> str:
        value = self.text(data, name, where, required=required, max_length=60)
        if value and not SLUG.match(value):
            self.fail(where, f"'{name}' must be lower-case letters, digits and hyphens, not {_shown(value)}")
        return value

    def items(self, data: dict, name: str, where: str, *, minimum: int = 0) -> list:
        value = data.get(name)
        if value is None:
            value = []
        if not isinstance(value, list):
            self.fail(where, f"'{name}' must be a list")
        if len(value) < minimum:
            self.fail(where, f"'{name}' needs at least {minimum} item{'s' if minimum > 1 else ''}")
        if len(value) > LIMITS[name]:
            self.fail(where, f"'{name}' has more than {LIMITS[name]} items")
        return value

    def strings(
        self, data: dict, name: str, where: str, *, minimum: int = 0, max_length: int = 0
    ) -> list[str]:
        values = self.items(data, name, where, minimum=minimum)
        result = []
        for number, value in enumerate(values, start=1):
            if not isinstance(value, str) or not value.strip():
                self.fail(where, f"'{name}' item {number} must be text")
            result.append(
                self.clean(value, f"'{name}' item {number}", where, max_length=max_length or MAX_TEXT)
            )
        return result

    def flag(self, data: dict, name: str, where: str) -> bool:
        value = data.get(name, False)
        if not isinstance(value, bool):
            self.fail(where, f"'{name}' must be true or false")
        return value


def _step_where(number: int, step: Any) -> str:
    key = step.get("key") if isinstance(step, dict) else None
    return (
        f'step {number} ("{key}")'
        if isinstance(key, str) and SLUG.match(key) and len(key) <= 60
        else f"step {number}"
    )


def parse_package(text: str, path: str) -> dict:
    """Parse and validate a package file; returns clean data ready to load or raises PackageFileError."""
    check = _Checker(path)
    if len(text) > MAX_BYTES:
        check.fail("", f"larger than {MAX_BYTES // 1_000_000} MB, so it is not a package file")
    try:
        raw = yaml.load(text, Loader=_PackageLoader)  # noqa: S506 (a SafeLoader, stricter still)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        check.fail(where, f"not valid YAML ({getattr(error, 'problem', None) or error})")
    except RecursionError:  # MAX_DEPTH stops nesting first; this is the last line of defence
        check.fail("", f"nested more than {MAX_DEPTH} levels deep")
    top = check.mapping(
        raw,
        "",
        {"slug", "version", "title", "audience", "ground_rules", "steps"},
        {"teacher_notes", "support_services", "plan", "questions"},
    )
    version = top["version"]
    if not isinstance(version, int) or isinstance(version, bool) or not 1 <= version <= MAX_VERSION:
        check.fail("", f"'version' must be a whole number from 1 to {MAX_VERSION}")
    package = {
        "slug": check.slug(top, "slug", ""),
        "version": version,
        "title": check.text(top, "title", "", max_length=200),
        "audience": check.text(top, "audience", ""),
        "ground_rules": check.strings(top, "ground_rules", "", minimum=1, max_length=300),
        "teacher_notes": check.text(top, "teacher_notes", "", required=False),
    }
    package["support_services"] = _parse_services(check, top)
    package["steps"] = _parse_steps(check, top, package["support_services"])
    package["plan"] = _parse_plan(check, top)
    package["questions"] = _parse_questions(check, top)
    return package


def _parse_services(check: _Checker, top: dict) -> list[dict]:
    services, keys = [], set()
    for number, raw in enumerate(check.items(top, "support_services", ""), start=1):
        where = f"support service {number}"
        item = check.mapping(raw, where, {"key", "name", "description"}, {"phone", "url", "hours"})
        service = {
            "key": check.slug(item, "key", where),
            "name": check.text(item, "name", where, max_length=120),
            "description": check.text(item, "description", where),
            "phone": check.text(item, "phone", where, required=False, max_length=40),
            "url": check.text(item, "url", where, required=False, max_length=200),
            "hours": check.text(item, "hours", where, required=False, max_length=120),
        }
        where = f'support service {number} ("{service["key"]}")'
        if service["key"] in keys:
            check.fail(where, "another support service already uses this key")
        if not service["phone"] and not service["url"]:
            check.fail(where, "needs a 'phone' or a 'url' so that students can reach it")
        if service["url"] and not service["url"].startswith("https://"):
            check.fail(where, "'url' must start with https://")
        keys.add(service["key"])
        services.append(service)
    return services


def _parse_steps(check: _Checker, top: dict, services: list[dict]) -> list[dict]:
    steps = []
    common = {"key", "kind", "title"}
    optional = {"body", "image", "image_alt", "detour", "next", "teacher_notes"}
    extra = {"story": {"messages"}, "think": {"question"}, "choice": {"options"}, "facts": {"facts"}}
    raw_steps = check.items(top, "steps", "", minimum=1)
    for number, raw in enumerate(raw_steps, start=1):
        where = _step_where(number, raw)
        if not isinstance(raw, dict):
            check.fail(where, "expected a set of 'name: value' fields")
        kind = check.choice(raw, "kind", where, STEP_KINDS)
        item = check.mapping(raw, where, common, optional | extra.get(kind, set()))
        step = {
            "key": check.slug(item, "key", where),
            "kind": kind,
            "title": check.text(item, "title", where, max_length=200),
            "body": check.text(item, "body", where, required=False),
            "question": "",
            "image": check.text(item, "image", where, required=False, max_length=200),
            "image_alt": check.text(item, "image_alt", where, required=False, max_length=300),
            "detour": check.flag(item, "detour", where),
            "next_key": check.slug(item, "next", where, required=False),
            "teacher_notes": check.text(item, "teacher_notes", where, required=False),
            "messages": [],
            "options": [],
            "facts": [],
        }
        if step["image"]:
            if not step["image_alt"]:
                check.fail(where, "an image needs 'image_alt' text for students who cannot see it")
            if not _is_static_file(step["image"]):
                check.fail(where, f"image {_shown(step['image'])} is not a static file of the app")
        if kind == "story":
            step["messages"] = _parse_messages(check, item, where)
            if not step["messages"] and not step["body"]:
                check.fail(where, "a story step needs a 'body' or 'messages'")
        elif kind == "think":
            step["question"] = check.text(item, "question", where)
        elif kind == "choice":
            step["options"] = _parse_options(check, item, where)
        elif kind == "facts":
            step["facts"] = _parse_facts(check, item, where)
        elif kind == "support" and not services:
            check.fail(where, "a support step needs the package's 'support_services' list")
        steps.append(step)
    _check_links(check, steps)
    return steps


def _parse_messages(check: _Checker, item: dict, where: str) -> list[dict]:
    messages = []
    for number, raw in enumerate(check.items(item, "messages", where), start=1):
        here = f"{where}, message {number}"
        message = check.mapping(raw, here, {"from"}, {"text", "outgoing", "status"})
        status = message.get("status") or ""
        if not isinstance(status, str) or status not in {"", "seen", "deleted"}:
            check.fail(here, f"'status' must be seen or deleted, not {_shown(status)}")
        text = check.text(message, "text", here, required=status != "deleted")
        messages.append(
            {
                "sender": check.text(message, "from", here, max_length=60),
                "text": text,
                "outgoing": check.flag(message, "outgoing", here),
                "status": status,
            }
        )
    return messages


def _parse_options(check: _Checker, item: dict, where: str) -> list[dict]:
    options = []
    for number, raw in enumerate(check.items(item, "options", where, minimum=2), start=1):
        here = f"{where}, option {number}"
        option = check.mapping(raw, here, {"label", "feedback"}, {"leads_to"})
        options.append(
            {
                "label": check.text(option, "label", here, max_length=300),
                "feedback": check.text(option, "feedback", here),
                "leads_to": check.slug(option, "leads_to", here, required=False),
            }
        )
    return options


def _parse_facts(check: _Checker, item: dict, where: str) -> list[dict]:
    facts = []
    for number, raw in enumerate(check.items(item, "facts", where, minimum=1), start=1):
        here = f"{where}, fact {number}"
        fact = check.mapping(raw, here, {"fact"}, {"myth"})
        facts.append(
            {
                "myth": check.text(fact, "myth", here, required=False, max_length=300),
                "fact": check.text(fact, "fact", here),
            }
        )
    return facts


def _check_links(check: _Checker, steps: list[dict]) -> None:
    """Keys are unique, branch targets exist, and every detour can be reached."""
    numbers = {}
    for number, step in enumerate(steps, start=1):
        if step["key"] in numbers:
            check.fail(_step_where(number, step), f"key is already used by step {numbers[step['key']]}")
        numbers[step["key"]] = number
    if steps[0]["detour"]:
        check.fail(_step_where(1, steps[0]), "the first step cannot be a detour")
    reached = set()
    for number, step in enumerate(steps, start=1):
        where = _step_where(number, step)
        if step["next_key"]:
            if step["next_key"] not in numbers:
                check.fail(where, f"'next' names step {step['next_key']!r}, which does not exist")
            reached.add(step["next_key"])
        for option_number, option in enumerate(step["options"], start=1):
            if option["leads_to"]:
                if option["leads_to"] not in numbers:
                    check.fail(
                        f"{where}, option {option_number}",
                        f"'leads_to' names step {option['leads_to']!r}, which does not exist",
                    )
                reached.add(option["leads_to"])
    for number, step in enumerate(steps, start=1):
        if step["detour"] and step["key"] not in reached:
            check.fail(_step_where(number, step), "this detour is not reached by any option's 'leads_to'")


def _parse_plan(check: _Checker, top: dict) -> dict:
    plan = check.mapping(
        top.get("plan") or {}, "plan", set(), {"strategies", "pressure_signs", "already_happened"}
    )
    strategies, keys = [], set()
    for number, raw in enumerate(check.items(plan, "strategies", "plan"), start=1):
        where = f"plan, strategy {number}"
        item = check.mapping(raw, where, {"key", "title", "lines"}, {"description"})
        strategy = {
            "key": check.slug(item, "key", where),
            "title": check.text(item, "title", where, max_length=120),
            "description": check.text(item, "description", where, required=False),
            "lines": check.strings(item, "lines", where, minimum=1, max_length=200),
        }
        if strategy["key"] in keys:
            check.fail(where, "another strategy already uses this key")
        keys.add(strategy["key"])
        strategies.append(strategy)
    happened = []
    for number, raw in enumerate(check.items(plan, "already_happened", "plan"), start=1):
        where = f"plan, already_happened {number}"
        item = check.mapping(raw, where, {"title", "text"})
        happened.append(
            {
                "title": check.text(item, "title", where, max_length=120),
                "text": check.text(item, "text", where),
            }
        )
    return {
        "strategies": strategies,
        "pressure_signs": check.strings(plan, "pressure_signs", "plan", max_length=200),
        "already_happened": happened,
    }


def _parse_questions(check: _Checker, top: dict) -> list[dict]:
    questions, keys = [], set()
    for number, raw in enumerate(check.items(top, "questions", ""), start=1):
        where = f"question {number}"
        item = check.mapping(
            raw, where, {"key", "kind", "text", "asked"}, {"low_label", "high_label", "choices"}
        )
        question = {
            "key": check.slug(item, "key", where),
            "kind": check.choice(item, "kind", where, QUESTION_KINDS),
            "text": check.text(item, "text", where, max_length=300),
            "low_label": check.text(item, "low_label", where, required=False, max_length=60),
            "high_label": check.text(item, "high_label", where, required=False, max_length=60),
            "choices": check.strings(item, "choices", where, max_length=100),
        }
        where = f'question {number} ("{question["key"]}")'
        if question["key"] in keys:
            check.fail(where, "another question already uses this key")
        asked = check.strings(item, "asked", where, minimum=1, max_length=20)
        if not set(asked) <= {"checkin", "feedback"}:
            check.fail(where, "'asked' may list only checkin and feedback")
        if question["kind"] in {"choice", "year_group"} and len(question["choices"]) < 2:
            check.fail(where, "needs at least 2 'choices'")
        if question["kind"] == "useful_steps" and "checkin" in asked:
            check.fail(where, "which steps were useful can only be asked in feedback")
        question["in_checkin"] = "checkin" in asked
        question["in_feedback"] = "feedback" in asked
        keys.add(question["key"])
        questions.append(question)
    return questions


def _is_static_file(image: str) -> bool:
    """Whether `image` names a file among the app's static files: a plain relative path, never outside them."""
    if ".." in image or not IMAGE.match(image):
        return False
    try:
        return finders.find(image) is not None
    except SuspiciousFileOperation:
        return False


def digest_of(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def load_package_file(path: str | Path) -> LoadResult:
    """Load a package file. Loading the same content twice changes nothing; a bad file loads nothing."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)  # never more, however large the file
    except OSError as error:
        raise PackageFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    return load_package_data(parse_package_bytes(raw, str(path)), str(path))


def parse_package_bytes(raw: bytes, path: str) -> dict:
    """parse_package for a file's bytes, as read from disk or uploaded: at most MAX_BYTES of UTF-8 text."""
    if len(raw) > MAX_BYTES:
        raise PackageFileError(
            f"{path}: larger than {MAX_BYTES // 1_000_000} MB, so it is not a package file"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise PackageFileError(
            f"{path}: not UTF-8 text (byte {error.start + 1} cannot be read); save it as UTF-8"
        ) from None
    return parse_package(text, path)


@transaction.atomic
def load_package_data(data: dict, path: str) -> LoadResult:
    """Create a published version from parsed data. A published version never changes: a file with other
    content under a version number already here is refused, so classes and feedback keep what they saw."""
    digest = digest_of(data)
    existing = Package.objects.filter(slug=data["slug"], version=data["version"]).first()
    if existing is not None:
        if existing.is_draft:
            raise PackageFileError(
                f"{path}: a draft of version {data['version']} of {data['slug']!r} is being edited on this "
                "server; publish or delete the draft first, or give the file another version number"
            )
        if existing.digest == digest:
            return LoadResult(existing, created=False)
        raise PackageFileError(
            f"{path}: version {data['version']} of {data['slug']!r} is already here with different content, "
            "and a published version never changes; give the file a new version number"
        )
    package = Package.objects.create(
        slug=data["slug"],
        version=data["version"],
        title=data["title"],
        audience=data["audience"],
        ground_rules="\n".join(data["ground_rules"]),
        teacher_notes=data["teacher_notes"],
        digest=digest,
        published_at=timezone.now(),
    )
    create_package_content(package, data)
    return LoadResult(package, created=True)


def create_package_content(package: Package, data: dict) -> None:
    """Create every step, service, plan item and question of `data` (parsed package data) for `package`."""
    _create_steps(package, data["steps"])
    SupportService.objects.bulk_create(
        SupportService(package=package, position=n, **service)
        for n, service in enumerate(data["support_services"])
    )
    _create_plan_content(package, data["plan"])
    Question.objects.bulk_create(
        Question(
            package=package,
            position=n,
            **{k: v for k, v in question.items() if k != "choices"},
            choices="\n".join(question["choices"]),
        )
        for n, question in enumerate(data["questions"])
    )


def _create_steps(package: Package, steps: list[dict]) -> None:
    children = {"messages", "options", "facts"}
    created = Step.objects.bulk_create(
        Step(package=package, position=n, **{k: v for k, v in step.items() if k not in children})
        for n, step in enumerate(steps, start=1)
    )
    messages, options, facts = [], [], []
    for step, data in zip(created, steps, strict=True):
        messages += [ChatMessage(step=step, position=n, **m) for n, m in enumerate(data["messages"])]
        options += [ChoiceOption(step=step, position=n, **o) for n, o in enumerate(data["options"])]
        facts += [Fact(step=step, position=n, **f) for n, f in enumerate(data["facts"])]
    ChatMessage.objects.bulk_create(messages)
    ChoiceOption.objects.bulk_create(options)
    Fact.objects.bulk_create(facts)


def _create_plan_content(package: Package, plan: dict) -> None:
    strategies = Strategy.objects.bulk_create(
        Strategy(package=package, position=n, key=s["key"], title=s["title"], description=s["description"])
        for n, s in enumerate(plan["strategies"])
    )
    ExampleLine.objects.bulk_create(
        ExampleLine(strategy=strategy, position=n, text=text)
        for strategy, data in zip(strategies, plan["strategies"], strict=True)
        for n, text in enumerate(data["lines"])
    )
    PressureSign.objects.bulk_create(
        PressureSign(package=package, position=n, text=text) for n, text in enumerate(plan["pressure_signs"])
    )
    AlreadyHappenedStep.objects.bulk_create(
        AlreadyHappenedStep(package=package, position=n, **item)
        for n, item in enumerate(plan["already_happened"])
    )
