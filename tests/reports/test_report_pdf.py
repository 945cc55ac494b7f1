"""The monthly report: `ventanilla report --month` and /tablero/reporte/YYYY-MM.pdf, read back with pypdf."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.test import Client
from pypdf import PdfReader

from tests.conftest import make_user
from tests.reports import dashboards_world
from ventanilla.people.models import Person, Role
from ventanilla.reports import indicators

pytestmark = pytest.mark.django_db
persons = dashboards_world.persons  # the fixture


def _text(content: bytes) -> str:
    """The PDF's words with one space between them (long titles wrap over lines)."""
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _november(persons) -> None:
    # Registered in November 2026, apart from one Los Angeles person registered in October.
    Person.objects.update(created_at="2026-11-10T12:00:00Z")
    Person.objects.filter(pk=Person.objects.filter(consulate=persons["la"]).first().pk).update(
        created_at="2026-10-10T12:00:00Z")


def test_command_writes_every_indicator_for_the_month(persons, tmp_path):
    _november(persons)
    output = tmp_path / "nov.pdf"
    out = io.StringIO()
    call_command("report", "--month", "2026-11", "--output", str(output), stdout=out)
    assert f"{output}: {len(indicators.REGISTRY)} indicators" in out.getvalue()
    text = _text(output.read_bytes())
    assert "Reporte mensual 2026-11" in text
    for indicator in indicators.REGISTRY.values():
        assert str(indicator.title) in text
    assert "US-LOS-ANGELES Consulado General de México en Los Ángeles US 6" in text  # one was October's
    assert "US-CHICAGO Consulado General de México en Chicago US 5" in text
    assert "Filas no mostradas por contar menos de 5 personas: 2" in text  # Houston's 2, San Diego's 5 with them


def test_download_is_scoped_to_the_officer_and_a_bad_month_is_404(persons):
    _november(persons)
    officer = Client()
    officer.force_login(make_user(Role.CONSULAR_OFFICER, consulate=persons["chicago"]))
    response = officer.get("/tablero/reporte/2026-11.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _text(response.content)
    assert "US-CHICAGO Consulado General de México en Chicago US 5" in text and "US-LOS-ANGELES" not in text
    assert officer.get("/tablero/reporte/2026-13.pdf").status_code == 404
    assert officer.get("/tablero/reporte/noviembre.pdf").status_code == 404


def test_pdf_chart_draws_the_same_series_as_the_svg(persons):
    from ventanilla.reports import charts, pdf

    _november(persons)
    tables = dict(pdf.month_tables(date(2026, 11, 1)))
    indicator = indicators.get_indicator("persons_by_consulate")
    table = tables[indicator]
    drawing = pdf._chart_drawing(table, indicator.chart)
    bars = drawing.contents[0]
    assert bars.data == [[float(p.value) for p in reversed(charts.series(table, indicator.chart))]] == [[5.0, 6.0]]


def test_a_long_bar_series_fits_the_page_and_the_pdf_says_it_is_cut():
    from datetime import UTC, datetime

    from ventanilla.reports import pdf
    from ventanilla.reports.indicators import Table

    indicator = indicators.get_indicator("persons_by_consulate")
    rows = [{"code": f"C{i}", "name": f"Consulado {i}", "country": "US", "persons": 100 - i} for i in range(80)]
    columns = indicator.compute(indicators.Scope(consulate=None), indicators.Filters()).columns
    table = Table(indicator.name, "Muchos consulados", columns, rows, datetime(2026, 11, 30, tzinfo=UTC))
    drawing = pdf._chart_drawing(table, indicator.chart)
    assert len(drawing.contents[0].data[0]) == pdf.MAX_CHART_BARS and drawing.height < 672
    text = _text(pdf.monthly_report_pdf([(indicator, table)], date(2026, 11, 1)))
    assert "El gráfico muestra las primeras 30 categorías" in text and "Se muestran 40 de 80 filas" in text
