"""Bar geometry for the server-drawn SVG charts (templates/feedback/includes/bar_chart.svg draws them)."""

import textwrap
from dataclasses import dataclass

from feedback.stats import ScaleSummary

WIDTH = 450
LABEL_WIDTH = 200
BAR_AREA = 190
ROW_HEIGHT = 26
BAR_HEIGHT = 18
TOP = 6
LINE_HEIGHT = 14
LABEL_CHARACTERS = 24  # longer labels wrap onto more lines, each narrower than LABEL_WIDTH: none is cut short


@dataclass(frozen=True)
class LabelLine:
    text: str
    y: int


@dataclass(frozen=True)
class Bar:
    label: str
    lines: list[LabelLine]
    count: str  # the number as shown: "fewer than 5" for a withheld group
    y: int
    text_y: int
    width: int
    count_x: int


@dataclass(frozen=True)
class BarChart:
    bars: list[Bar]
    width: int
    height: int
    label_width: int
    bar_height: int
    description: str


def bar_chart(rows: list[tuple[str, int | None, str]]) -> BarChart:
    """One horizontal bar per (label, count, count as shown) row, scaled to the largest count; an empty bar
    still shows its 0, and a withheld count (None) draws no bar, only its text. A long label wraps."""
    largest = max((count for _, count, _ in rows if count is not None), default=0)
    bars = []
    y = TOP
    for label, count, shown in rows:
        wrapped = textwrap.wrap(label, LABEL_CHARACTERS, break_long_words=True) or [""]
        row_height = max(ROW_HEIGHT, LINE_HEIGHT * len(wrapped) + 8)
        text_y = y + BAR_HEIGHT - 5
        width = round(BAR_AREA * count / largest) if largest and count else 0
        bars.append(
            Bar(
                label=label,
                lines=[LabelLine(line, text_y + LINE_HEIGHT * n) for n, line in enumerate(wrapped)],
                count=shown,
                y=y,
                text_y=text_y,
                width=width,
                count_x=LABEL_WIDTH + width + 6,
            )
        )
        y += row_height
    description = "; ".join(f"{label}: {shown}" for label, _, shown in rows)
    return BarChart(
        bars=bars,
        width=WIDTH,
        height=y + TOP,
        label_width=LABEL_WIDTH,
        bar_height=BAR_HEIGHT,
        description=description,
    )


def scale_chart(summary: ScaleSummary, low_label: str = "", high_label: str = "") -> BarChart:
    ends = {1: low_label, 5: high_label}
    rows = [
        (f"{point} – {ends[point]}" if ends.get(point) else str(point), count, str(count))
        for point, count in summary.rows
    ]
    return bar_chart(rows)
