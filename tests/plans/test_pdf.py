"""The plan PDF: the student's exact words, Childline's number, a pocket card, and a tagged PDF/UA file."""

import io

import pikepdf
import pypdf
import pytest

from plans.pdf import render_plan_pdf
from plans.plan import Plan, StrategyInPlan
from tests.plans.builders import build_plan, largest_answers


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def downloaded(client, bundled_package):
    answers = build_plan(client, bundled_package)
    response = client.get("/plan/download/")
    assert response.status_code == 200
    return answers, response


def test_it_downloads_a_pdf_attachment(downloaded):
    _, response = downloaded
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="my-plan.pdf"'
    assert response.content.startswith(b"%PDF-1.7")
    assert "no-store" in response["Cache-Control"]


def test_it_has_the_students_exact_words_and_childlines_number(downloaded):
    answers, response = downloaded
    text = pdf_text(response.content)
    for words in [
        "No way. I'm not sending that, Jo.",
        "I'm logging off now, talk tomorrow",
        "They say I'm being boring",
        "They won't take no",
        "my aunt Bea",
        "form tutor",
        "I decide who sees me.",
    ]:
        assert words in text
    assert "0800 1111" in text
    assert "My plan" in text


def test_it_has_every_part_and_the_pocket_card(downloaded, bundled_package):
    _, response = downloaded
    text = pdf_text(response.content)
    for heading in [
        "What I'll say or do if someone asks me for a nude",
        "Signs that someone is pressuring me",
        "People I can talk to",
        "Where I can get help",
        "If it has already happened",
        "Why saying no matters to me",
        "My pocket card",
        "If someone asks me for a nude, I can say:",
        "I can talk to:",
    ]:
        assert heading in text
    for step in bundled_package.already_happened_steps.all():
        assert step.title in text


def test_it_puts_the_top_lines_one_person_and_childline_on_the_card(downloaded):
    _, response = downloaded
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    card = reader.pages[-1].extract_text()
    assert "No way. I'm not sending that, Jo." in card
    assert "my aunt Bea" in card
    assert "form tutor" not in card
    assert "Childline: 0800 1111" in card


def test_it_is_a_tagged_pdf_ua_file_with_title_and_language(downloaded):
    _, response = downloaded
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.MarkInfo.Marked is True
        assert str(pdf.Root.Lang) == "en-GB"
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo.Title) == "My plan"
        metadata = pdf.open_metadata()
        assert metadata["pdfuaid:part"] == "1"
        assert metadata["dc:title"] == "My plan"


def test_it_embeds_only_the_bundled_fonts(downloaded):
    _, response = downloaded
    with pikepdf.open(io.BytesIO(response.content)) as pdf:
        fonts = {
            str(font.BaseFont).split("+", 1)[-1]
            for page in pdf.pages
            for font in page.Resources.get("/Font", {}).values()
        }
    # Fonts from @font-face rules are named after their CSS family: none came from the system.
    assert fonts and all(name.startswith(("Plan-Sans", "Plan-Fallback", "Plan-Emoji")) for name in fonts)


def test_it_shortens_long_lines_on_the_card_but_not_on_the_page():
    long_line = "word " * 39 + "end"
    plan = Plan(strategies=[StrategyInPlan(title="Say no clearly", lines=[long_line])], people=["Sam"])
    reader = pypdf.PdfReader(io.BytesIO(render_plan_pdf(plan)))
    assert "end" in reader.pages[0].extract_text()
    card = reader.pages[-1].extract_text()
    assert "…" in card
    assert "end" not in card.split("I can talk to")[0]


def test_it_names_a_trusted_adult_when_the_student_named_nobody():
    plan = Plan(own_lines=["No."])
    text = pdf_text(render_plan_pdf(plan))
    assert "A trusted adult" in text
    assert "0800 1111" in text


def test_it_renders_the_largest_plan_the_form_allows(client, bundled_package):
    answers = build_plan(client, bundled_package, **largest_answers(bundled_package))
    response = client.get("/plan/download/")
    assert response.status_code == 200
    text = " ".join(pdf_text(response.content).split())
    for words in [answers["why"]["why"], answers["words"]["own_3"], answers["signs"]["own_signs"]]:
        assert " ".join(words.split()) in text


def test_it_asks_to_try_again_when_every_render_slot_stays_busy(
    client, bundled_package, settings, monkeypatch
):
    from pdf import engine as pdf

    build_plan(client, bundled_package)
    settings.PDF_QUEUE_SECONDS = 0
    slots = pdf._render_slots()
    taken = 0
    while slots.acquire(blocking=False):
        taken += 1
    try:
        response = client.get("/plan/download/")
    finally:
        for _ in range(taken):
            slots.release()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Lots of people are downloading right now" in response.content.decode()


def test_it_offers_the_print_view_when_weasyprint_cannot_load(client, bundled_package, monkeypatch):
    from pdf import engine as pdf

    def unavailable():
        raise pdf.PdfUnavailable("no Pango")

    build_plan(client, bundled_package)
    monkeypatch.setattr(pdf, "_engine", unavailable)
    response = client.get("/plan/download/")
    assert response.status_code == 503
    assert 'href="/plan/print/"' in response.content.decode()


def test_it_wraps_words_longer_than_a_line():
    unbroken = "a" * 1000
    plan = Plan(own_lines=["b" * 200], why=unbroken, people=["c" * 40])
    data = render_plan_pdf(plan)
    text = "".join(pdf_text(data).split())
    assert unbroken in text
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 2  # the plan fits its A4 page, and the card has its own
