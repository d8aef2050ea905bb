"""A flood of wrong codes from one network: check mode asks for the class word instead of locking a school out."""

import re

import pytest
from django.test import Client

from accounts.models import FailureCount
from accounts.throttle import failure_key
from lessons.models import ClassSession
from tests.builders import make_class_session

pytestmark = pytest.mark.django_db

SCHOOL = "203.0.113.7"  # every student and the guesser share the school's one address


@pytest.fixture
def class_session(alice, mini_package):
    return make_class_session(teacher=alice, package=mini_package)


def _wrong_code(class_session: ClassSession) -> str:
    return "ACDEFG" if class_session.join_code != "ACDEFG" else "GFEDCA"


def _other_word(class_session: ClassSession) -> str:
    return "otter" if class_session.class_word != "otter" else "badger"


def _device() -> Client:
    """A student's browser: it opens the join page first, so it has its own device cookie."""
    client = Client(REMOTE_ADDR=SCHOOL)
    client.get("/join/")
    return client


def _flood(class_session: ClassSession, guesses: int, **word) -> None:
    """The attack: wrong codes from one address, each from a fresh client with no cookie at all."""
    for _ in range(guesses):
        response = Client(REMOTE_ADDR=SCHOOL).post("/join/", {"code": _wrong_code(class_session), **word})
        assert response.status_code == 400


def _address_failures() -> int:
    row = FailureCount.objects.filter(key=failure_key("join-address", SCHOOL)).first()
    return row.count if row else 0


def _visible_text(response) -> str:
    """The page as the student reads it, without what they typed and the form's one-time token."""
    page = response.content.decode()
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)
    return re.sub(r'(name="(code|word)"[^>]*?) value="[^"]*"', r"\1", page)


def test_a_school_network_takes_200_wrong_codes_before_check_mode(settings):
    assert settings.JOIN_FAILURES_PER_ADDRESS == 200


def test_a_flood_of_wrong_codes_cannot_keep_a_class_out(class_session, settings):
    settings.JOIN_FAILURES_PER_ADDRESS = 20  # as 200 would, in a tenth of the requests
    _flood(class_session, 25)
    # The join page now asks for the class word too, and explains why.
    page = _device().get("/join/").content.decode()
    assert "Lots of wrong codes have come from your school's network" in page
    assert 'name="word"' in page and 'type="hidden" name="word"' not in page
    # A student who types only the code is asked for the word: refused, never paused.
    first = _device()
    refused = first.post("/join/", {"code": class_session.join_code})
    assert refused.status_code == 400 and "Type the class word too" in refused.content.decode()
    assert (
        first.post("/join/", {"code": class_session.join_code, "word": class_session.class_word}).status_code
        == 302
    )
    # The rest of the class of 30, each on their own device at the same address, all get in.
    for _ in range(29):
        student = _device()
        joined = student.post(
            "/join/",
            {"code": class_session.join_code.lower(), "word": f" {class_session.class_word.title()} "},
        )
        assert joined.status_code == 302 and joined.url == "/lesson/"
        assert student.session["lesson"]["class_session"] == class_session.pk
    class_session.refresh_from_db()
    assert class_session.students_joined == 30


def test_in_check_mode_a_right_code_without_the_word_is_refused_like_a_wrong_code(class_session, settings):
    settings.JOIN_FAILURES_PER_ADDRESS = 3
    _flood(class_session, 3)
    right, wrong = class_session.join_code, _wrong_code(class_session)
    cases = {
        "right code, wrong word": {"code": right, "word": _other_word(class_session)},
        "wrong code, wrong word": {"code": wrong, "word": _other_word(class_session)},
        "right code, the word of another class": {"code": right, "word": "x" + class_session.class_word},
    }
    responses = {name: _device().post("/join/", data) for name, data in cases.items()}
    for name, response in responses.items():
        assert response.status_code == 400, name
        assert "There is no open lesson with that code and class word" in response.content.decode(), name
    assert len({_visible_text(response) for response in responses.values()}) == 1
    # Without any word, a right code and a wrong code get the same request for the word.
    without_word = [_device().post("/join/", {"code": code}) for code in (right, wrong)]
    assert [response.status_code for response in without_word] == [400, 400]
    assert _visible_text(without_word[0]) == _visible_text(without_word[1])
    assert "Type the class word too" in without_word[0].content.decode()
    # A right code with a wrong word counts as a wrong guess; no device got in.
    assert _address_failures() == 3 + 3
    class_session.refresh_from_db()
    assert class_session.students_joined == 0


