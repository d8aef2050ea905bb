"""What changed between two versions of a package, step by step and word by word, from their file data."""

import difflib
from dataclasses import dataclass

from lessons.models import Package
from lessons.package_export import package_to_file_data

# The file's names for a step's parts, in the words a pilot lead reads; parts not named here keep their own.
STEP_PARTS = {
    "kind": "Kind of step",
    "title": "Title",
    "body": "Text",
    "question": "Question",
    "picture": "Picture",
    "picture_alt": "Picture's alt text",
    "picture_decorative": "Picture is decorative",
    "detour": "Off the main path",
    "next": "Goes next to",
    "teacher_notes": "Teacher notes",
    "messages": "Chat messages",
    "options": "Choices",
    "facts": "Facts",
}
OTHER_PARTS = {
    "title": "Package title",
    "audience": "Who it is for",
    "ground_rules": "Ground rules",
    "teacher_notes": "Teacher notes for the package",
    "start_picture": "Start page's picture",
    "start_picture_alt": "Start page picture's alt text",
    "start_picture_decorative": "Start page's picture is decorative",
    "support_services": "Where to get help",
    "plan": "The plan",
    "questions": "Check-in and feedback questions",
}


@dataclass(frozen=True)
class Words:
    change: str  # "same", "added" or "removed"
    text: str


@dataclass(frozen=True)
class PartChange:
    name: str
    words: list[Words]


@dataclass(frozen=True)
class StepChange:
    key: str
    title: str
    status: str  # "added", "removed" or "changed" (its words, its place, or both)
    numbers: tuple[int | None, int | None]  # its place in the older and the newer version, from 1
    moved: bool
    parts: list[PartChange]


@dataclass(frozen=True)
class PackageChanges:
    steps: list[StepChange]
    other: list[PartChange]

    @property
    def any(self) -> bool:
        return bool(self.steps or self.other)


def _text(value) -> str:
    """A part of the file as plain words: lists one item a line, mappings as "name: value"."""
    if isinstance(value, dict):
        return "\n".join(f"{name}: {_text(item)}" for name, item in value.items())
    if isinstance(value, list):
        return "\n".join(_text(item) for item in value)
    if value is True:
        return "yes"
    return str(value)


def word_changes(old: str, new: str) -> list[Words]:
    """The words of `new`, with those taken out of `old` and put in marked (difflib on words)."""
    before, after = old.split(), new.split()
    words = []
    for operation, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, before, after, autojunk=False
    ).get_opcodes():
        if operation == "equal":
            words.append(Words("same", " ".join(before[i1:i2])))
            continue
        if i2 > i1:
            words.append(Words("removed", " ".join(before[i1:i2])))
        if j2 > j1:
            words.append(Words("added", " ".join(after[j1:j2])))
    return words


def _parts(old: dict, new: dict, names: dict[str, str]) -> list[PartChange]:
    keys = [key for key in names if key in old or key in new]
    keys += [key for key in (*old, *new) if key not in names and key not in keys]
    changes = []
    for key in keys:
        before, after = _text(old.get(key, "")), _text(new.get(key, ""))
        if before != after:
            changes.append(
                PartChange(names.get(key, key.replace("_", " ").capitalize()), word_changes(before, after))
            )
    return changes


def package_changes(old: Package, new: Package) -> PackageChanges:
    """Steps added, removed, moved or reworded from `old` to `new` (matched by key), and the rest of the
    package's content that differs."""
    before, after = package_to_file_data(old), package_to_file_data(new)
    old_steps = {step["key"]: step for step in before.get("steps", [])}
    new_steps = {step["key"]: step for step in after.get("steps", [])}
    old_keys, new_keys = list(old_steps), list(new_steps)
    # Steps kept in the same order are those in the longest run of keys common to both; any other kept step moved.
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    in_order = {
        key for block in matcher.get_matching_blocks() for key in old_keys[block.a : block.a + block.size]
    }
    steps = []
    for key in new_keys + [key for key in old_keys if key not in new_steps]:
        old_step, new_step = old_steps.get(key, {}), new_steps.get(key, {})
        numbers = (
            old_keys.index(key) + 1 if key in old_steps else None,
            new_keys.index(key) + 1 if key in new_steps else None,
        )
        moved = bool(old_step and new_step) and key not in in_order
        parts = _parts(old_step, new_step, STEP_PARTS)
        if old_step and new_step and not parts and not moved:
            continue
        status = "added" if not old_step else "removed" if not new_step else "changed"
        title = (new_step or old_step).get("title", key)
        steps.append(StepChange(key, title, status, numbers, moved, parts))
    top = ("slug", "version", "steps")
    other = _parts(
        {k: v for k, v in before.items() if k not in top},
        {k: v for k, v in after.items() if k not in top},
        OTHER_PARTS,
    )
    return PackageChanges(steps=steps, other=other)
