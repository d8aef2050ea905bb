"""Bar chart geometry: long labels wrap within the label column, withheld counts draw no bar."""

from feedback import charts

# A wide sans-serif letter is about 0.6 of the font size (13 px): the bound a label line must keep under.
WIDEST_LETTER = 0.6 * 13


def test_a_long_label_wraps_into_lines_that_fit_its_column_and_keep_every_word():
    label = "Step 10: If someone threatens you: what to do"
    chart = charts.bar_chart([(label, 4, "4"), ("Yes", 2, "2")])
    first = chart.bars[0]
    assert len(first.lines) > 1
    assert " ".join(line.text for line in first.lines) == label
    assert all(len(line.text) * WIDEST_LETTER <= charts.LABEL_WIDTH - 8 for line in first.lines)
    assert chart.bars[1].y >= first.lines[-1].y  # the next bar starts below the wrapped label
    assert chart.height > chart.bars[-1].y + charts.BAR_HEIGHT


def test_a_withheld_count_draws_no_bar_and_shows_its_words():
    chart = charts.bar_chart([("Year 8", 9, "9"), ("Year 9", None, "fewer than 5")])
    assert chart.bars[1].width == 0 and chart.bars[1].count == "fewer than 5"
    assert chart.description == "Year 8: 9; Year 9: fewer than 5"
