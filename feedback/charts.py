"""Bar geometry for the server-drawn SVG charts (templates/feedback/includes/bar_chart.svg draws them)."""

from dataclasses import dataclass

from feedback.stats import ScaleSummary

WIDTH = 450
LABEL_WIDTH = 180
BAR_AREA = 220
ROW_HEIGHT = 30
BAR_HEIGHT = 20
TOP = 6
MAX_LABEL = 25  # longer labels are cut short in the chart; the table beside it has them in full


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
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
    description: str


def bar_chart(rows: list[tuple[str, int]]) -> BarChart:
    """One horizontal bar per row, scaled to the largest count; an empty bar still shows its 0."""
    largest = max((count for _, count in rows), default=0)
    bars = []
    for index, (label, count) in enumerate(rows):
        y = TOP + index * ROW_HEIGHT
        width = round(BAR_AREA * count / largest) if largest else 0
        bars.append(
            Bar(
                label=label if len(label) <= MAX_LABEL else label[: MAX_LABEL - 1] + "…",
                count=count,
                y=y,
                text_y=y + BAR_HEIGHT - 5,
                width=width,
                count_x=LABEL_WIDTH + width + 6,
            )
        )
    description = "; ".join(f"{label}: {count}" for label, count in rows)
    return BarChart(
        bars=bars,
        width=WIDTH,
        height=TOP * 2 + ROW_HEIGHT * len(rows),
        label_width=LABEL_WIDTH,
        description=description,
    )


def scale_chart(summary: ScaleSummary, low_label: str = "", high_label: str = "") -> BarChart:
    ends = {1: low_label, 5: high_label}
    rows = [
        (f"{point} – {ends[point]}" if ends.get(point) else str(point), count)
        for point, count in summary.rows
    ]
    return bar_chart(rows)
