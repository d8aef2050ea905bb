"""The page and the printable handout for parents and carers."""

import io

import pikepdf
import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.django_db


def test_the_parents_page_explains_the_lesson_and_where_to_get_help(client, bundled_package):
    page = client.get("/parents/").content.decode()
    assert "talking with your child about nudes" in page.lower()
    assert "You won't be in trouble" in page or "You won&#x27;t be in trouble" in page
    assert "do not pay" in page and "Do not ask to see the image" in page
    assert page.index("NSPCC helpline") < page.index("Childline</h2>")  # services for adults first
    assert 'href="tel:08088005000"' in page and 'href="tel:08081000900"' in page
    assert 'href="/parents/handout.pdf"' in page
    assert 'href="/parents/"' in client.get("/").content.decode()


def test_the_handout_is_one_tagged_page_with_the_advice_and_numbers(client, bundled_package):
    response = client.get("/parents/handout.pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
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
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.Lang == "en-GB"
        assert str(pdf.open_metadata().get("dc:title")).startswith("Talking with your child")
