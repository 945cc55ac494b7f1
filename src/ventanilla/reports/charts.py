"""Charts as server-rendered SVG (no JavaScript): horizontal bars or a line, drawn from one series.

`series(table, chart)` is the one data path: the dashboard's SVG and the monthly PDF's ReportLab drawing both
draw the (label, value) pairs it returns. The SVG is accessible (role="img" with <title> and <desc> that
state every value, labelled axes), scales to the page width (viewBox) so it reads on a phone, and uses plain
strokes and fills that print in black and white.
"""

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

WIDTH = 640
BAR_HEIGHT = 22
BAR_GAP = 8
LABEL_WIDTH = 200  # the category labels' column (bars); long labels are cut with an ellipsis
LABEL_CHARS = 30
MARGIN = 16
AXIS_SPACE = 36  # below the plot: the value axis and its label
LINE_HEIGHT = 260
BRAND = "#691c32"  # the site's --brand
INK = "#222"
GRID = "#bbb"


@dataclass(frozen=True)
class Point:
    label: str
    value: Decimal


def series(table, chart) -> list[Point]:
    """The (label, value) pairs of a Table for its Chart, in the table's order; rows without a value are left
    out (a chart never invents a zero)."""
    points = []
    for row in table.rows:
        value = row.get(chart.value)
        if value is None:
            continue
        points.append(Point(str(row.get(chart.label, "")), Decimal(str(value))))
    return points


def number(value: Decimal) -> str:
    """A value as the chart prints it: whole numbers with thousands commas, others with two decimals."""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    return f"{value:,.2f}"


def _cut(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def nice_top(maximum: Decimal) -> Decimal:
    """The axis end: the smallest 1, 2, 2.5 or 5 × 10^k at or above the largest value (positive)."""
    if maximum <= 0:
        return Decimal(1)
    exponent = len(str(int(maximum))) - 1 if maximum >= 1 else 0
    base = Decimal(10) ** exponent
    for step in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10)):
        if step * base >= maximum:
            return step * base
    return Decimal(10) * base


