"""The page and the printable handout for parents and carers."""

import io
import subprocess

import pikepdf
import pytest
import zxingcpp
from django.test import Client
from PIL import Image
from pypdf import PdfReader

from lessons import parents, services
from tests.concurrency import all_at_once

pytestmark = pytest.mark.django_db


def test_the_parents_page_explains_the_lesson_and_where_to_get_help(client, bundled_package):
    page = client.get("/parents/").content.decode()
    assert "talking with your child about nudes" in page.lower()
    assert "You won't be in trouble" in page or "You won&#x27;t be in trouble" in page
    assert "do not pay" in page and "Do not ask to see the image" in page
    assert page.index("For parents, carers and other adults") < page.index("For young people")
    assert page.index(">NSPCC</h3>") < page.index(">Childline</h3>")  # services for adults first
    assert 'href="tel:08088005000"' in page and 'href="tel:08081000900"' in page
    assert 'href="/parents/handout.pdf"' in page
    assert 'href="/parents/"' in client.get("/").content.decode()


def _page_picture(pdf: bytes, folder) -> Image.Image:
    """The PDF's first page drawn by poppler, as a reader of a printed copy would see it."""
    (folder / "handout.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", "-singlefile", folder / "handout.pdf", folder / "page"], check=True
    )
    return Image.open(folder / "page.png")


def test_the_handout_gives_the_sites_address_a_qr_code_for_it_and_the_school(
    client, bundled_package, settings, tmp_path
):
    parents._handouts.clear()
    settings.SCHOOL_NAME = "Anytown Academy"
    settings.SCHOOL_SAFEGUARDING_CONTACT = "Ms Patel, 01234 567890"
    settings.ALLOWED_HOSTS = ["plan.school.example", "testserver"]
    response = client.get("/parents/handout.pdf", HTTP_HOST="plan.school.example")
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "http://plan.school.example/" in text
    assert "School: Anytown Academy" in text and "Safeguarding contact: Ms Patel, 01234 567890" in text
    codes = [result.text for result in zxingcpp.read_barcodes(_page_picture(response.content, tmp_path))]
    assert codes == ["http://plan.school.example/"]
    parents._handouts.clear()


@pytest.fixture
def render_count(monkeypatch):
    """Counts the real renders of the handout: a counter around the real renderer, which still runs."""
    parents._handouts.clear()
    renders = []
    real_render = parents.render_pdf

    def counted(*args, **kwargs):
        renders.append(kwargs["title"])
        return real_render(*args, **kwargs)

    monkeypatch.setattr(parents, "render_pdf", counted)
    yield renders
    parents._handouts.clear()


def test_the_handout_is_one_tagged_page_with_lines_to_write_on_rendered_once_and_then_served_from_memory(
    client, bundled_package, render_count, settings
):
    """One render read three ways (once three tests, each rendering the same handout, seconds apiece): the
    page's advice, numbers and tags; without school settings, lines to write on; and served from memory."""
    settings.SCHOOL_NAME = settings.SCHOOL_SAFEGUARDING_CONTACT = ""
    first = client.get("/parents/handout.pdf")
    assert first["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(first.content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    for expected in [
        "Talking with your child about nudes",
        "0808 800 5000",
        "0808 1000 900",
        "0800 1111",
        "do not pay",
        "Report Remove",
    ]:
        assert expected in text, expected
    with pikepdf.open(io.BytesIO(first.content)) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.Lang == "en-GB"
        assert str(pdf.open_metadata().get("dc:title")).startswith("Talking with your child")
    assert "School: Safeguarding contact:" in text and "http://testserver/" in text

    second = client.get("/parents/handout.pdf")
    assert len(render_count) == 1
    assert first.status_code == second.status_code == 200
    assert first.content == second.content and first.content.startswith(b"%PDF")
    assert first["ETag"] == second["ETag"]
    assert "public" in first["Cache-Control"] and "max-age=3600" in first["Cache-Control"]
    unchanged = client.get("/parents/handout.pdf", headers={"If-None-Match": first["ETag"]})
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert len(render_count) == 1


def test_a_new_package_version_gets_a_new_handout(client, bundled_package, render_count):
    before = client.get("/parents/handout.pdf")
    draft = services.package_start_draft(source=bundled_package)
    draft.support_services.filter(key="stop-it-now").update(phone="0808 1000 999")
    services.package_publish(package=draft)

    after = client.get("/parents/handout.pdf")
    assert len(render_count) == 2
    assert after["ETag"] != before["ETag"]
    text = " ".join(PdfReader(io.BytesIO(after.content)).pages[0].extract_text().split())
    assert "0808 1000 999" in text and "0808 1000 900" not in text
    client.get("/parents/handout.pdf")
    assert len(render_count) == 2


@pytest.mark.django_db(transaction=True)  # the other threads' connections see the committed package
def test_many_parents_at_once_wait_for_one_render(bundled_package, render_count, settings):
    settings.PDF_QUEUE_SECONDS = (
        120  # they wait for the one render, however long a busy machine takes over it
    )
    results = all_at_once(6, lambda n: Client().get("/parents/handout.pdf").status_code)
    assert results == [200] * 6
    assert len(render_count) == 1
