"""The results bundle file: its layout, its signature, and the checks a bundle must pass before anything is kept.

A bundle is one JSON object:

    {"format": "personal-plan-results-bundle", "format_version": 3, "contents": {...},
     "public_key": "<hex>", "checksum": "<hex>", "signature": "<hex>"}

The signed message is the canonical serialisation of `format`, `format_version`, `contents` and `public_key`:
JSON with sorted keys, no spaces, UTF-8, numbers as Python writes them. Spacing and key order in the file do
not matter, so a bundle opened and saved by an editor still verifies; a changed figure does not. `signature`
is the Ed25519 signature of that message by the exporting server's key (feedback.bundles.keys), whose public
half is `public_key`; `checksum` is the message's SHA-256, which names the bundle (the same bundle imported
twice is kept once).

What the signature proves: that the bundle was not changed since a server holding that private key signed it,
and so that it came from the same server as earlier bundles with the same key. Not who that server belongs to
(the school name is as typed), and not that its figures are honest: the pilot lead's server also checks that
every count adds up and is within LIMITS, and computes combined figures from counts, never expanding them.

`contents` holds aggregated, suppressed figures only: per package version (slug, version, digest) the
number of class sessions, the months they ran in, and for each stage its response count with per-question
counts, or nothing when the stage had too few responses to show. Comments appear only if the school chose to
include them, and only from a feedback stage big enough to show. Nothing per student or per response, no
teacher, no session label, no date finer than the month.

Each package version also lists `sessions`: the random reference (a UUID made when the session was created,
shown nowhere else) of every class session behind its figures. A pilot lead's server uses them to recognise
a school's later bundle, which holds the same sessions and more, and to count it instead of the earlier one.
A knowledge question's item (format version 4) counts its answers True, False and Not sure as options, and
carries the statement's right answer (`answer`: "True" or "False") so that the share answering correctly can be
worked out from the counts.

Each package version also carries (format version 5) `plans`: plans made and plans downloaded, each as
{"count": n, "joined": m}, the students who joined the school's class sessions behind it and how many of them
made (downloaded) a plan, from the sessions whose own count is shown (none, or at least the minimum), as on the
school's results pages; null when withheld (fewer than the minimum joined, or a count under it).

Format version 1 had no references and version 2 no signature; this server reads versions 3 to 5 (version 3,
from servers before knowledge questions, and version 4, from servers before plan counts, are read as they
always were), and writes version 5.
"""

import hashlib
import json
import math
import re
import unicodedata
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from feedback import stats
from feedback.bundles import keys as bundle_keys

FORMAT = "personal-plan-results-bundle"
FORMAT_VERSION = 5
READABLE_VERSIONS = (3, 4, 5)  # 3: before knowledge questions; 4: before plan counts
PLAN_MEASURES = ("made", "downloaded")
MAX_BYTES = 2_000_000
STAGES = ("checkin", "feedback")
SCALE = "scale"
KNOWLEDGE = "knowledge"
OPTION_KINDS = ("choice", "useful_steps", "year_group", KNOWLEDGE)
SINGLE_ANSWER_KINDS = (
    "choice",
    "year_group",
    KNOWLEDGE,
)  # one answer per response: counts add up to `answered`
KNOWLEDGE_ANSWERS = (
    "True",
    "False",
    "Not sure",
)  # lessons.models.KNOWLEDGE_ANSWERS, as a bundle must spell them
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")
DIGEST = re.compile(r"^[0-9a-f]{64}$")
PUBLIC_KEY = re.compile(r"^[0-9a-f]{64}$")
SIGNATURE = re.compile(r"^[0-9a-f]{128}$")
MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
REFERENCE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
FORMS = {
    SLUG: "a key (letters, numbers and hyphens)",
    DIGEST: "a SHA-256 digest (64 hexadecimal characters)",
    MONTH: "a year and month such as 2025-06",
    REFERENCE: "a class session reference (a UUID in lower case)",
}
# Means and medians are written to 4 places; a mean that differs from its distribution by more than this
# was not computed from it.
TOLERANCE = 0.001
# Far above any real pilot (a package has at most 50 questions, each asked at most twice, and a choice at most
# 50 answers: lessons.package_rules.LIMITS), and low enough that no bundle can make this server do much work.
LIMITS = {
    "versions": 100,  # package versions in one bundle
    "items": 100,  # questions in one package version, check-in and feedback together
    "options": 50,  # answers counted for one question
    "comments": 10_000,  # in one bundle
    "sessions": 100_000,  # class sessions behind one package version
}
MAX_RESPONSES = 1_000_000  # responses in one stage of one package version
# Text a person reads on the pilot lead's pages holds no control characters, which could hide or reorder what
# it says (or, as NUL and lone surrogates, not be storable at all); only the school name must be one line.
LINE_BREAKS = frozenset("\n\r\t")
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def is_control(character: str) -> bool:
    return character in BIDI_CONTROLS or unicodedata.category(character) in ("Cc", "Cs")


