"""Hostile input in every field is refused with a clear message or kept as plain text: never markup, never
fetched, never a server error."""

import io

import pikepdf
import pypdf
import pytest
from django.utils.html import escape

from tests.plans.builders import build_plan, post_part

CLEAR_MESSAGES = [
    "Keep this to",
    "This has a hidden character in it",
    "Write just a first name or a role",
    "Choose from the list.",
]

# {url} is the address of a local server that records any request made to it.
PAYLOADS = {
    "script": "<script>alert('plan')</script>",
    "markup": "</li></ul><h1>Injected</h1><b>bold",
    "css": "<style>body { background: url({url}style) }</style>",
    "css-import": "@import url({url}import); * { content: url({url}content) }",
    "image": '<img src="file:///etc/passwd">',
    "remote-image": '<img src="{url}image.png">',
    "css-url": "url({url})",
    "link": '<link rel="stylesheet" href="{url}link.css">',
    "very-long": "a" * 10_000,
    "emoji": "No 👍🏽 ❤️ 👩‍👩‍👧 🥔",
    "right-to-left": "לא, תודה. لا شكرا \u202eevil\u202c",
    "zero-width": "no\u200bway\u200c\u200d\ufeff",
    "control": "no\x07 way\x1b[31m \x7fthanks\x85",
    "nul": "no\x00way",
}
# The ones kept as typed, which must come back in the PDF as the same text.
SHOWN_AS_TYPED = {"script", "markup", "css", "css-import", "image", "remote-image", "css-url", "link"}


def text_fields(answers) -> list[tuple[str, str]]:
    line_field = next(name for name in answers["words"] if name.startswith("line_"))
    return [
        ("words", line_field),
        ("words", "own_1"),
        ("signs", "own_signs"),
        ("people", "person_1"),
        ("people", "person_4"),
        ("why", "why"),
    ]


def normalised(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("name", list(PAYLOADS))
def test_it_refuses_or_keeps_as_plain_text_in_every_field(client, bundled_package, recording_server, name):
    payload = PAYLOADS[name].replace("{url}", recording_server.url)
    answers = build_plan(client, bundled_package)
    accepted = []
    for key, field in text_fields(answers):
        response = post_part(client, key, {**answers[key], field: payload})
        assert response.status_code in (200, 302), (key, field)
        if response.status_code == 200:
            assert any(message in response.content.decode() for message in CLEAR_MESSAGES), (key, field)
        else:
            accepted.append(field)

    summary = client.get("/plan/summary/")
    assert summary.status_code == 200
    page = summary.content.decode()
    if "<" in payload:
        assert payload not in page
        if accepted:
            assert escape(payload) in page

    assert client.get("/plan/print/").status_code == 200
    download = client.get("/plan/download/")
    assert download.status_code == 200
    with pikepdf.open(io.BytesIO(download.content)) as pdf:
        assert len(pdf.pages) >= 2
    if name in SHOWN_AS_TYPED and accepted:
        text = normalised(
            "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(download.content)).pages)
        )
        assert normalised(payload) in text
    assert recording_server.requests == []


def test_it_refuses_ten_thousand_characters_everywhere(client, bundled_package):
    answers = build_plan(client, bundled_package)
    for key, field in text_fields(answers):
        response = post_part(client, key, {**answers[key], field: "a" * 10_000})
        assert "It has 10000 now." in response.content.decode(), field


def test_it_refuses_a_nul_with_a_clear_message(client, bundled_package):
    response = post_part(client, "why", {"why": "no\x00way"})
    assert "This has a hidden character in it that we can&#x27;t keep." in response.content.decode()


def test_it_drops_invisible_control_characters_but_keeps_words_and_new_lines(client, bundled_package):
    post_part(client, "signs", {"own_signs": "one\x07\x1b\nnew line\x7f\x85"})
    assert client.session["plan"]["own_signs"] == "one\nnew line"


def test_it_keeps_emoji_right_to_left_and_zero_width_text_as_typed(client, bundled_package):
    text = "No 👍🏽 לא, תודה no\u200bway"
    post_part(client, "why", {"why": text})
    assert client.session["plan"]["why"] == text


@pytest.mark.parametrize("key", ["strategies", "lines", "signs", "help"])
def test_it_refuses_made_up_choices(client, bundled_package, key):
    answers = build_plan(client, bundled_package)
    field = next(iter(answers[key])) if answers[key] else "signs"
    if key == "signs":
        field = "signs"
    response = post_part(client, key, {**answers[key], field: ["<script>", "99999", "../../etc/passwd"]})
    assert response.status_code == 200
    assert "Choose from the list." in response.content.decode()


def test_it_ignores_fields_it_does_not_know(client, bundled_package, recording_server):
    build_plan(client, bundled_package)
    response = post_part(client, "why", {"why": "ok", "package": "999", "saved_at": "0", "<style>": "x"})
    assert response.status_code == 302
    plan = client.session["plan"]
    assert plan["package"] == bundled_package.pk
    assert "<style>" not in plan
