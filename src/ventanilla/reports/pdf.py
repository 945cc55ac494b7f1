"""The monthly report (`ventanilla report --month YYYY-MM` and /tablero/reporte/YYYY-MM.pdf): every indicator for
that month, its chart and its numbers. The chart is drawn with ReportLab graphics from charts.series, the same
(label, value) pairs the dashboard's SVG draws: one data path."""

import calendar
import io
from datetime import date
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart
from reportlab.graphics.charts.lineplots import LinePlot
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import LETTER
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import inch
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ventanilla.reports import charts, indicators
from ventanilla.reports.indicators import Filters, Scope

BRAND = colors.Color(0x69 / 255, 0x1C / 255, 0x32 / 255)  # the site's --brand
LINE = colors.Color(0.85, 0.84, 0.81)
CHART_WIDTH = 6.5 * inch
MAX_TABLE_ROWS = 40  # a longer table is cut in print (the CSV/XLSX export has every row); the PDF says so
MAX_CHART_BARS = 30  # more bars would not fit one page: the chart draws the series' first ones and says so


def month_filters(first: date) -> Filters:
    last = date(first.year, first.month, calendar.monthrange(first.year, first.month)[1])
    return Filters(start=first, end=last)


def month_tables(first: date, *, user=None) -> list:
    """(indicator, Table) for every registered indicator over the month. With a user, their scope applies
    (an officer gets their consulate); without one (the command on the server), every consulate."""
    filters = month_filters(first)
    result = []
    for indicator in indicators.indicators_for():
        if user is not None:
            table = indicators.compute(user, indicator.name, filters)
        else:
            table = indicator.compute(Scope(consulate=None), filters)
        result.append((indicator, table))
    return result


def _chart_drawing(table, chart) -> Drawing | None:
    points = charts.series(table, chart)
    if not points:
        return None
    values = [float(p.value) for p in points]  # drawing coordinates only; the figures printed are the table's
    top = float(charts.nice_top(max(p.value for p in points)))
    if chart.kind == "line":
        drawing = Drawing(CHART_WIDTH, 2.6 * inch)
        plot = LinePlot()
        plot.x, plot.y, plot.width, plot.height = 50, 30, CHART_WIDTH - 70, 2.6 * inch - 50
        plot.data = [list(enumerate(values))]
        plot.lines[0].strokeColor = BRAND
        plot.lines[0].strokeWidth = 2
        plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = 0, top
        plot.xValueAxis.valueMin, plot.xValueAxis.valueMax = 0, max(len(values) - 1, 1)
        every = max(1, len(points) // 8)
        plot.xValueAxis.valueSteps = list(range(0, len(points), every))
        plot.xValueAxis.labelTextFormat = lambda i: points[int(i)].label[:10] if 0 <= int(i) < len(points) else ""
        drawing.add(plot)
    else:
        points = points[:MAX_CHART_BARS]
        values = values[:MAX_CHART_BARS]
        height = 30 + 18 * len(points)
        drawing = Drawing(CHART_WIDTH, height)
        bars = HorizontalBarChart()
        bars.x, bars.y, bars.width, bars.height = 150, 20, CHART_WIDTH - 190, height - 30
        bars.data = [list(reversed(values))]  # ReportLab draws the first category at the bottom
        bars.categoryAxis.categoryNames = [p.label[:28] for p in reversed(points)]
        bars.categoryAxis.labels.fontSize = 8
        bars.valueAxis.valueMin, bars.valueAxis.valueMax = 0, top
        bars.bars[0].fillColor = BRAND
        drawing.add(bars)
    labels = {c.key: str(c.label) for c in table.columns}
    drawing.add(String(0, drawing.height - 10, f"{labels.get(chart.value, chart.value)} / "
                       f"{labels.get(chart.label, chart.label)}", fontSize=8))
    return drawing


def _cell(value) -> str:
    if value is None:
        return "—"
    return str(indicators.plain(value))


def monthly_report_pdf(tables: list, first: date) -> bytes:
    styles = getSampleStyleSheet()
    out = io.BytesIO()
    month = first.strftime("%Y-%m")
    document = SimpleDocTemplate(out, pagesize=LETTER, title=_("Reporte mensual %(month)s") % {"month": month},
                                 author="Ventanilla", leftMargin=54, rightMargin=54, topMargin=54, bottomMargin=54)
    story = [Paragraph(escape(_("Reporte mensual %(month)s") % {"month": month}), styles["Title"]),
             Paragraph(escape(_("Generado el %(when)s") % {"when": timezone.localtime().strftime("%Y-%m-%d %H:%M")}),
                       styles["Normal"]), Spacer(1, 12)]
    if not tables:
        story.append(Paragraph(escape(_("Aún no hay indicadores registrados.")), styles["Normal"]))
    for indicator, table in tables:
        story.append(Paragraph(escape(table.title), styles["Heading2"]))
        story.append(Paragraph(escape(indicators.computed_label(table)), styles["Normal"]))
        drawing = _chart_drawing(table, indicator.chart) if indicator.chart else None
        if drawing is not None:
            story += [Spacer(1, 6), drawing]
            if indicator.chart.kind == "bar" and len(charts.series(table, indicator.chart)) > MAX_CHART_BARS:
                story.append(Paragraph(escape(_("El gráfico muestra las primeras %(n)s categorías; la tabla y la "
                                                "exportación tienen todas.") % {"n": MAX_CHART_BARS}),
                                       styles["Normal"]))
        rows = [[str(c.label) for c in table.columns]]
        rows += [[_cell(row.get(c.key)) for c in table.columns] for row in table.rows[:MAX_TABLE_ROWS]]
        if len(rows) == 1:
            story.append(Paragraph(escape(_("Sin datos para estos filtros.")), styles["Normal"]))
        else:
            grid = Table(rows, repeatRows=1)
            grid.setStyle(TableStyle([("FONTSIZE", (0, 0), (-1, -1), 8), ("TEXTCOLOR", (0, 0), (-1, 0), BRAND),
                                      ("LINEBELOW", (0, 0), (-1, -1), 0.5, LINE)]))
            story += [Spacer(1, 6), grid]
        if len(table.rows) > MAX_TABLE_ROWS:
            story.append(Paragraph(escape(_("Se muestran %(shown)s de %(total)s filas; la exportación CSV las "
                                            "tiene todas.") % {"shown": MAX_TABLE_ROWS,
                                                               "total": len(table.rows)}), styles["Normal"]))
        if table.suppressed:
            story.append(Paragraph(escape(_("Filas no mostradas por contar menos de 5 personas: %(n)s") % {
                "n": table.suppressed}), styles["Normal"]))
        story.append(Paragraph(escape(_("Fuente: %(source)s") % {"source": indicator.source}), styles["Normal"]))
        for note in table.notes:
            story.append(Paragraph(escape(note), styles["Normal"]))
        story.append(Spacer(1, 14))
    document.build(story)
    return out.getvalue()
