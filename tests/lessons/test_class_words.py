"""The class words: enough of them, easy to spell on a board, and nothing a class should not see."""

import re

import pytest

from lessons.class_words import WORDS_FILE, class_words, normalise_class_word, random_class_word
from tests.builders import FIXTURES, make_class_session

# Nothing rude, sexual, scary, violent, about bodies or drugs, no names or endearments a groomer uses, no
# words from the lesson's own subject, and no slang that would embarrass a student.
NOT_ON_THE_BOARD = {
    word
    for line in (FIXTURES / "not_class_words.txt").read_text().splitlines()
    if not line.startswith("#")
    for word in line.split()
}
NEVER_INSIDE = [
    "sex",
    "fuck",
    "shit",
    "cunt",
    "porn",
    "nude",
    "twat",
    "wank",
    "slut",
    "whore",
    "bitch",
    "nazi",
]


def test_there_are_at_least_a_thousand_different_words():
    words = class_words()
    assert len(words) >= 1000
    assert len(set(words)) == len(words)


def test_every_word_is_three_to_seven_lowercase_letters():
    lines = WORDS_FILE.read_text(encoding="ascii").splitlines()
    assert lines == sorted(lines), "keep the list sorted, so duplicates and additions are easy to review"
    bad = [word for word in lines if not re.fullmatch(r"[a-z]{3,7}", word)]
    assert not bad


def test_no_word_is_rude_scary_or_out_of_place_in_this_lesson():
    words = set(class_words())
    assert not words & NOT_ON_THE_BOARD
    assert not [word for word in words if any(part in word for part in NEVER_INSIDE)]
    # Nothing that reads as part of joining, which would confuse a student typing it.
    assert not words & {"code", "class", "word", "join", "lesson", "plan", "teacher"}


def test_a_word_is_drawn_at_random_from_the_list():
    drawn = {random_class_word() for _ in range(200)}
    assert drawn <= set(class_words())
    assert len(drawn) > 100


@pytest.mark.parametrize("typed", ["otter", "Otter", " OTTER ", "\uff4f\uff54\uff54\uff45\uff52"])
def test_a_typed_word_is_read_as_the_list_spells_it(typed):
    assert normalise_class_word(typed) == "otter"


def test_each_class_session_gets_its_own_word(alice, mini_package):
    words = {make_class_session(teacher=alice, package=mini_package).class_word for _ in range(8)}
    assert words <= set(class_words())
    assert len(words) > 1


def test_the_readme_states_the_number_of_words_the_odds_are_worked_out_with():
    from django.conf import settings

    readme = (settings.BASE_DIR / "README.md").read_text()
    assert f"{len(class_words()):,} words in `lessons/class_words.txt`" in readme