def without_controls(text: str) -> str:
    """Text as a bundle may carry it: control characters other than line breaks dropped."""
    return "".join(c for c in text if c in LINE_BREAKS or not is_control(c))


class BundleError(ValueError):
    """The file is not a bundle this server can import; the message says why, in plain words."""


def canonical_bytes(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def signed_message(bundle: dict) -> bytes:
    """What the signature covers: everything in the bundle except the checksum and the signature."""
    return canonical_bytes({k: v for k, v in bundle.items() if k not in ("checksum", "signature")})


def seal(contents: dict, key: Ed25519PrivateKey) -> dict:
    """The complete bundle for these contents, signed with `key`."""
    bundle = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "contents": contents,
        "public_key": bundle_keys.public_key_hex(key),
    }
    message = signed_message(bundle)
    return {
        **bundle,
        "checksum": hashlib.sha256(message).hexdigest(),
        "signature": bundle_keys.sign(key, message),
    }


def to_json(bundle: dict) -> bytes:
    """The file as written for download: indented so that a person can read what it holds."""
    return json.dumps(bundle, indent=2, ensure_ascii=False, allow_nan=False).encode("utf-8") + b"\n"


def read_bundle(raw: bytes) -> dict:
    """The bundle in `raw`, checked from its signature down to every count; raises BundleError otherwise."""
    if len(raw) > MAX_BYTES:
        raise BundleError(f"The file is larger than a results bundle can be ({MAX_BYTES // 1_000_000} MB).")
    try:
        bundle = json.loads(raw.decode("utf-8"), parse_constant=_refuse_constant)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError, RecursionError):
        raise BundleError("The file is not a results bundle: it is not valid JSON.") from None
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise BundleError(
            "The file is not a results bundle: export one from the school's results page "
            "(Export an anonymous results bundle)."
        )
    version = bundle.get("format_version", FORMAT_VERSION)  # a missing one is reported with the other fields
    if version not in READABLE_VERSIONS or isinstance(version, bool):
        raise BundleError(
            f"The bundle is in format version {str(version)[:20]}; this server reads versions "
            f"{READABLE_VERSIONS[0]} to {READABLE_VERSIONS[-1]}, which are signed by the school's server. Ask "
            "the school to update Personal Plan and export the bundle again."
        )
    _object(
        bundle, "the bundle", {"format", "format_version", "contents", "public_key", "checksum", "signature"}
    )
    if not isinstance(bundle["public_key"], str) or not PUBLIC_KEY.match(bundle["public_key"]):
        raise BundleError("The bundle is not signed: its public key is missing or is not an Ed25519 key.")
    if not isinstance(bundle["signature"], str) or not SIGNATURE.match(bundle["signature"]):
        raise BundleError(
            "The bundle is not signed: its signature is missing or is not an Ed25519 signature."
        )
    message = signed_message(bundle)
    if not bundle_keys.verify(bundle["public_key"], bundle["signature"], message):
        raise BundleError(
            "The signature does not match the contents: the file was changed after the school's server "
            "signed it, or is damaged. Ask the school to export it again."
        )
    if bundle["checksum"] != hashlib.sha256(message).hexdigest():
        raise BundleError(
            "The checksum does not match the contents: the file is damaged. Ask the school to export it again."
        )
    _contents(bundle["contents"], version)
    return bundle


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number")


# Each check raises BundleError naming where in the file the problem is, such as
# "package_versions[0].stages.feedback.items[2].distribution".


