"""Pictures: what an upload becomes (lessons/pictures.py), how it is served, shown, uploaded and carried in
package files; every picture is read back with Pillow."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from lessons.models import ClassSession, Package, Picture, Step
from lessons.package_export import package_file, package_to_yaml
from lessons.package_file import PackageFileError, load_package_upload
from lessons.package_zip import MAX_MEMBERS
from lessons.pictures import MAX_WIDTH, PHONE_WIDTH, PictureError, prepare_picture
from lessons.services import package_start_draft
from tests.builders import MINI_PACKAGE, make_class_session, start_self_guided

GPS = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(size=(2400, 1200), orientation: int = 1) -> bytes:
    image = Image.new("RGB", size, (200, 80, 40))
    image.paste((20, 120, 200), (0, 0, size[0] // 2, size[1] // 4))  # a blue block top left
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # camera make
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS).update({1: "N", 2: (54.0, 35.0, 0.0), 3: "W", 4: (3.0, 8.0, 0.0)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif, quality=90)
    return buffer.getvalue()


def png(size=(640, 360), color=(11, 92, 85)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "PNG")
    return buffer.getvalue()


def test_a_jpeg_comes_back_as_webp_without_exif_or_gps_and_at_most_1600_wide():
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS)  # the test file does carry GPS
    prepared = prepare_picture(original)
    image = Image.open(io.BytesIO(prepared.webp))
    assert image.format == "WEBP"
    assert (image.width, image.height) == (prepared.width, prepared.height) == (MAX_WIDTH, 800)
    assert not image.getexif() and "exif" not in image.info and "icc_profile" not in image.info
    assert b"PhoneMaker" not in prepared.webp and b"Exif" not in prepared.webp
    small = Image.open(io.BytesIO(prepared.small_webp))
    assert (small.width, small.height) == (prepared.small_width, prepared.small_height) == (PHONE_WIDTH, 400)
    assert not small.getexif()


def test_it_turns_a_photo_the_right_way_up_before_dropping_its_orientation():
    prepared = prepare_picture(jpeg_with_gps(size=(800, 400), orientation=6))  # 6: rotate 90° clockwise
    image = Image.open(io.BytesIO(prepared.webp)).convert("RGB")
    assert (image.width, image.height) == (400, 800)
    r, g, b = image.getpixel((image.width - 5, 5))  # the blue block is now top right
    assert b > 150 and r < 100


def test_a_small_picture_is_not_enlarged_and_the_same_file_gives_the_same_name():
    first, again = prepare_picture(png()), prepare_picture(png())
    assert (first.width, first.height, first.small_width) == (640, 360, 640)
    assert first.sha256 == again.sha256
    assert prepare_picture(first.webp).sha256 == first.sha256  # flat artwork re-encodes to the same bytes


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "SVG drawings cannot"),
        (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG drawings cannot"),
        (b"This is a text file with a .png name", r"not a PNG, JPEG or WebP picture \(whatever its name"),
        (b"GIF89a" + bytes(100), "not a PNG, JPEG or WebP picture"),
        (png()[:200], "damaged or cut short"),
        (b"", "The file is empty."),
        (b"\x89PNG" + bytes(5 * 1024 * 1024), "the most is 5 MB"),
    ],
    ids=["svg", "svg-with-xml-declaration", "text", "gif", "truncated-png", "empty", "over-5-mb"],
)
def test_it_refuses_what_is_not_a_usable_picture(data, message):
    with pytest.raises(PictureError, match=message):
        prepare_picture(data)


def test_it_refuses_a_decompression_bomb_without_decoding_it():
    buffer = io.BytesIO()
    Image.new("1", (20000, 20000)).save(buffer, "PNG")  # 400 million pixels in a few kilobytes
    assert len(buffer.getvalue()) < 100_000
    with pytest.raises(PictureError, match="far too large"):
        prepare_picture(buffer.getvalue())
    buffer = io.BytesIO()
    Image.new("1", (9000, 6000)).save(buffer, "PNG")  # under Pillow's own limit, over ours
    with pytest.raises(PictureError, match=r"far too large \(9000 × 6000 pixels\)"):
        prepare_picture(buffer.getvalue())


# Serving and showing


@pytest.mark.django_db
def test_it_serves_a_picture_by_its_hash_with_long_caching(client):
    picture = Picture.from_upload(jpeg_with_gps())
    response = client.get(picture.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "public, max-age=31536000, immutable"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Vary" not in response or "Cookie" not in response["Vary"]
    assert Image.open(io.BytesIO(response.content)).width == MAX_WIDTH
    small = client.get(picture.small_url)
    assert Image.open(io.BytesIO(small.content)).width == PHONE_WIDTH
    assert client.get(f"/pictures/{'0' * 64}.webp").status_code == 404
    assert client.get(f"/pictures/{picture.sha256.upper()}.webp").status_code == 404


@pytest.mark.django_db
def test_a_step_page_shows_its_picture_with_size_srcset_and_alt_text(client, bundled_package):
    start_self_guided(client, bundled_package)
    step = bundled_package.steps.get(key="meet-jordan")
    page = client.get("/lesson/meet-jordan/").content.decode()
    picture = step.picture
    assert (
        f'<img class="step-picture" src="{picture.small_url}" srcset="{picture.small_url} 800w, '
        f'{picture.url} 1600w"' in page
    )
    assert f'width="1600" height="900" alt="{step.picture_alt}"' in page
    assert client.get(picture.small_url).status_code == 200


@pytest.mark.django_db
def test_the_start_page_shows_its_decorative_picture_with_empty_alt(client, bundled_package):
    start_self_guided(client, bundled_package)
    page = client.get("/lesson/").content.decode()
    assert f'src="{bundled_package.start_picture.small_url}"' in page
    assert 'alt="" decoding="async">' in page
    assert bundled_package.start_picture_alt not in page  # kept for lists of pictures, never shown here


@pytest.mark.django_db
def test_the_step_page_loads_pictures_in_the_same_query_as_its_steps(client, bundled_package):
    start_self_guided(client, bundled_package)
    client.get("/lesson/meet-jordan/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/lesson/alex-asks/").status_code == 200
    assert not any('FROM "lessons_picture"' in q["sql"] for q in queries.captured_queries)
    assert not any("webp" in q["sql"].split("FROM")[0] for q in queries.captured_queries)


# The admin


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def _step_form(step: Step, **changes) -> dict:
    data = {
        "package": step.package_id,
        "position": step.position,
        "key": step.key,
        "kind": step.kind,
        "title": step.title,
        "body": step.body,
        "question": step.question,
        "picture_alt": step.picture_alt,
        "next_key": step.next_key,
        "teacher_notes": step.teacher_notes,
        **{f"facts-{k}": v for k, v in {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0}.items()},
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_a_pilot_lead_uploads_a_picture_to_a_draft_step_and_each_refusal_says_why(lead_client, db):
    package = load_package_upload(MINI_PACKAGE.read_bytes(), "mini.yaml").package
    draft = package_start_draft(source=package)
    step = draft.steps.get(key="feelings")  # a think step: no rows of its own in the form
    url = f"/admin/lessons/step/{step.pk}/change/"
    refusals = [
        ("photo.png", png()[:100], "damaged or cut short"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "SVG drawings cannot be used"),
        ("fake.png", b"just text, not a picture", "not a PNG, JPEG or WebP picture"),
    ]
    for name, data, message in refusals:
        response = lead_client.post(
            url, _step_form(step, picture_alt="A phone", picture_upload=SimpleUploadedFile(name, data))
        )
        assert response.status_code == 200 and message in response.content.decode()
    no_alt = lead_client.post(
        url, _step_form(step, picture_upload=SimpleUploadedFile("p.jpg", jpeg_with_gps()))
    )
    assert "Describe the picture for students who cannot see it" in no_alt.content.decode()
    assert not Picture.objects.exists()
    saved = lead_client.post(
        url,
        _step_form(
            step, picture_alt="A phone on a desk", picture_upload=SimpleUploadedFile("p.jpg", jpeg_with_gps())
        ),
    )
    assert saved.status_code == 302
    step.refresh_from_db()
    assert step.picture.width == MAX_WIDTH and step.picture_alt == "A phone on a desk"
    assert b"Exif" not in bytes(Picture.objects.values_list("webp", flat=True).get())
    published_picture = package.steps.get(key="feelings").picture_id
    assert published_picture is None  # the published version it was copied from is unchanged
    decorative = lead_client.post(url, _step_form(step, picture_alt="", picture_decorative="on"))
    assert decorative.status_code == 302
    removed = lead_client.post(url, _step_form(step, picture_remove="on"))
    assert removed.status_code == 302
    step.refresh_from_db()
    assert step.picture is None and not step.picture_decorative


@pytest.mark.django_db
def test_a_pilot_lead_sets_the_start_page_picture_of_a_draft(lead_client, bundled_package):
    draft = package_start_draft(source=bundled_package)
    url = f"/admin/lessons/package/{draft.pk}/change/"
    form = lead_client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields if name not in ("picture_upload",)}
    data = {k: ("on" if v is True else "" if v is False else v) for k, v in data.items()}
    for inline in lead_client.get(url).context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({f"{management.prefix}-{k}": v for k, v in management.initial.items()})
        for inline_form in inline.formset.forms:
            for name, field in inline_form.fields.items():
                value = inline_form.initial.get(name, field.initial)
                value = value.pk if hasattr(value, "pk") else value
                data[inline_form.add_prefix(name)] = (
                    "on" if value is True else "" if value is False or value is None else value
                )
    data.update(
        start_picture_alt="A teal shield",
        start_picture_decorative="",
        picture_upload=SimpleUploadedFile("s.png", png()),
    )
    response = lead_client.post(url, data)
    assert response.status_code == 302, [f.errors for f in [response.context["adminform"].form]] + [
        fs.formset.errors for fs in response.context["inline_admin_formsets"]
    ]
    draft.refresh_from_db()
    assert draft.start_picture.width == 640 and draft.start_picture_alt == "A teal shield"
    assert bundled_package.start_picture_id != draft.start_picture_id


# Package files


def _zip(members: dict[str, bytes], *, declared: dict[str, int] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    raw = buffer.getvalue()
    for name, size in (declared or {}).items():  # lie about a member's size in the central directory
        raw = _with_declared_size(raw, name, size)
    return raw


def _with_declared_size(raw: bytes, name: str, size: int) -> bytes:
    """The zip with `name`'s uncompressed size in the central directory (what zipfile trusts) set to `size`."""
    position = raw.index(b"PK\x01\x02")
    while True:
        name_length = int.from_bytes(raw[position + 28 : position + 30], "little")
        extra = int.from_bytes(raw[position + 30 : position + 32], "little")
        comment = int.from_bytes(raw[position + 32 : position + 34], "little")
        if raw[position + 46 : position + 46 + name_length] == name.encode():
            return raw[: position + 24] + size.to_bytes(4, "little") + raw[position + 28 :]
        position += 46 + name_length + extra + comment