def test_a_guesser_in_check_mode_is_still_capped(class_session, settings):
    settings.JOIN_FAILURES_PER_ADDRESS = 3
    settings.JOIN_FAILURES_PER_DEVICE = 4
    _flood(class_session, 3)
    guesser = _device()
    for _ in range(4):
        response = guesser.post("/join/", {"code": _wrong_code(class_session), "word": "otter"})
        assert response.status_code == 400
    # The device that keeps its cookie is paused outright, even with the right code and word.
    paused = guesser.post("/join/", {"code": class_session.join_code, "word": class_session.class_word})
    assert paused.status_code == 429
    assert "joining is paused on this device" in paused.content.decode()
    # The address's count went on past its limit, so check mode lasts as long as the guessing does.
    assert _address_failures() == 3 + 4
    _flood(class_session, 5, word=_other_word(class_session))
    assert _address_failures() == 3 + 4 + 5
    assert "Lots of wrong codes" in _device().get("/join/").content.decode()


def test_below_the_address_limit_the_code_alone_joins(class_session, settings):
    settings.JOIN_FAILURES_PER_ADDRESS = 3
    _flood(class_session, 2)
    page = _device().get("/join/").content.decode()
    assert "Lots of wrong codes" not in page and 'type="text" name="word"' not in page
    assert _device().post("/join/", {"code": class_session.join_code}).status_code == 302


def test_another_address_is_not_in_check_mode(class_session, settings):
    settings.JOIN_FAILURES_PER_ADDRESS = 3
    _flood(class_session, 3)
    elsewhere = Client(REMOTE_ADDR="198.51.100.20")
    assert elsewhere.post("/join/", {"code": class_session.join_code}).status_code == 302


def test_guessing_from_many_addresses_puts_the_whole_site_in_check_mode(class_session, settings):
    settings.JOIN_FAILURES_PER_ADDRESS = 3
    settings.JOIN_FAILURES_PER_SERVER = 20
    # The attack: each address stays under its own limit, but together they send more than the site allows.
    for number in range(10):
        for _ in range(2):
            guess = Client(REMOTE_ADDR=f"198.51.100.{number}").post(
                "/join/", {"code": _wrong_code(class_session)}
            )
            assert guess.status_code == 400
    school = Client(REMOTE_ADDR="192.0.2.50")
    page = school.get("/join/").content.decode()
    assert "Lots of wrong codes have been tried on this site" in page
    assert school.post("/join/", {"code": class_session.join_code}).status_code == 400
    joined = school.post("/join/", {"code": class_session.join_code, "word": class_session.class_word})
    assert joined.status_code == 302


def _form_fields(page: str) -> dict[str, str]:
    """The values a browser with JavaScript off would send from the join form as it is."""
    form = page.split("<form", 1)[1].split("</form>", 1)[0]
    return {
        name: value
        for name, value in re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form)
        if name in {"code", "word"}
    }


def test_the_join_link_with_code_and_word_joins_without_typing(class_session, settings):
    settings.JOIN_FAILURES_PER_ADDRESS = 3
    link = f"/join/?code={class_session.join_code}&word={class_session.class_word}"
    # Normal mode: the word rides along in a hidden field.
    student = _device()
    page = student.get(link).content.decode()
    assert f'type="hidden" name="word" value="{class_session.class_word}"' in page
    assert _form_fields(page) == {"code": class_session.join_code, "word": class_session.class_word}
    assert student.post("/join/", _form_fields(page)).status_code == 302
    # Check mode: the word is a visible field, already filled in; submitting the form as it is joins.
    _flood(class_session, 3)
    student = _device()
    page = student.get(link).content.decode()
    assert "Lots of wrong codes" in page
    assert _form_fields(page) == {"code": class_session.join_code, "word": class_session.class_word}
    assert student.post("/join/", _form_fields(page)).status_code == 302


@pytest.mark.parametrize("word", ["x" * 500, "ot\x00ter", "<script>"])
def test_an_odd_word_from_a_link_never_stops_the_code_alone_joining(class_session, word):
    student = _device()
    assert student.post("/join/", {"code": class_session.join_code, "word": word}).status_code == 302
