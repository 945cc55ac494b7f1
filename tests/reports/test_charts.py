"""Charts: well-formed, accessible SVG; bars proportional to the values; an empty series says so."""

import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from decimal import Decimal

from ventanilla.reports.charts import Point, bar_chart, line_chart, nice_top, render, series
from ventanilla.reports.indicators import Chart, Column, Table

SVG = "{http://www.w3.org/2000/svg}"


def _table(rows):
    return Table("demo", "Demostración <&>", [Column("name", "Consulado", "text"), Column("n", "Personas")],
                 rows, datetime(2026, 11, 1, tzinfo=UTC))


def test_bars_are_proportional_and_the_svg_is_accessible():
    table = _table([{"name": "Los Ángeles", "n": 40}, {"name": "Chicago", "n": 10}, {"name": "Dallas", "n": 20}])
    svg = render(table, Chart("bar", "name", "n"), empty_text="Sin datos")
    root = ET.fromstring(svg)  # well-formed XML (the title's <&> escaped)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "chart-demo-title chart-demo-desc"
    assert root.find(f"{SVG}title").text == "Demostración <&>"
    description = root.find(f"{SVG}desc").text
    assert "Los Ángeles: 40" in description and "Chicago: 10" in description and "Dallas: 20" in description
    bars = [(rect.get("data-value"), float(rect.get("width"))) for rect in root.iter(f"{SVG}rect")]
    assert [value for value, _ in bars] == ["40", "10", "20"]
    widths = dict(bars)
    assert widths["40"] == 4 * widths["10"] and widths["20"] == 2 * widths["10"]
    axis_labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "axis-label"]
    assert axis_labels == ["Personas", "Consulado"]
    assert root.get("viewBox").startswith("0 0 640 ") and root.get("width") == "100%"  # scales to a phone


def test_line_points_rise_with_the_values():
    points = [Point("2026-01", Decimal("10")), Point("2026-02", Decimal("30")), Point("2026-03", Decimal("20"))]
    root = ET.fromstring(line_chart(points, chart_id="c", title="t", x_label="Mes", y_label="Pagos",
                                     empty_text="-"))
    ys = [float(c.get("cy")) for c in root.iter(f"{SVG}circle")]
    bottom = max(float(line.get("y1")) for line in root.iter(f"{SVG}line"))
    heights = [bottom - y for y in ys]
    assert abs(heights[1] - 3 * heights[0]) < 0.2 and abs(heights[2] - 2 * heights[0]) < 0.2
    assert root.find(f"{SVG}polyline") is not None


def test_empty_series_draws_no_bar_and_says_why():
    svg = bar_chart([], chart_id="e", title="Vacío", x_label="x", y_label="y", empty_text="Sin datos para estos filtros.")
    root = ET.fromstring(svg)
    assert list(root.iter(f"{SVG}rect")) == []
    assert "Sin datos para estos filtros." in svg and root.find(f"{SVG}desc").text == "Sin datos para estos filtros."


def test_series_skips_missing_values_and_keeps_decimals_exact():
    table = _table([{"name": "A", "n": Decimal("1234.56")}, {"name": "B", "n": None}])
    assert series(table, Chart("bar", "name", "n")) == [Point("A", Decimal("1234.56"))]
    assert nice_top(Decimal("1234.56")) == Decimal(2000) and nice_top(Decimal(0)) == 1
