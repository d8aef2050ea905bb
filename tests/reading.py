"""How hard a sentence is to read: a syllable counter, the Flesch-Kincaid grade, and the sentences a student
reads on a rendered page. Plain functions, tested in tests/test_reading.py and used by the reading-grade test.

Flesch-Kincaid grade = 0.39 * (words / sentences) + 11.8 * (syllables / words) - 15.59, scored here one
sentence at a time (the rule is that every sentence a student reads is at most grade 7, not the average).
The formula was made for running prose, so three conventions:
- a sentence of fewer than SHORTEST_SCORED words (a label, a button, "Sorry", "Keep evidence.") gets no
  grade: one two-syllable word alone would score 8.4. It passes when none of its words (names aside) has more
  than SHORT_WORD_SYLLABLES syllables, so "Emergency services" still fails;
- a number (0800, 1111, 999, 14) counts as one word of one syllable; a web address is not counted at all;
- the names of the people and services in the lesson count as one syllable each: a student reads a name as
  one known thing, and the formula would otherwise fail any sentence that says "Childline" or "Report Remove".
"""

import re
from html.parser import HTMLParser

# Names a student meets in the lesson, read as one thing each (see the module's note).
NAMES = frozenset(
    [
        "childline",
        "ceop",
        "nspcc",
        "jordan",
        "riley",
        "alex",
        "sam",
        "kai",
        "mo",
        "ellie",
        "tomasz",
        "hassan",
        "report",
        "remove",
        "internet",
        "watch",
        "foundation",
        "stop",
        "it",
        "now",
    ]
)

_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*|\d[\d,.]*")
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"”’)]))\s+")
_ADDRESS = re.compile(r"\b(?:https?://\S+|[\w-]+(?:\.[\w-]+)*\.(?:uk|com|org)\S*)")


# Words the vowel-group rules get wrong, mostly compounds with a silent e inside.
_EXCEPTIONS = {
    "someone": 2,
    "everyone": 3,
    "anyone": 3,
    "sometimes": 2,
    "something": 2,
    "somewhere": 2,
    "nowhere": 2,
    "everywhere": 3,
    "whatever": 3,
    "homework": 2,
    "idea": 3,
    "ideas": 3,
    "video": 3,
    "science": 2,
    "area": 3,
    "safeguarding": 3,
}


def syllables(word: str) -> int:
    """The syllables in one English word, by the usual vowel-group rules (good for everyday words; a few
    exceptions are listed), never fewer than one."""
    word = re.sub(r"[^a-z']", "", word.lower().replace("’", "'"))
    word = re.sub(r"'(?:s|t|ll|re|ve|d|m)$", "", word).replace("'", "")
    if word in _EXCEPTIONS:
        return _EXCEPTIONS[word]
    if len(word) <= 3:
        return 1
    if word.endswith("ed") and not re.search(r"[td]ed$", word):
        word = word[:-2]  # liked, played: no syllable of its own (but wanted, needed)
    elif word.endswith("es") and not re.search(r"(?:[sxzcg]|[cs]h)es$", word):
        word = word[:-2]  # makes, goes (but buses, places, wishes)
    elif re.search(r"[^aeiouy]e$", word) and not re.search(r"[^aeiouy]le$", word):
        word = word[:-1]  # a silent e: make, home (but little, table)
    word = re.sub(r"(?<=[^aeiouy])e(?=(?:ly|ments?|ful|ness|less)$)", "", word)  # lonely, safely, statement
    count = len(re.findall(r"[aeiouy]+", word))
    # Vowel pairs said as two sounds: media, radio, actually, serious (but social, station, precious).
    count += len(re.findall(r"(?<![cts])ia|(?<![cts])io(?!u)|ua|(?<![ctxg])iou|ue(?=[nt])", word))
    return max(1, count)


def words(sentence: str) -> list[str]:
    return _WORD.findall(_ADDRESS.sub(" ", sentence))


def word_syllables(word: str) -> int:
    if word[0].isdigit() or word.lower().strip("'’") in NAMES:
        return 1
    return syllables(word)


SHORTEST_SCORED = 4
SHORT_WORD_SYLLABLES = 3


def grade(sentence: str) -> float:
    """The Flesch-Kincaid grade of one sentence (0 for a sentence with no words)."""
    found = words(sentence)
    if not found:
        return 0.0
    total = sum(word_syllables(word) for word in found)
    return 0.39 * len(found) + 11.8 * total / len(found) - 15.59


def too_hard(sentence: str, hardest_grade: float) -> bool:
    """Whether a sentence is harder to read than the grade allows (see the module's note for short ones)."""
    found = words(sentence)
    if len(found) < SHORTEST_SCORED:
        return any(word_syllables(word) > SHORT_WORD_SYLLABLES for word in found)
    return grade(sentence) > hardest_grade


def sentences(text: str) -> list[str]:
    """A block of text split into sentences: at . ! or ? followed by a space, and at a colon that starts a
    new clause (as in "Childline: call..."), which a reader takes as a pause of the same kind."""
    text = " ".join(text.split())
    parts = []
    for piece in _SENTENCE_END.split(text):
        parts.extend(part for part in re.split(r"(?<=\w):\s+(?=[A-Z])", piece) if part.strip())
    return parts


# Elements whose text is its own block: a sentence never runs across them.
_BLOCKS = frozenset(
    [
        "p",
        "li",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "legend",
        "button",
        "label",
        "dt",
        "dd",
        "div",
        "section",
        "aside",
        "summary",
        "td",
        "th",
        "caption",
        "option",
        "blockquote",
        "figcaption",
        "nav",
        "header",
        "footer",
        "main",
        "form",
        "fieldset",
        "ul",
        "ol",
        "dl",
        "table",
        "tr",
    ]
)
_SKIPPED = frozenset({"script", "style", "template", "title", "head", "svg"})


class _Blocks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.blocks: list[str] = []
        self._text: list[str] = []
        self._skipping = 0

    def _end_block(self):
        text = " ".join("".join(self._text).split())
        if text:
            self.blocks.append(text)
        self._text = []

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self._skipping += 1
        elif tag in _BLOCKS or tag == "br":
            self._end_block()
        elif tag == "img" and (alt := dict(attrs).get("alt")):
            self._end_block()
            self.blocks.append(alt)

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self._end_block()

    def handle_data(self, data):
        if not self._skipping:
            self._text.append(data)


def page_sentences(html: str) -> list[str]:
    """Every sentence a reader meets on a page: text in the body (and pictures' alt text), block by block."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    parser._end_block()
    return [sentence for block in parser.blocks for sentence in sentences(block)]
