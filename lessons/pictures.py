"""Pictures for steps and start pages: check an upload, decode it with Pillow and re-encode it as clean WebP.

Nothing a pilot lead (or a package file) sends is ever served as it came: it is decoded as PNG, JPEG or WebP
(by its content, never its name), turned the right way up from its EXIF orientation, stripped of everything
but its pixels (EXIF, GPS, ICC profiles, text chunks), scaled to at most MAX_WIDTH pixels wide and saved as
WebP, with a PHONE_WIDTH copy for phones. The SHA-256 of the full WebP names it, so a picture never changes.
"""

import hashlib
import io
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass

from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_WIDTH = 1600
PHONE_WIDTH = 800
# Far above any camera a school uses (50 megapixels), far below what would exhaust a server's memory when
# decoded (about 200 MB as RGBA). Pillow's own bomb check stops larger files before they are decoded.
MAX_PIXELS = 50_000_000
FORMATS = ("PNG", "JPEG", "WEBP")
# Flat artwork stays sharp and small as lossless WebP; a photograph would not (and takes seconds to try), so
# lossless is tried only when the lossy file is this small, and kept only when it stays under the second size.
LOSSLESS_TRY_BYTES = 64 * 1024
LOSSLESS_MAX_BYTES = 160 * 1024
LOSSY_QUALITY = 80


class PictureError(ValueError):
    """A file that cannot be a picture; the message says why, in words a pilot lead understands."""


@dataclass(frozen=True)
class Prepared:
    """A picture ready to store: its name (the SHA-256 of `webp`), the full WebP and the phone copy."""

    sha256: str
    width: int
    height: int
    webp: bytes
    small_width: int
    small_height: int
    small_webp: bytes


def prepare_picture(data: bytes) -> Prepared:
    """Check and re-encode an uploaded picture, or raise PictureError saying what is wrong with it."""
    key = hashlib.sha256(data).hexdigest()
    with _prepared_lock:
        if key in _prepared:
            return _prepared[key]
    prepared = _prepare(data)
    with _prepared_lock:
        _prepared[key] = prepared
        while len(_prepared) > PREPARED_KEPT:
            _prepared.popitem(last=False)
    return prepared


# The same file re-encodes to the same picture, so a process keeps the last few it made: loading a package
# file again (the bundled one, at every start of a test run) does not decode its pictures again.
PREPARED_KEPT = 32
_prepared: OrderedDict[str, Prepared] = OrderedDict()
_prepared_lock = threading.Lock()


def _prepare(data: bytes) -> Prepared:
    if len(data) > MAX_UPLOAD_BYTES:
        raise PictureError(
            f"The picture is {len(data) / 1024 / 1024:.1f} MB; the most is {MAX_UPLOAD_BYTES // 1024 // 1024} "
            "MB. Save it smaller (about 1600 pixels wide is plenty) and try again."
        )
    if not data:
        raise PictureError("The file is empty.")
    if _looks_like_svg(data):
        raise PictureError(
            "SVG drawings cannot be used as pictures (they can carry scripts and links). "
            "Save it as PNG or WebP and upload that."
        )
    image = _decode(data)
    full = _fit(image, MAX_WIDTH)
    small = _fit(full, PHONE_WIDTH)
    webp = _encode(full)
    return Prepared(
        sha256=hashlib.sha256(webp).hexdigest(),
        width=full.width,
        height=full.height,
        webp=webp,
        small_width=small.width,
        small_height=small.height,
        small_webp=_encode(small, may_be_lossless=False),
    )


def _looks_like_svg(data: bytes) -> bool:
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(b"<") and (b"<svg" in head or b"<?xml" in head or b"<!doctype svg" in head)


def _decode(data: bytes) -> Image.Image:
    """The picture's pixels, the right way up, in RGB or RGBA, with nothing else kept."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PictureError(_too_many_pixels(width, height))
            # WeasyPrint (the plan PDF) sets Pillow's process-wide LOAD_TRUNCATED_IMAGES, so load() would
            # fill a cut-short file with grey; verify() reads a PNG's every chunk and refuses it instead.
            image.verify()
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            image.load()
            image = ImageOps.exif_transpose(image)
            image = _in_srgb(image)
    except PictureError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PictureError(_too_many_pixels(0, 0)) from None
    except UnidentifiedImageError:
        raise PictureError(
            "This file is not a PNG, JPEG or WebP picture (whatever its name says). "
            "Open it in a picture editor and save it as PNG, JPEG or WebP."
        ) from None
    except (OSError, SyntaxError, ValueError, EOFError):
        raise PictureError(
            "This picture is damaged or cut short, so it cannot be read. Save it again and upload the new file."
        ) from None
    mode = "RGBA" if _has_transparency(image) else "RGB"
    pixels = image.convert(mode)
    # A new image from the pixels alone: no EXIF, GPS, XMP, ICC profile or text chunk can come along.
    return Image.frombytes(mode, pixels.size, pixels.tobytes())


def _too_many_pixels(width: int, height: int) -> str:
    size = f" ({width} × {height} pixels)" if width and height else ""
    return (
        f"This picture is far too large{size} to be used safely: the most is {MAX_PIXELS // 1_000_000} "
        "million pixels. Save it at about 1600 pixels wide and try again."
    )


def _in_srgb(image: Image.Image) -> Image.Image:
    """Colours as the picture's ICC profile means them, converted to sRGB (the profile itself is dropped)."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in ("RGB", "RGBA"):
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode=image.mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image  # an unreadable profile: keep the pixels as they are


def _has_transparency(image: Image.Image) -> bool:
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        alpha = image.convert("RGBA").getchannel("A")
        return alpha.getextrema()[0] < 255
    return False


def _fit(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def _encode(image: Image.Image, *, may_be_lossless: bool = True) -> bytes:
    """Lossy WebP; but flat artwork (small when lossy) is kept lossless when that stays small, so it stays
    sharp and re-encodes to the very same bytes. Pillow writes no metadata it is not given."""
    lossy = io.BytesIO()
    image.save(lossy, "WEBP", quality=LOSSY_QUALITY, method=4)
    if not may_be_lossless or lossy.tell() > LOSSLESS_TRY_BYTES:
        return lossy.getvalue()
    lossless = io.BytesIO()
    image.save(lossless, "WEBP", lossless=True, quality=100, method=4, exact=False)
    return lossless.getvalue() if lossless.tell() <= LOSSLESS_MAX_BYTES else lossy.getvalue()
