"""Bar charts drawn from one list of (label, count) rows, as SVG for the page and as a
ReportLab drawing for the PDF, so the chart, its table and the pack always show the same
figures."""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# GOV.UK palette: blue bars, black text; labels and values are text, never colour alone.
BAR = "#1d70b8"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"

WIDTH = 640
LABEL_WIDTH = 210
VALUE_GAP = 8
ROW = 30
BAR_HEIGHT = 20
TOP = 8


@dataclass
class Chart:
    id: str
    title: str
    label_heading: str
    rows: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(n for _, n in self.rows)

    @property
    def max_value(self) -> int:
        return max((n for _, n in self.rows), default=0)

    @property
    def height(self) -> int:
        return TOP * 2 + ROW * max(len(self.rows), 1)

    def bar_width(self, value: int, available: float) -> float:
        return 0 if not self.max_value else available * value / self.max_value

    def summary(self) -> str:
        if not self.rows:
            return f"{self.title}: no evidence yet."
        top_label, top_value = max(self.rows, key=lambda r: r[1])
        return (
            f"{self.title}. {len(self.rows)} bars, {self.total} items in all. "
            f"Largest: {top_label}, {top_value}."
        )

    def svg(self) -> SafeString:
        """An accessible SVG bar chart: role img, title and description, labelled bars."""
        available = WIDTH - LABEL_WIDTH - 60
        parts = [
            f'<svg class="parley-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
            f'viewBox="0 0 {WIDTH} {self.height}" width="100%" '
            f'aria-labelledby="{self.id}-title {self.id}-desc" focusable="false">',
            f'<title id="{self.id}-title">{escape(self.title)}</title>',
            f'<desc id="{self.id}-desc">{escape(self.summary())} '
            f"The table beside the chart has the same figures.</desc>",
        ]
        if not self.rows:
            parts.append(
                f'<text x="0" y="{TOP + 20}" font-size="16" fill="{TEXT}" '
                f'font-family="Arial, sans-serif">No evidence yet</text>'
            )
        for i, (label, value) in enumerate(self.rows):
            y = TOP + i * ROW
            width = self.bar_width(value, available)
            short = label if len(label) <= 28 else label[:27] + "…"
            parts.append(
                f'<g class="parley-chart__row" data-label="{escape(label)}" data-value="{value}">'
                f'<text x="{LABEL_WIDTH - VALUE_GAP}" y="{y + BAR_HEIGHT - 5}" '
                f'text-anchor="end" font-size="15" fill="{TEXT}" '
                f'font-family="Arial, sans-serif">{escape(short)}</text>'
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{BAR}"/>'
                f'<text x="{LABEL_WIDTH + width + VALUE_GAP:.1f}" y="{y + BAR_HEIGHT - 5}" '
                f'font-size="15" font-weight="bold" fill="{TEXT}" '
                f'font-family="Arial, sans-serif">{value}</text></g>'
            )
        parts.append(
            f'<line x1="{LABEL_WIDTH}" y1="{TOP - 2}" x2="{LABEL_WIDTH}" '
            f'y2="{self.height - TOP + 2}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append("</svg>")
        return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped above

    def drawings(self, width: float = 440, rows_per_drawing: int = 36) -> list:
        """The chart for the PDF, in page-sized pieces that share one scale (a drawing
        cannot break across pages, and a long inquiry has many weeks)."""
        if not self.rows:
            return [self.drawing(width)]
        return [
            self.drawing(width, self.rows[i : i + rows_per_drawing])
            for i in range(0, len(self.rows), rows_per_drawing)
        ]

    def drawing(self, width: float = 440, rows: list | None = None):
        """The chart (or some of its rows) as a ReportLab drawing for the PDF pack."""
        from reportlab.graphics.shapes import Drawing, Line, Rect, String
        from reportlab.lib import colors

        rows = self.rows if rows is None else rows
        row, bar_h, label_w = 18, 12, 150
        height = 8 + row * max(len(rows), 1)
        d = Drawing(width, height)
        available = width - label_w - 40
        if not rows:
            d.add(String(0, height - 14, "No evidence yet", fontName="Helvetica", fontSize=9))
        for i, (label, value) in enumerate(rows):
            y = height - (i + 1) * row
            w = self.bar_width(value, available)
            short = label if len(label) <= 30 else label[:29] + "…"
            d.add(
                String(
                    label_w - 6,
                    y + 3,
                    short,
                    fontName="Helvetica",
                    fontSize=8.5,
                    textAnchor="end",
                    fillColor=colors.HexColor(TEXT),
                )
            )
            d.add(Rect(label_w, y, w, bar_h, fillColor=colors.HexColor(BAR), strokeColor=None))
            d.add(
                String(
                    label_w + w + 4,
                    y + 3,
                    str(value),
                    fontName="Helvetica-Bold",
                    fontSize=8.5,
                    fillColor=colors.HexColor(TEXT),
                )
            )
        d.add(Line(label_w, 2, label_w, height, strokeColor=colors.HexColor(GRID)))
        return d


def charts_for(breakdown) -> list[Chart]:
    return [
        Chart("chart-themes", "Evidence by theme", "Theme", breakdown.themes),
        Chart("chart-sources", "Evidence by source", "Source", breakdown.sources),
        Chart("chart-weeks", "Evidence by week", "Week beginning", breakdown.weeks),
    ]