def _mini_with_picture(name: str = "pictures/phone.png") -> bytes:
    text = MINI_PACKAGE.read_text().replace(
        "    title: A message arrives\n",
        f"    title: A message arrives\n    picture: {name}\n    picture_alt: A phone\n",
    )
    assert f"picture: {name}" in text
    return text.encode()


@pytest.mark.django_db
def test_an_exported_package_with_pictures_loads_into_a_fresh_database_with_them(bundled_package):
    name, data, content_type = package_file(bundled_package)
    assert (name, content_type) == (f"personal-plan-v{bundled_package.version}.zip", "application/zip")
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert names[0] == "package.yaml" and len(names) == 10  # the start page's picture and 8 steps' pictures
    shas = dict(Step.objects.filter(package=bundled_package).values_list("key", "picture_id"))
    exported_yaml = package_to_yaml(bundled_package)
    Package.objects.all().delete()
    Picture.objects.all().delete()
    loaded = load_package_upload(data, name).package
    assert dict(loaded.steps.values_list("key", "picture_id")) == shas
    assert loaded.digest == bundled_package.digest
    assert package_to_yaml(loaded) == exported_yaml


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("members", "message"),
    [
        (
            {"package.yaml": _mini_with_picture("../phone.png"), "../phone.png": png()},
            "only plain relative names",
        ),
        ({"package.yaml": b"x", "/etc/phone.png": png()}, "only plain relative names"),
        ({"package.yaml": b"x", "pictures\\phone.png": png()}, "only plain relative names"),
        ({"package.yaml": b"x", "C:/phone.png": png()}, "only plain relative names"),
        ({"package.yaml": b"x", "notes.txt": b"hello"}, "neither package.yaml nor a .webp"),
        ({"pictures/phone.png": png()}, "has no package.yaml"),
        (
            {"package.yaml": b"x", **{f"p/{n}.png": png() for n in range(MAX_MEMBERS)}},
            f"more than {MAX_MEMBERS}",
        ),
        (
            {"package.yaml": _mini_with_picture(), "pictures/phone.png": b"not a png"},
            "not a PNG, JPEG or WebP",
        ),
        (
            {"package.yaml": _mini_with_picture(), "pictures/other.png": png()},
            "'pictures/phone.png': is not in",
        ),
        (
            {"package.yaml": _mini_with_picture(), "pictures/phone.png": bytes(6 * 1024 * 1024)},
            "larger than 5 MB",
        ),
    ],
    ids=[
        "dot-dot",
        "absolute",
        "backslash",
        "drive-letter",
        "other-file",
        "no-yaml",
        "too-many-members",
        "bad-picture",
        "missing-picture",
        "member-too-large",
    ],
)
def test_it_refuses_a_hostile_or_broken_zip_and_loads_nothing(members, message):
    with pytest.raises(PackageFileError, match=message):
        load_package_upload(_zip(members), "upload.zip")
    assert not Package.objects.exists() and not Picture.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_zip_bomb_that_lies_about_its_sizes():
    bomb = bytes(50 * 1024 * 1024)  # 50 MB of zeros deflate to about 50 KB
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("package.yaml", _mini_with_picture())
        archive.writestr("pictures/phone.png", bomb)
    assert len(buffer.getvalue()) < 200_000
    with pytest.raises(PackageFileError, match="larger than 5 MB"):
        load_package_upload(buffer.getvalue(), "bomb.zip")
    lying = _with_declared_size(buffer.getvalue(), "pictures/phone.png", 1000)
    with pytest.raises(PackageFileError, match="not the size the zip says it is|cannot be read"):
        load_package_upload(lying, "bomb.zip")
    assert not Package.objects.exists() and not Picture.objects.exists()


