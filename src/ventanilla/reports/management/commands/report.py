"""`ventanilla report --month YYYY-MM [--output PATH]`: the monthly report as a PDF, every indicator for every
consulate (run on the server by an operator: no reader's scope applies)."""

from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management.base import BaseCommand

from ventanilla.reports import pdf
from ventanilla.reports.views import parse_month


def _month(text: str):
    try:
        return parse_month(text)
    except ValueError:
        raise ArgumentTypeError(f"expected YYYY-MM, got {text!r}") from None


class Command(BaseCommand):
    help = "The monthly report (PDF): every tablero indicator for the month, with its chart and numbers."

    def add_arguments(self, parser):
        parser.add_argument("--month", type=_month, required=True, help="YYYY-MM")
        parser.add_argument("--output", type=Path, help="where to write the PDF (default: reporte-YYYY-MM.pdf)")

    def handle(self, *args, month, output, **options):
        tables = pdf.month_tables(month)
        path = output or Path(f"reporte-{month:%Y-%m}.pdf")
        path.write_bytes(pdf.monthly_report_pdf(tables, month))
        self.stdout.write(f"{path}: {len(tables)} indicators, {sum(len(t.rows) for _i, t in tables)} rows")
