"""Package files with pictures: a zip holding package.yaml and the pictures it names (packages/README.md).

A zip may come from anywhere, so it is read as hostile: every member is named by a plain relative path (no
absolute names, no `..`, no backslashes), there are few members, and each member and the whole are bounded
by their declared size and again by the bytes actually read (a zip bomb can lie about both).
"""

import io
import zipfile

from lessons.package_rules import MAX_FILE_BYTES as YAML_MAX_BYTES
from lessons.package_rules import PICTURE_NAME, PackageFileError
from lessons.pictures import MAX_UPLOAD_BYTES as PICTURE_MAX_BYTES

YAML_NAME = "package.yaml"
MAX_MEMBERS = 60  # package.yaml, a start picture and one picture for each of at most 50 steps, with room
MAX_TOTAL_BYTES = 40 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"


def is_zip(raw: bytes) -> bool:
    return raw.startswith(ZIP_MAGIC)


def read_package_zip(raw: bytes, path: str) -> tuple[bytes, dict[str, bytes]]:
    """package.yaml's bytes and every picture's bytes by name, or PackageFileError saying what is wrong."""

    def fail(problem: str):
        raise PackageFileError(f"{path}: {problem}")

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError):
        fail("not a zip file that can be read (is it damaged, or cut short?)")
    if len(members) > MAX_MEMBERS:
        fail(f"holds more than {MAX_MEMBERS} files, so it is not a package file")
    names, declared = set(), 0
    for member in members:
        name = member.filename
        if not _safe_name(name):
            fail(
                f"holds a file named {name[:80]!r}; only plain relative names (no '..', '/' first or '\\') are allowed"
            )
        if member.is_dir():
            continue
        if name in names:
            fail(f"holds {name!r} twice")
        names.add(name)
        if member.flag_bits & 0x1:
            fail(f"{name!r} is encrypted")
        if name != YAML_NAME and not PICTURE_NAME.match(name):
            fail(f"holds {name!r}, which is neither {YAML_NAME} nor a .webp, .png or .jpg picture")
        limit = _limit(name)
        if member.file_size > limit:
            fail(f"{name!r} is larger than {limit // 1024 // 1024} MB")
        declared += member.file_size
    if declared > MAX_TOTAL_BYTES:
        fail(f"its files add up to more than {MAX_TOTAL_BYTES // 1024 // 1024} MB")
    if YAML_NAME not in names:
        fail(f"has no {YAML_NAME} (a package zip holds package.yaml and its pictures)")
    contents, total = {}, 0
    for member in members:
        if member.is_dir():
            continue
        limit = _limit(member.filename)
        try:
            with archive.open(member) as handle:
                data = handle.read(limit + 1)  # never more, whatever the zip declares
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            fail(f"{member.filename!r} cannot be read from the zip (is it damaged?)")
        if len(data) > limit or len(data) != member.file_size:
            fail(f"{member.filename!r} is not the size the zip says it is")
        total += len(data)
        if total > MAX_TOTAL_BYTES:
            fail(f"its files add up to more than {MAX_TOTAL_BYTES // 1024 // 1024} MB")
        contents[member.filename] = data
    yaml_bytes = contents.pop(YAML_NAME)
    return yaml_bytes, contents


def _limit(name: str) -> int:
    return YAML_MAX_BYTES if name == YAML_NAME else PICTURE_MAX_BYTES


def _safe_name(name: str) -> bool:
    if not name or name.startswith("/") or "\\" in name or "\x00" in name or ":" in name:
        return False
    parts = name.rstrip("/").split("/")
    return all(part not in ("", ".", "..") for part in parts)


def write_package_zip(yaml_text: str, pictures: dict[str, bytes]) -> bytes:
    """A package file with pictures: package.yaml first, then each picture under its name."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(YAML_NAME, yaml_text)
        for name, data in sorted(pictures.items()):
            archive.writestr(name, data, compress_type=zipfile.ZIP_STORED)  # WebP is compressed already
    return buffer.getvalue()