@pytest.mark.django_db
def test_a_zip_with_a_good_picture_loads_it_re_encoded():
    data = _zip({"package.yaml": _mini_with_picture(), "pictures/phone.png": png()})
    package = load_package_upload(data, "mini.zip").package
    step = package.steps.get(key="the-chat")
    assert step.picture_alt == "A phone"
    webp = bytes(Picture.objects.values_list("webp", flat=True).get(pk=step.picture_id))
    assert Image.open(io.BytesIO(webp)).format == "WEBP"
    assert load_package_upload(data, "mini.zip").created is False  # the same file again changes nothing


@pytest.mark.django_db
def test_the_projector_shows_a_step_picture_and_the_console_preview_loads_it_lazily(
    client, alice, bundled_package
):
    class_session = make_class_session(teacher=alice, package=bundled_package)
    ClassSession.objects.filter(pk=class_session.pk).update(live_slide="meet-jordan")
    step = bundled_package.steps.get(key="meet-jordan")
    client.force_login(alice)
    projector = client.get(f"/teach/sessions/{class_session.pk}/projector/").content.decode()
    console = client.get(f"/teach/sessions/{class_session.pk}/console/").content.decode()
    assert f'src="{step.picture.small_url}"' in projector
    assert f'alt="{step.picture_alt}" decoding="async">' in projector
    assert f'alt="{step.picture_alt}" loading="lazy" decoding="async">' in console
