"""Teacher notes as the console shows them: paragraphs and lists, everything escaped."""

from lessons.templatetags.lesson_text import paragraphs_and_lists


def test_it_turns_dashed_lines_into_a_list_and_other_lines_into_paragraphs():
    notes = "Before the lesson\n- Tell your DSL.\n- Agree how a student\n  can step out.\nKeep it calm.\n\nTimings\n- 5 min"
    assert paragraphs_and_lists(notes) == (
        "<p>Before the lesson</p><ul><li>Tell your DSL.</li><li>Agree how a student can step out.</li></ul>"
        "<p>Keep it calm.</p><p>Timings</p><ul><li>5 min</li></ul>"
    )


def test_it_runs_the_lines_of_a_paragraph_on_without_line_breaks():
    assert paragraphs_and_lists("A sentence folded\nover two lines.\n\nAnother.") == (
        "<p>A sentence folded over two lines.</p><p>Another.</p>"
    )


def test_it_escapes_everything():
    assert paragraphs_and_lists('- <script>alert("x")</script>\n<b>bold</b>') == (
        "<ul><li>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;</li></ul><p>&lt;b&gt;bold&lt;/b&gt;</p>"
    )


def test_empty_notes_show_nothing():
    assert paragraphs_and_lists("") == "" and paragraphs_and_lists("  \n\n ") == ""
