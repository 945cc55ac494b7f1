"""The coverage certificate (constancia de vigencia de derechos): one Letter page in Spanish or English with
the worker, their status on a date, the covered run, the beneficiaries and a QR code to verify it.

The QR code holds the affiliation id, the date, the status and a short keyed check (HMAC with the site's
secret): nothing personal, and a forged status does not match its check.
"""

import io
import textwrap
from datetime import date

from django.utils import formats, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 54
BRAND = Color(0x69 / 255, 0x1C / 255, 0x32 / 255)  # the site's --brand
MUTED = Color(0.36, 0.36, 0.34)
LINE = Color(0.85, 0.84, 0.81)
QR_SIZE = 110
VERIFICATION_SALT = "ventanilla.imss.certificate"

COVERAGE_LABELS = {
    "covered": gettext_lazy("Vigente"),
    "conservation": gettext_lazy("En conservación de derechos"),
    "not_covered": gettext_lazy("Sin derechos vigentes"),
    "pending_nss": gettext_lazy("En espera de NSS"),
}


def verification_string(affiliation_id: int, on: date, status: str) -> str:
    """What the QR code holds: VNT-IMSS|affiliation id|date|status|check (12 hex characters)."""
    body = f"VNT-IMSS|{affiliation_id}|{on.isoformat()}|{status}"
    return f"{body}|{salted_hmac(VERIFICATION_SALT, body).hexdigest()[:12].upper()}"


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


def certificate_pdf(affiliation, *, on: date, coverage, weeks, beneficiaries: list[dict], issued_on: date,
                    language: str = "es") -> bytes:
    """`coverage` is selectors.coverage(...) on `on`; `beneficiaries` are selectors.beneficiary_coverage(...)
    rows, each with "reasons" (sentences in `language`) and "last_day" (last day of the right, or None)."""
    buffer = io.BytesIO()
    with translation.override(language):
        canvas = Canvas(buffer, pagesize=LETTER, pageCompression=1)
        canvas.setTitle(_("Constancia de vigencia de derechos"))
        canvas.setAuthor("Ventanilla")
        canvas.setSubject(_("IMSS: afiliación de personas trabajadoras en el exterior"))
        _draw(canvas, affiliation, on, coverage, weeks, beneficiaries, issued_on)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def _covered_period(coverage) -> str:
    if coverage.covered_from and coverage.covered_until:
        return _("del %(start)s al %(end)s") % {"start": _date(coverage.covered_from),
                                               "end": _date(coverage.covered_until)}
    return "—"


def _draw(canvas: Canvas, affiliation, on, coverage, weeks, beneficiaries, issued_on) -> None:
    left, right = MARGIN, PAGE_WIDTH - MARGIN
    top = PAGE_HEIGHT - MARGIN
    person = affiliation.person

    canvas.setFillColor(BRAND)
    canvas.rect(0, top - 8, PAGE_WIDTH, MARGIN + 8, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(left, top + 22, _("Constancia de vigencia de derechos"))
    canvas.setFont("Helvetica", 10)
    canvas.drawString(left, top + 6, _("IMSS · personas trabajadoras en el exterior"))

    y = top - 40
    status = COVERAGE_LABELS.get(coverage.status, coverage.status)
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(left, y, _("Estado el %(date)s") % {"date": _date(on)})
    canvas.setFillColor(black)
    canvas.setFont("Helvetica-Bold", 22)
    canvas.drawString(left, y - 26, str(status))

    payload = verification_string(affiliation.pk, on, coverage.status)
    widget = QrCodeWidget(payload, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, canvas, right - QR_SIZE, y - QR_SIZE + 10)

    y -= 64
    rows = [
        (_("Nombre"), person.full_name),
        ("CURP", person.curp),
        ("NSS", person.nss or _("en trámite")),
        (_("Periodo cubierto"), _covered_period(coverage)),
        (_("Atención médica en conservación hasta"), _date(coverage.medical_until)),
        (_("Semanas cotizadas"), f"{weeks:.2f}"),
        (_("Consulado"), str(affiliation.consulate or "—")),
    ]
    canvas.setStrokeColor(LINE)
    for label, value in rows:
        canvas.line(left, y + 14, right - QR_SIZE - 10, y + 14)
        canvas.setFillColor(MUTED)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(left, y, label)
        canvas.setFillColor(black)
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(left + 190, y, str(value)[:48])
        y -= 24
    canvas.line(left, y + 14, right - QR_SIZE - 10, y + 14)

    y -= 16
    canvas.setFillColor(BRAND)
    canvas.setFont("Helvetica-Bold", 13)
    canvas.drawString(left, y, _("Beneficiarios"))
    y -= 20
    canvas.setFont("Helvetica", 10)
    canvas.setFillColor(black)
    if not beneficiaries:
        canvas.drawString(left, y, _("Sin beneficiarios registrados."))
        y -= 16
    for row in beneficiaries:
        beneficiary = row["beneficiary"]
        covered = _("con derecho") if row["covered"] else _("sin derecho")
        line = f"{beneficiary.person.full_name} · {beneficiary.get_relationship_display()} · {covered}"
        if row["covered"] and row.get("last_day"):
            line += " " + _("hasta el %(date)s") % {"date": _date(row["last_day"])}
        canvas.drawString(left, y, line[:100])
        y -= 14
        canvas.setFillColor(MUTED)
        for reason in row.get("reasons", ()):
            for text in textwrap.wrap(reason, 100):
                canvas.drawString(left + 14, y, text)
                y -= 12
        canvas.setFillColor(black)
        y -= 4
        if y < MARGIN + 80:
            break

    y = MARGIN + 40
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 9)
    notes = [
        _("Emitida el %(date)s. La vigencia depende de los pagos registrados a esa fecha.") % {
            "date": _date(issued_on)},
        _("Código de verificación: %(code)s") % {"code": payload},
    ]
    for note in notes:
        canvas.drawString(left, y, note)
        y -= 12
