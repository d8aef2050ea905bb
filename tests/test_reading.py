"""The reading-grade helpers: syllables, the Flesch-Kincaid grade, and the sentences read off a page."""

import pytest

from tests.reading import grade, page_sentences, sentences, syllables, too_hard


@pytest.mark.parametrize(
    ("word", "count"),
    [
        ("the", 1),
        ("make", 1),
        ("home", 1),
        ("liked", 1),
        ("makes", 1),
        ("free", 1),
        ("true", 1),
        ("little", 2),
        ("table", 2),
        ("people", 2),
        ("wanted", 2),
        ("buses", 2),
        ("places", 2),
        ("lonely", 2),
        ("nervous", 2),
        ("picture", 2),
        ("someone", 2),
        ("don't", 1),
        ("Jordan's", 2),
        ("social", 2),
        ("station", 2),
        ("anything", 3),
        ("different", 3),
        ("radio", 3),
        ("serious", 3),
        ("everyone", 3),
        ("actually", 4),
        ("emergency", 4),
        ("immediately", 5),
    ],
)
def test_it_counts_syllables(word, count):
    assert syllables(word) == count


def test_a_word_always_has_a_syllable():
    assert syllables("hmm") == 1 and syllables("'") == 1


def test_it_scores_a_sentence_with_the_flesch_kincaid_formula():
    # 6 words, 7 syllables
    assert grade("The cat sat on the table.") == pytest.approx(0.39 * 6 + 11.8 * 7 / 6 - 15.59)
    assert grade("") == 0.0


def test_names_numbers_and_web_addresses_count_as_easy():
    assert grade("Call Childline on 0800 1111.") == grade("Call Sam on 1 1.")
    assert grade("Go to childline.org.uk now.") == grade("Go to now.")


def test_long_words_in_a_long_sentence_make_it_too_hard():
    assert too_hard(
        "Confidential help for adults concerned about inappropriate behaviour towards children.", 7
    )
    assert not too_hard("Help for adults who are worried about how they act towards children.", 7)


def test_a_short_label_is_too_hard_only_with_a_long_word():
    assert not too_hard("Sorry", 7) and not too_hard("Keep evidence.", 7) and not too_hard("Personal Plan", 7)
    assert too_hard("Emergency services", 7)


def test_it_splits_text_into_sentences():
    assert sentences("No. I'm not sending that! Are you OK? Fine") == [
        "No.",
        "I'm not sending that!",
        "Are you OK?",
        "Fine",
    ]
    assert sentences('"Stop it." She left.') == ['"Stop it."', "She left."]
    assert sentences("Childline: Call free. The law: it is there to help.") == [
        "Childline",
        "Call free.",
        "The law: it is there to help.",
    ]


def test_it_reads_a_page_block_by_block_with_alt_text_and_without_scripts():
    html = """<html><head><title>Not read</title><script>var a = "no";</script></head><body>
      <h1>Heading</h1><p>One sentence
      folded. Two <a href="#">with a link</a>.</p><ul><li>Item</li><li>Another</li></ul>
      <img src="x.png" alt="A phone on a desk."><img src="y.png" alt=""><button>Press me</button></body></html>"""
    assert page_sentences(html) == [
        "Heading",
        "One sentence folded.",
        "Two with a link.",
        "Item",
        "Another",
        "A phone on a desk.",
        "Press me",
    ]