def _fail(path: str, message: str):
    raise BundleError(f"The bundle is malformed at {path}: {message}.")


def _object(value, path: str, required: set[str], optional: frozenset[str] = frozenset()) -> dict:
    if not isinstance(value, dict):
        _fail(path, "expected an object")
    missing = sorted(required - value.keys())
    if missing:
        _fail(path, f"missing {', '.join(missing)}")
    unknown = sorted(value.keys() - required - optional)
    if unknown:
        _fail(path, f"unexpected {', '.join(unknown)}")
    return value


def _whole(value, path: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        _fail(path, "expected a whole number")
    if not low <= value <= high:
        _fail(path, f"{value} is out of range ({low} to {high})")
    return value


def _number(value, path: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        _fail(path, "expected a number")
    if not low <= value <= high:
        _fail(path, f"{value} is out of range ({low} to {high})")
    return float(value)


def _text(
    value, path: str, max_length: int, pattern: re.Pattern | None = None, *, line_breaks: bool = True
) -> str:
    if not isinstance(value, str):
        _fail(path, "expected text")
    if pattern is not None and not pattern.match(value):
        _fail(path, f"{value[:80]!r} is not {FORMS[pattern]}")
    if len(value) > max_length:
        _fail(path, f"longer than {max_length} characters")
    for character in value:
        if is_control(character) and not (line_breaks and character in LINE_BREAKS):
            _fail(path, f"a control character (U+{ord(character):04X}) in the text")
    return value


def _list(value, path: str, max_items: int) -> list:
    if not isinstance(value, list):
        _fail(path, "expected a list")
    if len(value) > max_items:
        _fail(path, f"more than {max_items} entries")
    return value


def _month(value, path: str) -> str:
    return _text(value, path, 7, MONTH)


def _contents(contents, format_version: int = FORMAT_VERSION) -> None:
    path = "contents"
    _object(
        contents, path, {"school", "exported_month", "minimum_group", "comments_included", "package_versions"}
    )
    _text(contents["school"], f"{path}.school", 120, line_breaks=False)
    _month(contents["exported_month"], f"{path}.exported_month")
    minimum = _whole(contents["minimum_group"], f"{path}.minimum_group", 1, 1000)
    if not isinstance(contents["comments_included"], bool):
        _fail(f"{path}.comments_included", "expected true or false")
    versions = _list(contents["package_versions"], f"{path}.package_versions", LIMITS["versions"])
    if not versions:
        raise BundleError("The bundle holds no package versions, so there is nothing to import.")
    seen = set()
    for index, version in enumerate(versions):
        where = f"{path}.package_versions[{index}]"
        _version(version, where, minimum, contents["comments_included"], format_version)
        key = (version["slug"], version["version"])
        if key in seen:
            _fail(where, f"{version['slug']} version {version['version']} appears twice")
        seen.add(key)


def _version(version, path: str, minimum: int, comments_included: bool, format_version: int) -> None:
    _object(
        version,
        path,
        {
            "slug",
            "version",
            "digest",
            "title",
            "class_sessions",
            "sessions",
            "from_month",
            "to_month",
            "stages",
            "confidence_changes",
            "comments",
            *(("plans",) if format_version >= 5 else ()),
        },
    )
    _text(version["slug"], f"{path}.slug", 60, SLUG)
    _whole(version["version"], f"{path}.version", 1, 1_000_000)
    _text(version["digest"], f"{path}.digest", 64, DIGEST)
    _text(version["title"], f"{path}.title", 200)
    count = _whole(version["class_sessions"], f"{path}.class_sessions", 0, LIMITS["sessions"])
    references = _list(version["sessions"], f"{path}.sessions", LIMITS["sessions"])
    for index, reference in enumerate(references):
        _text(reference, f"{path}.sessions[{index}]", 36, REFERENCE)
    if len(set(references)) != len(references):
        _fail(f"{path}.sessions", "a class session is listed twice")
    if len(references) != count:
        _fail(f"{path}.sessions", f"{len(references)} references for {count} class sessions")
    first, last = (_month(version[key], f"{path}.{key}") for key in ("from_month", "to_month"))
    if first > last:
        _fail(f"{path}.from_month", "later than to_month")
    stages = _object(version["stages"], f"{path}.stages", set(STAGES))
    for stage in STAGES:
        _stage(stages[stage], f"{path}.stages.{stage}", minimum, format_version)
    if sum(len(stages[stage]["items"]) for stage in STAGES) > LIMITS["items"]:
        _fail(f"{path}.stages", f"more than {LIMITS['items']} questions in check-in and feedback together")
    _changes(version["confidence_changes"], f"{path}.confidence_changes", stages)
    _comments(version["comments"], f"{path}.comments", stages["feedback"], comments_included)
    if format_version >= 5:
        _plans(version["plans"], f"{path}.plans", minimum)


def _plans(plans, path: str, minimum: int) -> None:
    """Each measure null (withheld) or a count of students out of those who joined, both within the rules the
    school's own pages follow: at least the minimum joined, and a count of none or at least the minimum."""
    _object(plans, path, set(PLAN_MEASURES))
    for measure in PLAN_MEASURES:
        figures, where = plans[measure], f"{path}.{measure}"
        if figures is None:
            continue
        _object(figures, where, {"count", "joined"})
        joined = _whole(figures["joined"], f"{where}.joined", minimum, MAX_RESPONSES)
        count = _whole(figures["count"], f"{where}.count", 0, joined)
        if 0 < count < minimum:
            _fail(f"{where}.count", f"{count} is under the bundle's own minimum of {minimum}")


def _stage(stage, path: str, minimum: int, format_version: int) -> None:
    _object(stage, path, {"responses", "shown", "items"})
    if not isinstance(stage["shown"], bool):
        _fail(f"{path}.shown", "expected true or false")
    responses = _whole(stage["responses"], f"{path}.responses", 0, MAX_RESPONSES)
    items = _list(stage["items"], f"{path}.items", LIMITS["items"])
    if not stage["shown"]:
        if responses or items:
            _fail(path, "figures for a group too small to show")
        return
    if responses < minimum:
        _fail(f"{path}.responses", f"{responses} is under the bundle's own minimum of {minimum}")
    keys = set()
    for index, item in enumerate(items):
        _item(item, f"{path}.items[{index}]", responses, format_version)
        if item["question"] in keys:
            _fail(f"{path}.items[{index}].question", f"{item['question']} appears twice")
        keys.add(item["question"])


def _item(item, path: str, responses: int, format_version: int = FORMAT_VERSION) -> None:
    common = {"question", "text", "kind", "answered"}
    kinds = OPTION_KINDS if format_version >= 4 else tuple(k for k in OPTION_KINDS if k != KNOWLEDGE)
    if not isinstance(item, dict):
        _fail(path, "expected an object")
    if item.get("kind") == SCALE:
        _object(item, path, common | {"low_label", "high_label", "distribution", "mean", "median"})
    elif item.get("kind") == KNOWLEDGE and KNOWLEDGE in kinds:
        _object(item, path, common | {"options", "answer"})
        if item["answer"] not in KNOWLEDGE_ANSWERS[:2]:
            _fail(f"{path}.answer", "expected True or False (the statement's right answer)")
    elif item.get("kind") in kinds:
        _object(item, path, common | {"options"})
    else:
        _fail(f"{path}.kind", f"expected one of {', '.join((SCALE, *kinds))}")
    _text(item["question"], f"{path}.question", 60, SLUG)
    _text(item["text"], f"{path}.text", 300)
    answered = _whole(item["answered"], f"{path}.answered", 0, responses)
    if item["kind"] == SCALE:
        _scale(item, path, answered)
        return
    options = _list(item["options"], f"{path}.options", LIMITS["options"])
    labels = set()
    for index, option in enumerate(options):
        where = f"{path}.options[{index}]"
        _object(option, where, {"label", "count"})
        label = _text(option["label"], f"{where}.label", 300)
        if label in labels:
            _fail(f"{where}.label", "the same answer is counted twice")
        if item["kind"] == KNOWLEDGE and label not in KNOWLEDGE_ANSWERS:
            _fail(f"{where}.label", f"expected one of {', '.join(KNOWLEDGE_ANSWERS)}")
        labels.add(label)
        _whole(option["count"], f"{where}.count", 0, answered)
    total = sum(option["count"] for option in options)
    if item["kind"] in SINGLE_ANSWER_KINDS and total != answered:
        _fail(f"{path}.options", f"the counts add up to {total}, not to answered ({answered})")


def _scale(item: dict, path: str, answered: int) -> None:
    for label in ("low_label", "high_label"):
        _text(item[label], f"{path}.{label}", 60)
    distribution = _list(item["distribution"], f"{path}.distribution", 5)
    if len(distribution) != 5:
        _fail(f"{path}.distribution", "expected five counts, for the answers 1 to 5")
    counts = [_whole(count, f"{path}.distribution[{n}]", 0, answered) for n, count in enumerate(distribution)]
    if sum(counts) != answered:
        _fail(f"{path}.distribution", f"the counts add up to {sum(counts)}, not to answered ({answered})")
    _summary_matches(item, path, counts)


def _summary_matches(summary: dict, path: str, counts: list[int]) -> None:
    """A mean and median must be those of the distribution they came with (None when nobody answered).
    Worked out from the counts: a bundle's counts may be in the millions."""
    for name in ("mean", "median"):
        value = summary[name]
        if not sum(counts):
            if value is not None:
                _fail(f"{path}.{name}", "expected null, as nobody answered")
            continue
        number = _number(value, f"{path}.{name}", 1, 5)
        expected = stats.mean_of(counts) if name == "mean" else stats.median_of(counts)
        if abs(number - expected) > TOLERANCE:
            _fail(f"{path}.{name}", f"{value} does not match the distribution ({expected:.4f})")


def _changes(changes, path: str, stages: dict) -> None:
    """Each change repeats one question's check-in and feedback figures; both stages must be shown."""
    changes = _list(changes, path, LIMITS["items"])
    if changes and not (stages["checkin"]["shown"] and stages["feedback"]["shown"]):
        _fail(path, "a change for a group too small to show")
    scales = {
        stage: {item["question"]: item for item in stages[stage]["items"] if item["kind"] == SCALE}
        for stage in STAGES
    }
    for index, change in enumerate(changes):
        where = f"{path}[{index}]"
        _object(change, where, {"question", "text", "before", "after", "mean_change", "median_change"})
        key = _text(change["question"], f"{where}.question", 60, SLUG)
        _text(change["text"], f"{where}.text", 300)
        if key not in scales["checkin"] or key not in scales["feedback"]:
            _fail(f"{where}.question", f"{key} is not a 1 to 5 question in both check-in and feedback")
        for side, stage in (("before", "checkin"), ("after", "feedback")):
            item = scales[stage][key]
            _object(change[side], f"{where}.{side}", {"count", "mean", "median"})
            if _whole(change[side]["count"], f"{where}.{side}.count", 0, MAX_RESPONSES) != item["answered"]:
                _fail(f"{where}.{side}.count", f"does not match the {stage} answers to {key}")
            _summary_matches(change[side], f"{where}.{side}", item["distribution"])
        for name, measure in (("mean_change", "mean"), ("median_change", "median")):
            before, after = change["before"][measure], change["after"][measure]
            if before is None or after is None:
                if change[name] is not None:
                    _fail(f"{where}.{name}", "expected null, as one side has no answers")
            elif abs(_number(change[name], f"{where}.{name}", -4, 4) - (after - before)) > 2 * TOLERANCE:
                _fail(f"{where}.{name}", f"does not match the {measure}s it compares")


def _comments(blocks, path: str, feedback: dict, comments_included: bool) -> None:
    blocks = _list(blocks, path, LIMITS["items"])
    if not blocks:
        return
    if not comments_included:
        _fail(path, "comments in a bundle that says it includes none")
    if not feedback["shown"]:
        _fail(path, "comments from a group too small to show")
    total = 0
    for index, block in enumerate(blocks):
        where = f"{path}[{index}]"
        _object(block, where, {"question", "text", "comments"})
        _text(block["question"], f"{where}.question", 60, SLUG)
        _text(block["text"], f"{where}.text", 300)
        comments = _list(block["comments"], f"{where}.comments", feedback["responses"])
        for number, comment in enumerate(comments):
            _text(comment, f"{where}.comments[{number}]", 1000)
        total += len(comments)
    if total > LIMITS["comments"]:
        _fail(path, f"more than {LIMITS['comments']} comments")
