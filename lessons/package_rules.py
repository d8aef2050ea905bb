"""The rules a lesson package must meet, checked on its data: as read from a file, or from a draft's rows."""

import re
import unicodedata
from typing import Any

from lessons.models import Question, SupportService
from lessons.step_kinds import CHILDREN, STEP_KINDS, StepKind

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A picture named in a package file: a plain relative path beside the YAML file or inside its zip.
PICTURE_NAME = re.compile(
    r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*(?:/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*\.(?:webp|png|jpe?g)$"
)
QUESTION_KINDS = {choice.value for choice in Question.Kind}
# A package may come from anywhere (another server's export, a hand-written file, an upload in the admin),
# so everything about it is bounded: far above a real lesson, far below what would strain a server.
MAX_VERSION = 1_000_000
MAX_FILE_BYTES = 1_000_000  # a package's YAML is bounded before it is parsed
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
    "words": 12,  # a think step's words to share: few enough to read on a phone and chart on the board
}
AUDIENCES = {choice.value for choice in SupportService.Audience}
SHARES = {"words", "text"}  # what a think step may let students share (Step.Share)
SHORT_TITLE = 40  # a step's short title, as feedback's "most useful parts" lists it
WORDS_MIN = 3
WORD_MAX_LENGTH = 30
LINE_BREAKS = frozenset("\n\r\t")  # the admin's text boxes send \r\n


PICTURE_FIELDS = ("picture", "picture_alt", "picture_decorative")
LEGACY_IMAGE = (
    "'image' (a path among the app's static files) is no longer read: give the picture file as 'picture' with "
    "'picture_alt' text (see packages/README.md, Pictures)"
)


class PackageFileError(Exception):
    """A package that cannot be loaded or published; the message names the source, the place and the problem."""


def shown(value: Any) -> str:
    """A value as an error message quotes it: short, with anything unprintable escaped."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _control_character(value: str) -> str | None:
    for character in value:
        if character not in LINE_BREAKS and unicodedata.category(character) in ("Cc", "Cs"):
            return f"U+{ord(character):04X}"
    return None


class Checker:
    """Walks a package's data, stopping at the first problem with a precise location."""

    def __init__(self, path: str):
        self.path = path

    shown = staticmethod(shown)

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
            self.fail(where, f"unknown field {', '.join(shown(u) for u in unknown[:5])} (is it misspelt?)")
        return value

    def choice(self, data: dict, name: str, where: str, allowed: set[str]) -> str:
        value = data.get(name)
        if not isinstance(value, str) or value not in allowed:
            self.fail(where, f"'{name}' must be one of {', '.join(sorted(allowed))}, not {shown(value)}")
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
            self.fail(where, f"'{name}' must be lower-case letters, digits and hyphens, not {shown(value)}")
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


