"""Every indicator's Table as CSV (UTF-8 with a byte-order mark, so Excel opens the accents right) or XLSX
(XlsxWriter). Header rows are the column labels; cells are the API's values (reports.indicators.plain). After the
rows, one blank line and the line saying when and how the figures were computed (reports.indicators.computed_label)."""

import csv
import io
from decimal import Decimal

import xlsxwriter

from ventanilla.reports.indicators import Table, computed_label, plain

CSV_BOM = "\ufeff"


def table_csv(table: Table) -> str:
    """The table as CSV text, one line per row, numbers with a dot; the caller encodes it as UTF-8."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows:
        writer.writerow(["" if row.get(c.key) is None else plain(row.get(c.key)) for c in table.columns])
    writer.writerow([])
    writer.writerow([computed_label(table)])
    return out.getvalue()


def _cell(value):
    """Numbers stay numbers in the sheet (so they sum): Excel keeps every number as a double, so a Decimal is
    handed over as one; the exact centavos are the CSV's and the API's decimal strings."""
    if isinstance(value, Decimal):
        return float(value)
    return plain(value)


def table_xlsx(table: Table) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, {"in_memory": True})
    sheet = workbook.add_worksheet(table.indicator[:31])  # Excel's sheet-name limit
    bold = workbook.add_format({"bold": True})
    formats = {"money": workbook.add_format({"num_format": "#,##0.00"}),
               "decimal": workbook.add_format({"num_format": "#,##0.00"}),
               "percent": workbook.add_format({"num_format": "0.00"}),
               "int": workbook.add_format({"num_format": "#,##0"})}
    for col, column in enumerate(table.columns):
        sheet.write(0, col, str(column.label), bold)
        sheet.set_column(col, col, max(12, len(str(column.label)) + 2))
    for line, row in enumerate(table.rows, start=1):
        for col, column in enumerate(table.columns):
            value = row.get(column.key)
            if value is None:
                continue
            sheet.write(line, col, _cell(value), formats.get(column.kind))
    sheet.write(len(table.rows) + 2, 0, computed_label(table))
    workbook.close()
    return out.getvalue()
