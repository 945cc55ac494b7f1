"""The payment slip (ficha de pago): one Letter page with the reference, what it pays, by when, how to pay,
a Code 128 barcode of the code and a QR code (code|amount|due date: nothing personal).

Drawn straight on a ReportLab canvas with the 14 standard fonts, so nothing is registered or parsed per
slip; a slip takes a few milliseconds (bench: ≥ 100 slips a second on one core).
"""

import io
import textwrap
from decimal import Decimal

from django.http import HttpResponse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from reportlab.graphics.barcode import qrencoder
from reportlab.graphics.barcode.code128 import Code128
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from ventanilla.payments.references import format_reference

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 54
BRAND = Color(0x69 / 255, 0x1C / 255, 0x32 / 255)  # the site's --brand
MUTED = Color(0.36, 0.36, 0.34)
LINE = Color(0.85, 0.84, 0.81)
QR_SIZE = 120
QR_MASK_PATTERN = 2  # any of the eight is valid; see _draw_qr


def qr_payload(reference) -> str:
    """What the QR code holds: code, amount and due date, separated by "|"; nothing about the person."""
    return f"{reference.code}|{Decimal(reference.amount):.2f}|{reference.due_date.isoformat()}"


def money(amount) -> str:
    return f"${Decimal(amount):,.2f} MXN"


def reference_slip_pdf(reference, language: str = "es") -> bytes:
    """The slip of `reference` (a PaymentReference with its person) in Spanish or English."""
    buffer = io.BytesIO()
    with translation.override(language):
        canvas = Canvas(buffer, pagesize=LETTER, pageCompression=0)  # 8 kB instead of 4 kB, a third faster
        canvas.setTitle(_("Ficha de pago") + " " + format_reference(reference.code))
        canvas.setAuthor("Ventanilla")
        canvas.setSubject(_("Referencia de pago"))
        _draw(canvas, reference)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()


def slip_response(reference) -> HttpResponse:
    """The slip as an HTTP answer in the active language (screens and API share it)."""
    response = HttpResponse(reference_slip_pdf(reference, translation.get_language() or "es"),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ficha-{reference.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def _draw(canvas: Canvas, reference) -> None:
    left, right = MARGIN, PAGE_WIDTH - MARGIN
    top = PAGE_HEIGHT - MARGIN

    canvas.setFillColor(BRAND)
    canvas.rect(0, top - 8, PAGE_WIDTH, MARGIN + 8, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont("Helvetica-Bold", 20)
    canvas.drawString(left, top + 14, _("Ficha de pago"))
    canvas.setFont("Helvetica", 10)
    canvas.drawRightString(right, top + 16, _("IMSS e Infonavit para mexicanos en el exterior"))

    y = top - 44
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(left, y, _("Referencia de pago (línea de captura)"))
    canvas.setFillColor(black)
    canvas.setFont("Courier-Bold", 24)
    canvas.drawString(left, y - 28, format_reference(reference.code))

    barcode = Code128(reference.code, barHeight=42, barWidth=1.0, humanReadable=False, quiet=False)
    barcode.drawOn(canvas, left, y - 86)

    _draw_qr(canvas, qr_payload(reference), right - QR_SIZE, y - 100, QR_SIZE)

    y -= 130
    rows = [
        (_("Nombre"), reference.person.full_name),
        (_("Concepto"), reference.description),
        (_("Importe a pagar"), money(reference.amount)),
        (_("Periodo"), _("del %(start)s al %(end)s") % {"start": _date(reference.period_start),
                                                       "end": _date(reference.period_end)}),
        (_("Fecha límite de pago"), _date(reference.due_date)),
    ]
    canvas.setStrokeColor(LINE)
    for label, value in rows:
        canvas.line(left, y + 14, right, y + 14)
        canvas.setFillColor(MUTED)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(left, y, label)
        canvas.setFillColor(black)
        canvas.setFont("Helvetica-Bold", 12)
        canvas.drawString(left + 150, y, value[:70])
        y -= 26
    canvas.line(left, y + 14, right, y + 14)

    y -= 20
    canvas.setFillColor(BRAND)
    canvas.setFont("Helvetica-Bold", 14)
    canvas.drawString(left, y, _("Cómo pagar"))
    steps = [
        (_("Transferencia SPEI"),
         _("Desde la aplicación o el portal de su banco: escriba la referencia de 20 caracteres, sin espacios, "
           "en el campo «referencia» o «concepto».")),
        (_("Ventanilla bancaria"),
         _("En cualquier sucursal de un banco participante en México: presente esta ficha o dicte la "
           "referencia.")),
        (_("Aplicación Finabien"),
         _("Desde Estados Unidos o México, en la aplicación de Finabien: capture la referencia de 20 "
           "caracteres.")),
    ]
    y -= 24
    for number, (title, text) in enumerate(steps, start=1):
        canvas.setFillColor(black)
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(left, y, f"{number}. {title}")
        canvas.setFont("Helvetica", 10)
        for line in textwrap.wrap(text, 95):
            y -= 14
            canvas.drawString(left + 14, y, line)
        y -= 22

    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 9)
    notes = [
        _("Pague el importe exacto a más tardar en la fecha límite. Después la referencia vence y debe pedir una "
          "nueva en Mi Cuenta o en su consulado."),
        _("Los códigos de esta ficha solo contienen la referencia, el importe y la fecha límite."),
    ]
    for note in notes:
        for line in textwrap.wrap(note, 110):
            canvas.drawString(left, y, line)
            y -= 12
        y -= 4


def _draw_qr(canvas: Canvas, payload: str, x: float, y: float, size: float) -> None:
    """A QR code (ISO/IEC 18004, level M) drawn as one filled path of horizontal runs.

    ReportLab's QR widget builds a shape per module and picks the mask pattern by trying all eight, about
    60 ms a slip in pure Python. A fixed mask is as valid (readers take it from the format bits), and one
    literal path in module units keeps the page small and the slip at a few milliseconds."""
    qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    qr.addData(payload)
    qr.version = qr.calculate_version()
    qr.makeImpl(False, QR_MASK_PATTERN)
    count = qr.getModuleCount()
    quiet = 4  # the quiet zone the standard asks for, in modules
    module = size / (count + 2 * quiet)
    runs = []
    for row_index, row in enumerate(qr.modules):
        top = count - 1 - row_index + quiet
        start = None
        for col, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col
            elif not dark and start is not None:
                runs.append(f"{start + quiet} {top} {col - start} 1 re")
                start = None
    canvas.saveState()
    canvas.translate(x, y)
    canvas.scale(module, module)
    canvas.setFillColor(black)
    canvas.addLiteral("\n".join(runs) + "\nf")
    canvas.restoreState()