def validate(raw: Any, *, source: str) -> dict:
    """Check a package's data in the file format's shape (parsed YAML, or a draft's rows written the same
    way): clean data ready to load, or PackageFileError naming `source`, the place and the first problem."""
    check = Checker(source)
    top = check.mapping(
        raw,
        "",
        {"slug", "version", "title", "audience", "ground_rules", "steps"},
        {"teacher_notes", "support_services", "plan", "questions", *(f"start_{f}" for f in PICTURE_FIELDS)},
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
    start = _parse_picture(check, top, "the start page", prefix="start_")
    package.update({f"start_{name}": value for name, value in start.items()})
    package["support_services"] = _parse_services(check, top)
    package["steps"] = _parse_steps(check, top, package["support_services"])
    package["plan"] = _parse_plan(check, top)
    package["questions"] = _parse_questions(check, top)
    return package


def _parse_services(check: Checker, top: dict) -> list[dict]:
    services, keys = [], set()
    for number, raw in enumerate(check.items(top, "support_services", ""), start=1):
        where = f"support service {number}"
        item = check.mapping(
            raw, where, {"key", "name", "description"}, {"audience", "phone", "url", "hours"}
        )
        service = {
            "key": check.slug(item, "key", where),
            "name": check.text(item, "name", where, max_length=120),
            "description": check.text(item, "description", where),
            "phone": check.text(item, "phone", where, required=False, max_length=40),
            "url": check.text(item, "url", where, required=False, max_length=200),
            "hours": check.text(item, "hours", where, required=False, max_length=120),
        }
        if "audience" in item:  # only given, and only kept, for adults: a young people's service says nothing
            audience = check.choice(item, "audience", where, AUDIENCES)
            if audience != SupportService.Audience.YOUNG_PEOPLE:
                service["audience"] = audience
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


def _parse_steps(check: Checker, top: dict, services: list[dict]) -> list[dict]:
    steps = []
    common = {"key", "kind", "title"}
    optional = {
        "short_title",
        "body",
        "image",
        "image_alt",
        *PICTURE_FIELDS,
        "detour",
        "next",
        "teacher_notes",
    }
    raw_steps = check.items(top, "steps", "", minimum=1)
    for number, raw in enumerate(raw_steps, start=1):
        where = _step_where(number, raw)
        if not isinstance(raw, dict):
            check.fail(where, "expected a set of 'name: value' fields")
        kind = STEP_KINDS[check.choice(raw, "kind", where, set(STEP_KINDS))]
        own = {"question"} if kind.question or kind.may_ask else set()
        own |= {"share", "words"} if kind.may_share else set()
        own |= {kind.children.file_list} if kind.children else set()
        item = check.mapping(raw, where, common, optional | own)
        step = {
            "key": check.slug(item, "key", where),
            "kind": kind.value,
            "title": check.text(item, "title", where, max_length=200),
            "body": check.text(item, "body", where, required=False),
            "question": "",
            # Always empty: kept so that a package without pictures has the digest it had before pictures
            # replaced static images (results bundles name a version by its digest).
            "image": "",
            "image_alt": "",
            "detour": check.flag(item, "detour", where),
            "next_key": check.slug(item, "next", where, required=False),
            "teacher_notes": check.text(item, "teacher_notes", where, required=False),
            **{children.file_list: [] for children in CHILDREN},
        }
        # Only a step with a short title gets the key, so the digest of a package without them is unchanged.
        if short_title := check.text(item, "short_title", where, required=False, max_length=SHORT_TITLE):
            step["short_title"] = short_title
        if "image" in item:
            check.fail(where, LEGACY_IMAGE)
        step.update(_parse_picture(check, item, where))
        _parse_kind(check, kind, item, step, where, services)
        steps.append(step)
    _check_links(check, steps)
    return steps


def _parse_kind(check: Checker, kind: StepKind, item: dict, step: dict, where: str, services: list) -> None:
    """What the step's kind adds to it, and what the kind needs (lessons/step_kinds.py)."""
    if children := kind.children:
        listed = check.items(item, children.file_list, where, minimum=children.minimum)
        step[children.file_list] = [
            children.read(check, raw, f"{where}, {children.file_item} {number}")
            for number, raw in enumerate(listed, start=1)
        ]
        if kind.needs_body_or_children and not step[children.file_list] and not step["body"]:
            check.fail(where, f"a {kind.value} step needs a 'body' or '{children.file_list}'")
    if kind.question or kind.may_ask:
        step["question"] = check.text(item, "question", where, required=kind.question)
    if kind.may_share:
        _parse_share(check, item, step, where)
    if kind.shows_services and not services:
        check.fail(where, f"a {kind.value} step needs the package's 'support_services' list")


def _parse_share(check: Checker, item: dict, step: dict, where: str) -> None:
    """What students may share in a live lesson. Only a step that shares gets the keys, so the data (and the
    digest) of a package that shares nothing is what it was before sharing existed."""
    if "share" not in item:
        if "words" in item:
            check.fail(where, "'words' is only for a step with 'share: words'")
        return
    share = check.choice(item, "share", where, SHARES)
    words = check.strings(item, "words", where, max_length=WORD_MAX_LENGTH)
    if share == "text" and words:
        check.fail(where, "'words' is only for a step with 'share: words'")
    if share == "words" and len(words) < WORDS_MIN:
        check.fail(where, f"'share: words' needs a 'words' list of {WORDS_MIN} to {LIMITS['words']} words")
    folded = [word.casefold() for word in words]
    if len(set(folded)) < len(folded):
        check.fail(where, "'words' lists the same word twice")
    step["share"] = share
    if words:
        step["words"] = words


def _check_links(check: Checker, steps: list[dict]) -> None:
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


def _parse_plan(check: Checker, top: dict) -> dict:
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


def _parse_questions(check: Checker, top: dict) -> list[dict]:
    questions, keys = [], set()
    for number, raw in enumerate(check.items(top, "questions", ""), start=1):
        where = f"question {number}"
        item = check.mapping(
            raw,
            where,
            {"key", "kind", "text", "asked"},
            {"low_label", "high_label", "choices", "needs_plan", "answer"},
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
        if check.flag(item, "needs_plan", where):
            if "checkin" in asked:
                check.fail(
                    where, "a question that 'needs_plan' can only be asked in feedback, after the plan"
                )
            question["needs_plan"] = True  # only when true, so that other packages' digests stay the same
        _parse_answer(check, item, question, where)
        question["in_checkin"] = "checkin" in asked
        question["in_feedback"] = "feedback" in asked
        keys.add(question["key"])
        questions.append(question)
    return questions


def _parse_answer(check: Checker, item: dict, question: dict, where: str) -> None:
    """A knowledge question's statement is true or false ('answer'); students answer True, False or Not sure.
    Only a knowledge question gets the key, so the digest of a package without them is unchanged."""
    if question["kind"] != "knowledge":
        if "answer" in item:
            check.fail(where, "'answer' is only for a question of kind knowledge")
        return
    if "answer" not in item:
        check.fail(
            where, "a knowledge question needs 'answer: true' or 'answer: false' (is its statement true?)"
        )
    if not isinstance(item["answer"], bool):
        check.fail(
            where, f"'answer' must be true or false (is the statement true?), not {shown(item['answer'])}"
        )
    if question["choices"]:
        check.fail(where, "a knowledge question takes no 'choices': students answer True, False or Not sure")
    question["answer"] = item["answer"]


def _parse_picture(check: Checker, item: dict, where: str, *, prefix: str = "") -> dict:
    """A picture's file name, alt text and decorative flag, in the data only when there is a picture (so
    that the digest of a package without pictures stays what it was)."""
    name = check.text(item, f"{prefix}picture", where, required=False, max_length=300)
    alt = check.text(item, f"{prefix}picture_alt", where, required=False, max_length=300)
    decorative = check.flag(item, f"{prefix}picture_decorative", where)
    if not name:
        if alt or decorative:
            check.fail(
                where, f"'{prefix}picture_alt' and '{prefix}picture_decorative' need a '{prefix}picture'"
            )
        return {}
    if not PICTURE_NAME.match(name) or ".." in name.split("/"):
        check.fail(
            where,
            f"'{prefix}picture' must be a .webp, .png or .jpg file named by a relative path such as "
            f"pictures/jordan.webp, not {shown(name)}",
        )
    if not alt and not decorative:
        check.fail(
            where,
            f"a picture needs '{prefix}picture_alt' text for students who cannot see it, or "
            f"'{prefix}picture_decorative: true'",
        )
    data = {"picture": name, "picture_alt": alt}
    if decorative:
        data["picture_decorative"] = True
    return data