def _open(chart_id: str, height: int, title: str, desc: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" '
        f'preserveAspectRatio="xMinYMin meet" role="img" class="chart" id={quoteattr(chart_id)} '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def _description(points: list[Point], x_label: str, y_label: str) -> str:
    return f"{y_label} / {x_label}: " + "; ".join(f"{p.label}: {number(p.value)}" for p in points)


def _empty(chart_id: str, title: str, empty_text: str) -> str:
    parts = _open(chart_id, 60, title, empty_text)
    parts.append(f'<text x="{MARGIN}" y="34" fill="{INK}">{escape(empty_text)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(points: list[Point], *, chart_id: str, title: str, x_label: str, y_label: str,
              empty_text: str) -> str:
    """Horizontal bars (long category names stay readable on a phone); bar length ∝ value."""
    if not points:
        return _empty(chart_id, title, empty_text)
    top = nice_top(max(p.value for p in points))
    plot_left = MARGIN + LABEL_WIDTH
    plot_width = WIDTH - plot_left - MARGIN - 60  # room for the value printed after the bar
    plot_top = MARGIN
    plot_height = len(points) * (BAR_HEIGHT + BAR_GAP)
    height = plot_top + plot_height + AXIS_SPACE + MARGIN
    parts = _open(chart_id, height, title, _description(points, x_label, y_label))
    axis_y = plot_top + plot_height
    for tick in range(5):
        x = plot_left + plot_width * tick / 4
        parts.append(f'<line x1="{x:.1f}" y1="{plot_top}" x2="{x:.1f}" y2="{axis_y}" stroke="{GRID}" '
                     f'stroke-dasharray="2,3"/>')
        parts.append(f'<text x="{x:.1f}" y="{axis_y + 16}" text-anchor="middle" fill="{INK}">'
                     f'{escape(number(top * tick / 4))}</text>')
    for index, point in enumerate(points):
        y = plot_top + index * (BAR_HEIGHT + BAR_GAP)
        width = float(max(point.value, Decimal(0)) / top) * plot_width
        parts.append(f'<text x="{plot_left - 6}" y="{y + BAR_HEIGHT * 0.7:.1f}" text-anchor="end" fill="{INK}">'
                     f'{escape(_cut(point.label))}</text>')
        parts.append(f'<rect class="bar" x="{plot_left}" y="{y}" width="{width:.2f}" height="{BAR_HEIGHT}" '
                     f'fill="{BRAND}" data-value="{point.value}"><title>{escape(point.label)}: '
                     f'{escape(number(point.value))}</title></rect>')
        parts.append(f'<text x="{plot_left + width + 4:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" fill="{INK}">'
                     f'{escape(number(point.value))}</text>')
    parts.append(f'<line x1="{plot_left}" y1="{plot_top}" x2="{plot_left}" y2="{axis_y}" stroke="{INK}"/>')
    parts.append(f'<text class="axis-label" x="{plot_left + plot_width / 2:.1f}" y="{axis_y + 32}" '
                 f'text-anchor="middle" fill="{INK}">{escape(y_label)}</text>')
    parts.append(f'<text class="axis-label" x="{MARGIN}" y="{plot_top - 4 if plot_top > 12 else 12}" '
                 f'fill="{INK}" font-size="11">{escape(x_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def line_chart(points: list[Point], *, chart_id: str, title: str, x_label: str, y_label: str,
               empty_text: str) -> str:
    """A line over ordered categories (months, years): point height ∝ value, zero at the bottom axis."""
    if not points:
        return _empty(chart_id, title, empty_text)
    top = nice_top(max(p.value for p in points))
    plot_left, plot_right = MARGIN + 70, WIDTH - MARGIN
    plot_top, plot_bottom = MARGIN + 8, LINE_HEIGHT - AXIS_SPACE - MARGIN
    plot_width, plot_height = plot_right - plot_left, plot_bottom - plot_top
    parts = _open(chart_id, LINE_HEIGHT, title, _description(points, x_label, y_label))
    for tick in range(5):
        y = plot_bottom - plot_height * tick / 4
        parts.append(f'<line x1="{plot_left}" y1="{y:.1f}" x2="{plot_right}" y2="{y:.1f}" stroke="{GRID}" '
                     f'stroke-dasharray="2,3"/>')
        parts.append(f'<text x="{plot_left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{INK}">'
                     f'{escape(number(top * tick / 4))}</text>')
    step = plot_width / max(len(points) - 1, 1)
    coordinates = []
    for index, point in enumerate(points):
        x = plot_left + step * index if len(points) > 1 else plot_left + plot_width / 2
        y = plot_bottom - float(max(point.value, Decimal(0)) / top) * plot_height
        coordinates.append((x, y))
    parts.append(f'<polyline fill="none" stroke="{BRAND}" stroke-width="2.5" points="'
                 + " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates) + '"/>')
    every = max(1, len(points) // 8)  # at most about eight category labels, so they never overlap
    for index, ((x, y), point) in enumerate(zip(coordinates, points, strict=True)):
        parts.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{BRAND}" '
                     f'data-value="{point.value}"><title>{escape(point.label)}: {escape(number(point.value))}'
                     f'</title></circle>')
        if index % every == 0 or index == len(points) - 1:
            parts.append(f'<text x="{x:.1f}" y="{plot_bottom + 16}" text-anchor="middle" fill="{INK}" '
                         f'font-size="11">{escape(_cut(point.label, 12))}</text>')
    parts.append(f'<line x1="{plot_left}" y1="{plot_bottom}" x2="{plot_right}" y2="{plot_bottom}" '
                 f'stroke="{INK}"/>')
    parts.append(f'<text class="axis-label" x="{plot_left + plot_width / 2:.1f}" y="{LINE_HEIGHT - MARGIN + 4}" '
                 f'text-anchor="middle" fill="{INK}">{escape(x_label)}</text>')
    parts.append(f'<text class="axis-label" x="{MARGIN}" y="{plot_top - 8 if plot_top > 16 else 12}" '
                 f'fill="{INK}" font-size="11">{escape(y_label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def render(table, chart, *, empty_text: str) -> str:
    """The SVG for an indicator's Table (bars or line as its Chart says); axes named after the columns."""
    labels = {column.key: str(column.label) for column in table.columns}
    draw = line_chart if chart.kind == "line" else bar_chart
    return draw(series(table, chart), chart_id=f"chart-{table.indicator}", title=table.title,
                x_label=labels.get(chart.label, chart.label), y_label=labels.get(chart.value, chart.value),
                empty_text=empty_text)
