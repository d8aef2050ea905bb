"""Read, validate and load a lesson package YAML file (the format is described in packages/README.md)."""

import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.staticfiles import finders
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
STEP_KINDS = {choice.value for choice in Step.Kind}
QUESTION_KINDS = {choice.value for choice in Question.Kind}


class PackageFileError(Exception):
    """A package file that cannot be loaded; the message names the file, the place and the problem."""


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
        unknown = sorted(set(value) - required - set(optional))
        if unknown:
            self.fail(where, f"unknown field {', '.join(repr(u) for u in unknown)} (is it misspelt?)")
        return value

    def text(self, data: dict, name: str, where: str, *, required: bool = True, max_length: int = 0) -> str:
        value = data.get(name, "")
        if value is None:
            value = ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail(where, f"'{name}' must be text")
        value = value.strip()
        if required and not value:
            self.fail(where, f"'{name}' must not be empty")
        if max_length and len(value) > max_length:
            self.fail(where, f"'{name}' is longer than {max_length} characters")
        return value

    def slug(self, data: dict, name: str, where: str, *, required: bool = True) -> str:
        value = self.text(data, name, where, required=required, max_length=60)
        if value and not SLUG.match(value):
            self.fail(where, f"'{name}' must be lower-case letters, digits and hyphens, not {value!r}")
        return value

    def items(self, data: dict, name: str, where: str, *, minimum: int = 0) -> list:
        value = data.get(name) or []
        if not isinstance(value, list):
            self.fail(where, f"'{name}' must be a list")
        if len(value) < minimum:
            self.fail(where, f"'{name}' needs at least {minimum} item{'s' if minimum > 1 else ''}")
        return value

    def strings(
        self, data: dict, name: str, where: str, *, minimum: int = 0, max_length: int = 0
    ) -> list[str]:
        values = self.items(data, name, where, minimum=minimum)
        result = []
        for number, value in enumerate(values, start=1):
            if not isinstance(value, str) or not value.strip():
                self.fail(where, f"'{name}' item {number} must be text")
            if max_length and len(value.strip()) > max_length:
                self.fail(where, f"'{name}' item {number} is longer than {max_length} characters")
            result.append(value.strip())
        return result

    def flag(self, data: dict, name: str, where: str) -> bool:
        value = data.get(name, False)
        if not isinstance(value, bool):
            self.fail(where, f"'{name}' must be true or false")
        return value


def _step_where(number: int, step: Any) -> str:
    key = step.get("key") if isinstance(step, dict) else None
    return f'step {number} ("{key}")' if key else f"step {number}"


def parse_package(text: str, path: str) -> dict:
    """Parse and validate a package file; returns clean data ready to load or raises PackageFileError."""
    check = _Checker(path)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else ""
        check.fail(where, f"not valid YAML ({getattr(error, 'problem', None) or error})")
    top = check.mapping(
        raw,
        "",
        {"slug", "version", "title", "audience", "ground_rules", "steps"},
        {"teacher_notes", "support_services", "plan", "questions"},
    )
    version = top["version"]
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        check.fail("", "'version' must be a whole number, 1 or more")
    package = {
        "slug": check.slug(top, "slug", ""),
        "version": version,
        "title": check.text(top, "title", "", max_length=200),
        "audience": check.text(top, "audience", ""),
        "ground_rules": check.strings(top, "ground_rules", "", minimum=1),
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
        kind = raw.get("kind")
        if kind not in STEP_KINDS:
            check.fail(where, f"'kind' must be one of {', '.join(sorted(STEP_KINDS))}, not {kind!r}")
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
            if finders.find(step["image"]) is None:
                check.fail(where, f"image {step['image']!r} is not a static file of the app")
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
        if status not in {"", "seen", "deleted"}:
            check.fail(here, f"'status' must be seen or deleted, not {status!r}")
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
            "kind": item["kind"],
            "text": check.text(item, "text", where, max_length=300),
            "low_label": check.text(item, "low_label", where, required=False, max_length=60),
            "high_label": check.text(item, "high_label", where, required=False, max_length=60),
            "choices": check.strings(item, "choices", where, max_length=100),
        }
        where = f'question {number} ("{question["key"]}")'
        if question["kind"] not in QUESTION_KINDS:
            check.fail(where, f"'kind' must be one of {', '.join(sorted(QUESTION_KINDS))}")
        if question["key"] in keys:
            check.fail(where, "another question already uses this key")
        asked = check.strings(item, "asked", where, minimum=1)
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


def digest_of(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def load_package_file(path: str | Path) -> LoadResult:
    """Load a package file. Loading the same content twice changes nothing; a bad file loads nothing."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise PackageFileError(f"{path}: cannot be read ({error})") from None
    data = parse_package(text, str(path))
    return load_package_data(data, str(path))


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
