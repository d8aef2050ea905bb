"""Class words: a short, kind word drawn for each class session and asked for with its code when guessing is afoot."""

import secrets
import unicodedata
from functools import cache
from pathlib import Path

WORDS_FILE = Path(__file__).with_name("class_words.txt")
CLASS_WORD_MAX_LENGTH = 7


@cache
def class_words() -> tuple[str, ...]:
    return tuple(line.strip() for line in WORDS_FILE.read_text(encoding="ascii").splitlines() if line.strip())


def random_class_word() -> str:
    return secrets.choice(class_words())


def normalise_class_word(raw: str) -> str:
    """What a student typed, as the list spells it: "Otter " and "ＯＴＴＥＲ" are "otter"."""
    return unicodedata.normalize("NFKC", raw).strip().casefold()
