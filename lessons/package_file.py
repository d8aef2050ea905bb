"""Read a lesson package YAML file (the format is in packages/README.md), and load a package's data."""

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from lessons.models import (
    AlreadyHappenedStep,
    ExampleLine,
    Package,
    Picture,
    PressureSign,
    Question,
    Step,
    Strategy,
    SupportService,
)
from lessons.package_rules import MAX_FILE_BYTES, Checker, PackageFileError, shown, validate
from lessons.package_zip import is_zip, read_package_zip
from lessons.pictures import MAX_UPLOAD_BYTES, PictureError
from lessons.step_kinds import CHILDREN

MAX_BYTES = MAX_FILE_BYTES  # a file is bounded before it is parsed (lessons/package_rules.py bounds the rest)
MAX_DEPTH = 20  # nesting of lists and mappings; a package needs 6


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
                    None, None, f"a field name must be text, not {shown(key)}", key_node.start_mark
                )
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the field {shown(key)} appears twice", key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


@dataclass
class LoadResult:
    package: Package
    created: bool


def parse_package(text: str, path: str) -> dict:
    """Parse and validate a package file; returns clean data ready to load or raises PackageFileError."""
    check = Checker(path)
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
    return validate(raw, source=path)


def digest_of(data: dict) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def load_package_file(path: str | Path) -> LoadResult:
    """Load a package file: YAML, whose pictures are files beside it (named relative to it), or a zip of
    package.yaml and its pictures. Loading the same content twice changes nothing; a bad file loads nothing."""
    path = Path(path)
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_ZIP_BYTES + 1)  # never more, however large the file
    except OSError as error:
        raise PackageFileError(f"{path}: cannot be read ({error.strerror or error})") from None
    if is_zip(raw):
        return load_package_upload(raw, str(path))
    return load_package_data(parse_package_bytes(raw, str(path)), str(path), pictures_beside(path))


# The largest zip read: its members are bounded again as they are read (lessons/package_zip.py).
MAX_ZIP_BYTES = 48 * 1024 * 1024


def load_package_upload(raw: bytes, name: str) -> LoadResult:
    """Load an uploaded package file: a zip with its pictures, or plain YAML (whose pictures, if it names any,
    must already be on this server, as in a file exported from it)."""
    if is_zip(raw):
        if len(raw) > MAX_ZIP_BYTES:
            raise PackageFileError(
                f"{name}: larger than {MAX_ZIP_BYTES // 1024 // 1024} MB, so it is not a package file"
            )
        yaml_bytes, pictures = read_package_zip(raw, name)
        return load_package_data(parse_package_bytes(yaml_bytes, name), name, _pictures_in(pictures, name))
    return load_package_data(parse_package_bytes(raw, name), name)


PictureReader = Callable[[str], Picture]
STORED_NAME = re.compile(r"^pictures/([0-9a-f]{64})\.webp$")


def stored_picture(name: str) -> Picture:
    """A picture this server already holds, by its name in an exported file (pictures/<sha256>.webp)."""
    match = STORED_NAME.match(name)
    picture = Picture.objects.filter(sha256=match[1]).only("sha256").first() if match else None
    if picture is None:
        raise PictureError(
            "is not in the file: a package with pictures is a .zip holding package.yaml and its pictures"
        )
    return picture


def _pictures_in(files: dict[str, bytes], source: str) -> PictureReader:
    def read(name: str) -> Picture:
        if name not in files:
            raise PictureError(f"is not in {source}")
        return Picture.from_upload(files[name])

    return read


def pictures_beside(yaml_path: Path) -> PictureReader:
    folder = yaml_path.resolve().parent

    def read(name: str) -> Picture:
        path = (folder / name).resolve()
        if not path.is_relative_to(folder):
            raise PictureError(f"is outside the folder of {yaml_path.name}")
        try:
            with path.open("rb") as handle:
                return Picture.from_upload(handle.read(MAX_UPLOAD_BYTES + 1))
        except OSError as error:
            raise PictureError(f"cannot be read ({error.strerror or error})") from None

    return read


def attach_pictures(data: dict, read: PictureReader, path: str) -> dict:
    """`data` with each picture's file name replaced by the stored picture's SHA-256: read, checked and
    re-encoded (lessons/pictures.py). A picture that cannot be used refuses the whole package."""

    def attach(owner: dict, key: str, where: str) -> None:
        if key not in owner:
            return
        try:
            owner[key] = read(owner[key]).sha256
        except PictureError as error:
            raise PackageFileError(f"{path}: {where}: picture {shown(owner[key])}: {error}") from None

    data = {**data, "steps": [dict(step) for step in data["steps"]]}
    attach(data, "start_picture", "the start page")
    for number, step in enumerate(data["steps"], start=1):
        attach(step, "picture", f'step {number} ("{step["key"]}")')
    return data


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
def load_package_data(data: dict, path: str, pictures: PictureReader = stored_picture) -> LoadResult:
    """Create a published version from parsed data, with its pictures read by `pictures`. A published version
    never changes: a file with other content under a version number already here is refused, so classes and
    feedback keep what they saw. Anything refused leaves nothing behind, pictures included."""
    data = attach_pictures(data, pictures, path)
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
        start_picture_id=data.get("start_picture"),
        start_picture_alt=data.get("start_picture_alt", ""),
        start_picture_decorative=data.get("start_picture_decorative", False),
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
    left_out = {children.file_list for children in CHILDREN} | {"words", "picture", "image", "image_alt"}
    created = Step.objects.bulk_create(
        Step(
            package=package,
            position=n,
            **{k: v for k, v in step.items() if k not in left_out},
            words="\n".join(step.get("words", [])),
            picture_id=step.get("picture"),
        )
        for n, step in enumerate(steps, start=1)
    )
    for children in CHILDREN:
        children.model.objects.bulk_create(
            children.model(step=step, position=n, **item)
            for step, data in zip(created, steps, strict=True)
            for n, item in enumerate(data[children.file_list])
        )


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
