"""Infonavit documents as PDF (ReportLab, the 14 standard fonts, drawn on a canvas as imss/pdf.py and
payments/pdf.py): the statement and the constancia de intereses of a credit; the relief letters."""

import io
import textwrap
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import LETTER
from reportlab.pdfgen.canvas import Canvas

from ventanilla.infonavit.forms import SOLUTION_NAMES

PAGE_WIDTH, PAGE_HEIGHT = LETTER
MARGIN = 54
BRAND = Color(0x69 / 255, 0x1C / 255, 0x32 / 255)  # the site's --brand
MUTED = Color(0.36, 0.36, 0.34)
LINE = Color(0.85, 0.84, 0.81)


def money(amount) -> str:
    return f"${Decimal(amount):,.2f}"


def _date(value) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else "—"


# --- letters
# The letter of a relief-solution application (services "relief solutions"): the RC welcome letter with the
# modified financial conditions (before and after), or the new terms of any other solution.

def solution_letter(application, language: str = "es") -> bytes:
    """The letter of an application in `language`. RC: welcome to the pesos credit, old against new balance,
    rate, payment, term and the discount. The others: what changes, from when to when, and what ends it.
    An application not (yet) granted says so instead of promising terms."""
    return _document("Carta de solución Infonavit", application.code, language,
                     lambda canvas: _draw_letter(canvas, application))


def _amount(application, key: str):
    value = application.amounts.get(key)
    return None if value in (None, "") else Decimal(value)


def _shown(value) -> str:
    return "—" if value is None else money(value)


def _installment(payment, credit):
    return None if payment is None else payment + credit.monthly_insurance_and_fees


def _rc_rows(application) -> list[tuple[str, str, str]]:
    credit, new_terms = application.credit, application.new_terms
    discount = _amount(application, "discount") or Decimal(0)
    new_balance = _amount(application, "balance_after") or _amount(application, "new_balance")
    old_balance = _amount(application, "balance_before")
    if old_balance is None and new_balance is not None:
        old_balance = new_balance + discount
    old_payment = _installment(_amount(application, "previous_monthly_payment"), credit)
    months = new_terms.get("remaining_months", "—")
    return [
        (_("Denominación"), _("Veces salario mínimo (VSM)"), _("Pesos")),
        (_("Saldo"), _shown(old_balance), _shown(new_balance)),
        (_("Tasa anual"), f"{application.amounts.get('previous_rate', '—')} %", f"{application.amounts.get('rate')} %"),
        (_("Pago mensual (con seguros y comisiones)"), _shown(old_payment),
         _shown(_amount(application, "monthly_payment"))),
        (_("Plazo restante (meses)"), str(months), str(months)),
        (_("Actualización anual del saldo"), _("Sí"), _("No")),
        (_("Descuento"), "—", _shown(discount)),
    ]


def _compare(canvas: Canvas, y: float, rows: list[tuple[str, str, str]]) -> float:
    canvas.setFont("Helvetica-Bold", 9)
    canvas.setFillColor(MUTED)
    canvas.drawRightString(MARGIN + 360, y, _("Antes"))
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y, _("Ahora"))
    canvas.setFillColor(black)
    y -= 16
    canvas.setStrokeColor(LINE)
    for label, before, after in rows:
        canvas.line(MARGIN, y + 12, PAGE_WIDTH - MARGIN, y + 12)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(MARGIN, y, label)
        canvas.drawRightString(MARGIN + 360, y, before)
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, y, after)
        y -= 20
    return y


def _terms_rows(application) -> list[tuple[str, str]]:
    credit, code = application.credit, application.code
    rows = []
    if code == "DLA":
        rows += [(_("Importe a pagar en una sola exhibición"), _shown(_amount(application, "amount_to_pay"))),
                 (_("Descuento"), _shown(_amount(application, "discount"))),
                 (_("Pague a más tardar el"), _date(application.ends_on))]
    elif code == "BCN":
        rows += [(_("Pagos vencidos que pasan al saldo"), _shown(_amount(application, "capitalized"))),
                 (_("Bonificación por mantenerse al corriente"), _shown(_amount(application, "reward"))),
                 (_("Pago mensual (con seguros y comisiones)"),
                  _shown(_installment(_amount(application, "previous_monthly_payment"), credit)))]
    else:
        rows += [(_("Pago mensual anterior (con seguros y comisiones)"),
                  _shown(_installment(_amount(application, "previous_monthly_payment"), credit))),
                 (_("Nuevo pago mensual (con seguros y comisiones)"), _shown(_amount(application, "monthly_payment")))]
    rows.append((_("Vigente desde"), _date(application.starts_on)))
    if code != "DLA":
        rows.append((_("Vigente hasta"), _date(application.ends_on) if application.ends_on else
                     _("hasta que algo la termine")))
    return rows


_ENDS = {
    "JUBILADOS": gettext_lazy("Termina si la persona acreditada obtiene un empleo formal."),
    "DCP": gettext_lazy("Se pierde si se omite un pago."),
    "STM": gettext_lazy("Puede renovarse si los pagos se hacen a tiempo."),
    "BCN": gettext_lazy("La bonificación se acredita tras tres pagos completos seguidos (o un pago bimestral completo "
                 "del patrón)."),
    "DLA": gettext_lazy("Pague el importe exacto en una sola exhibición: si paga menos, es un pago ordinario; si paga "
                 "más, se aplica el descuento y el excedente no se devuelve."),
    "PRORROGA": gettext_lazy("Durante la prórroga no se cobran intereses."),
}


def _draw_letter(canvas: Canvas, application) -> None:
    credit = application.credit
    name = str(SOLUTION_NAMES[application.code])
    title = _("Carta de bienvenida") if application.code == "RC" else _("Carta de nuevas condiciones")
    y = _banner(canvas, title, f"Infonavit · {name}")
    y = _rows(canvas, y, [*_credit_rows(credit), (_("Solicitud"), f"{application.pk} · "
                                                                 f"{application.get_status_display()}")])
    y -= 8
    granted = application.status in ("active", "completed", "ended")
    if application.status == "refused":
        y = _heading(canvas, y, _("Solicitud rechazada"))
        y = _paragraph(canvas, y, _("Motivo: %(reason)s") % {"reason": application.refusal_reason}, size=10)
    elif not granted:
        y = _heading(canvas, y, _("Solicitud en espera de aprobación"))
        y = _paragraph(canvas, y, _("Las condiciones siguientes son las propuestas; entran en vigor cuando una "
                                    "segunda persona del Infonavit apruebe la solicitud."), size=10)
        y -= 8
    if application.status != "refused":
        if application.code == "RC":
            if granted:
                y = _paragraph(canvas, y, _("Bienvenido a Responsabilidad Compartida: su crédito se convirtió a "
                                            "pesos, con saldo, tasa y pago fijos, sin actualización anual."),
                               size=10)
                y -= 8
            y = _heading(canvas, y, _("Condiciones financieras modificadas"))
            y = _compare(canvas, y, _rc_rows(application))
        else:
            y = _heading(canvas, y, _("Nuevas condiciones"))
            y = _rows(canvas, y, _terms_rows(application), width=260)
            ends = _ENDS.get(application.code)
            if ends:
                y = _paragraph(canvas, y - 6, str(ends), size=10)
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(MARGIN, MARGIN - 20, _("Importes en pesos. Términos no publicados por el Infonavit: "
                                             "valores supuestos, como se indica en el simulador."))
    canvas.showPage()



# --- statements
# The statement (saldos y movimientos) and the constancia de intereses; selectors.statement and
# selectors.interest_certificate give their figures.

ROW_HEIGHT = 14


def _document(title: str, subject: str, language: str, draw) -> bytes:
    buffer = io.BytesIO()
    with translation.override(language):
        canvas = Canvas(buffer, pagesize=LETTER, pageCompression=1)
        canvas.setTitle(_(title))
        canvas.setAuthor("Ventanilla")
        canvas.setSubject(subject)
        draw(canvas)
        canvas.save()
    return buffer.getvalue()


def _banner(canvas: Canvas, title: str, subtitle: str) -> float:
    top = PAGE_HEIGHT - MARGIN
    canvas.setFillColor(BRAND)
    canvas.rect(0, top - 8, PAGE_WIDTH, MARGIN + 8, stroke=0, fill=1)
    canvas.setFillColor(white)
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(MARGIN, top + 22, title)
    canvas.setFont("Helvetica", 10)
    canvas.drawString(MARGIN, top + 6, subtitle)
    canvas.setFillColor(black)
    return top - 36


def _rows(canvas: Canvas, y: float, rows: list[tuple[str, str]], width: float = 190) -> float:
    canvas.setStrokeColor(LINE)
    for label, value in rows:
        canvas.line(MARGIN, y + 13, PAGE_WIDTH - MARGIN, y + 13)
        canvas.setFillColor(MUTED)
        canvas.setFont("Helvetica", 10)
        canvas.drawString(MARGIN, y, label)
        canvas.setFillColor(black)
        canvas.setFont("Helvetica-Bold", 10)
        canvas.drawString(MARGIN + width, y, str(value)[:70])
        y -= 20
    canvas.line(MARGIN, y + 13, PAGE_WIDTH - MARGIN, y + 13)
    return y


def _heading(canvas: Canvas, y: float, text: str) -> float:
    canvas.setFillColor(BRAND)
    canvas.setFont("Helvetica-Bold", 12)
    canvas.drawString(MARGIN, y, text)
    canvas.setFillColor(black)
    return y - 18


def _paragraph(canvas: Canvas, y: float, text: str, size: int = 9, width: int = 110) -> float:
    canvas.setFont("Helvetica", size)
    for line in textwrap.wrap(text, width):
        canvas.drawString(MARGIN, y, line)
        y -= size + 3
    return y


def _credit_rows(credit) -> list[tuple[str, str]]:
    return [
        (_("Número de crédito"), credit.number),
        (_("Acreditado"), credit.borrower.full_name),
        (_("Producto"), f"{credit.get_product_display()} · {credit.get_denomination_display()}"),
        (_("Otorgado el"), f"{_date(credit.origination_date)} · {money(credit.amount_lent)} · "
                           f"{credit.rate:.2f} % · {credit.term_months} " + _("meses")),
    ]


def statement_pdf(statement, *, issued_on, language: str = "es") -> bytes:
    """The statement of a period: credit, summary, where and how to pay, and every movement with the
    opening and closing balance. As many Letter pages as the movements need."""
    return _document("Estado de cuenta del crédito", "Infonavit", language,
                     lambda canvas: _draw_statement(canvas, statement, issued_on))


def from_abroad_text(remittance) -> str:
    """A payment from abroad in one line (payments.RemittancePayment): the same words as the credit page."""
    return _("Pago desde el extranjero: %(usd)s USD en %(company)s (%(state)s), tipo de cambio %(rate)s") % {
        "usd": remittance.amount_usd, "company": remittance.company.name, "state": remittance.us_state,
        "rate": remittance.usd_mxn_rate}


def _movement_header(canvas: Canvas, y: float) -> float:
    canvas.setFont("Helvetica-Bold", 9)
    canvas.setFillColor(MUTED)
    for x, text, right in ((MARGIN, _("Fecha"), False), (MARGIN + 70, _("Movimiento"), False),
                           (MARGIN + 340, _("Cargo"), True), (MARGIN + 420, _("Abono"), True),
                           (PAGE_WIDTH - MARGIN, _("Saldo"), True)):
        (canvas.drawRightString if right else canvas.drawString)(x, y, text)
    canvas.setFillColor(black)
    return y - ROW_HEIGHT


def _draw_statement(canvas: Canvas, statement, issued_on) -> None:
    credit, summary = statement.credit, statement.summary
    y = _banner(canvas, _("Estado de cuenta del crédito"),
                _("Infonavit · saldos y movimientos del %(start)s al %(end)s") % {
                    "start": _date(statement.start), "end": _date(statement.end)})
    y = _rows(canvas, y, _credit_rows(credit))
    y -= 8
    y = _heading(canvas, y, _("Resumen al %(date)s") % {"date": _date(statement.on)})
    next_payment = summary.next_payment
    y = _rows(canvas, y, [
        (_("Saldo"), money(summary.balance)),
        (_("Pagos vencidos (exigible)"), money(summary.arrears)),
        (_("Pagos omitidos"), str(summary.missed_payments)),
        (_("Pago mensual (con seguros y comisiones)"), money(summary.installment)),
        (_("Próximo pago"), _("%(amount)s a más tardar el %(date)s") % {
            "amount": money(next_payment.amount), "date": _date(next_payment.due_on)} if next_payment else "—"),
        (_("Estado"), credit.get_status_display()),
    ])
    y -= 8
    y = _heading(canvas, y, _("Dónde y cómo pagar"))
    for option in statement.options:
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawString(MARGIN, y, option.title)
        y = _paragraph(canvas, y - 12, f"{option.detail} " + _("Referencia: %(number)s") % {
            "number": option.reference})
        y -= 4
    y -= 6
    y = _heading(canvas, y, _("Movimientos"))
    y = _movement_header(canvas, y)
    canvas.setFont("Helvetica", 9)
    canvas.drawString(MARGIN + 70, y, _("Saldo inicial"))
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y, money(statement.movements.opening_balance))
    y -= ROW_HEIGHT
    for entry in statement.entries:
        remittance = statement.from_abroad.get(entry.operation_id) if entry.operation_id else None
        if y < MARGIN + 40 + (ROW_HEIGHT if remittance else 0):
            canvas.showPage()
            y = _movement_header(canvas, PAGE_HEIGHT - MARGIN)
        canvas.setFont("Helvetica", 9)
        canvas.drawString(MARGIN, y, entry.posted_on.isoformat())
        canvas.drawString(MARGIN + 70, y, entry.get_kind_display()[:48])
        column = MARGIN + 340 if entry.amount > 0 else MARGIN + 420
        canvas.drawRightString(column, y, money(abs(entry.amount)))
        canvas.drawRightString(PAGE_WIDTH - MARGIN, y, money(entry.balance_after))
        y -= ROW_HEIGHT
        if remittance is not None:  # Sin Fronteras: the dollars and the day's rate, as on the credit page
            canvas.setFillColor(MUTED)
            canvas.setFont("Helvetica", 8)
            canvas.drawString(MARGIN + 78, y + 3, from_abroad_text(remittance))
            canvas.setFillColor(black)
            y -= ROW_HEIGHT - 3
    if not statement.entries:
        canvas.drawString(MARGIN + 70, y, _("Sin movimientos en el periodo."))
        y -= ROW_HEIGHT
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(MARGIN + 70, y, _("Saldo final"))
    canvas.drawRightString(MARGIN + 340, y, money(statement.charges))
    canvas.drawRightString(MARGIN + 420, y, money(statement.reductions))
    canvas.drawRightString(PAGE_WIDTH - MARGIN, y, money(statement.movements.closing_balance))
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(MARGIN, MARGIN - 20, _("Emitido el %(date)s. Importes en pesos.") % {"date": _date(issued_on)})
    canvas.showPage()


def interest_certificate_pdf(certificate, *, issued_on, language: str = "es") -> bytes:
    """Constancia de intereses of a tax year: nominal interest accrued and paid, and the method's note."""
    return _document("Constancia de intereses", "Infonavit", language,
                     lambda canvas: _draw_certificate(canvas, certificate, issued_on))


def _draw_certificate(canvas: Canvas, certificate, issued_on) -> None:
    credit = certificate.credit
    y = _banner(canvas, _("Constancia de intereses"),
                _("Infonavit · ejercicio fiscal %(year)s") % {"year": certificate.year})
    y = _rows(canvas, y, [*_credit_rows(credit), ("CURP", credit.borrower.curp),
                          ("RFC", credit.borrower.rfc or "—")])
    y -= 8
    y = _heading(canvas, y, _("Intereses del ejercicio %(year)s") % {"year": certificate.year})
    y = _rows(canvas, y, [
        (_("Intereses nominales devengados"), money(certificate.interest_accrued)),
        (_("Intereses nominales pagados"), money(certificate.interest_paid)),
        (_("Pagos del año (seguros, intereses y capital)"), money(certificate.payments)),
        (_("Saldo al 1 de enero"), money(certificate.opening_balance)),
        (_("Saldo al 31 de diciembre"), money(certificate.closing_balance)),
    ], width=260)
    y -= 10
    canvas.setFillColor(MUTED)
    y = _paragraph(canvas, y, _(
        "Método: intereses nominales (SUPUESTO). Para la deducción de intereses reales (LISR art. 151, fracción "
        "IV) el SAT descuenta la inflación del periodo con el INPC; esta plataforma no tiene el INPC, así que no "
        "calcula los intereses reales. Compare con la constancia oficial de Infonavit antes de declarar."))
    canvas.setFont("Helvetica", 8)
    canvas.drawString(MARGIN, MARGIN - 20, _("Emitida el %(date)s. Importes en pesos.") % {"date": _date(issued_on)})
    canvas.showPage()


# --- notices on payroll discounts and the carta de cancelación de hipoteca
# notice_selectors gives their figures; rules/notices.py the copies (worker, employer).

_NOTICE_INSTRUCTIONS = {
    "retention": gettext_lazy("El patrón retiene el descuento mensual indicado a partir del día siguiente a aquel "
                              "en que recibe este aviso, y lo entera al Infonavit con las aportaciones."),
    "suspension": gettext_lazy("El patrón deja de retener el descuento del crédito a partir del día siguiente a "
                               "aquel en que recibe este aviso."),
    "modification": gettext_lazy("El patrón sustituye el descuento anterior por el indicado a partir del día "
                                 "siguiente a aquel en que recibe este aviso."),
}


def discount_text(notice) -> str:
    """The discount as its type states it: percent of the SDI, pesos, or the factor of UMI."""
    if notice.discount_type == "sdi_percent":
        return _("%(value)s %% del salario diario integrado") % {"value": f"{notice.discount_value:.2f}"}
    if notice.discount_type == "umi_factor":
        return _("factor %(value)s × UMI mensual") % {"value": f"{notice.discount_value:.4f}"}
    return money(notice.discount_value)


def notice_pdf(notice, copy: str, *, language: str = "es") -> bytes:
    """A notice's copy for the worker ("worker") or for the employer ("employer")."""
    return _document(str(notice.get_kind_display()), notice.credit.number, language,
                     lambda canvas: _draw_notice(canvas, notice, copy))


def _draw_notice(canvas: Canvas, notice, copy: str) -> None:
    credit, employment = notice.credit, notice.employment
    subtitle = _("Copia para el patrón") if copy == "employer" else _("Copia para el trabajador")
    y = _banner(canvas, str(notice.get_kind_display()), f"Infonavit · {subtitle}")
    y = _rows(canvas, y, [
        *_credit_rows(credit)[:3],
        ("NSS", credit.borrower.nss or "—"),
        (_("Patrón"), f"{employment.employer_name} · {employment.registro_patronal}" if employment else "—"),
        (_("Régimen de pago"), notice.get_regime_display()),
    ])
    y -= 8
    y = _heading(canvas, y, _("Descuento"))
    y = _rows(canvas, y, [
        (_("Motivo"), notice.get_event_display()),
        (_("Tipo de descuento"), notice.get_discount_type_display()),
        (_("Descuento"), discount_text(notice)),
        (_("Descuento mensual"), money(notice.monthly_amount)),
        (_("Descuento anterior"), "—" if notice.previous_amount is None else money(notice.previous_amount)),
        (_("Emitido el"), _date(notice.issued_on)),
        (_("Aplica desde"), _date(notice.effective_from)),
        (_("Folio"), f"{credit.number}-{notice.pk}"),
    ], width=200)
    y -= 6
    y = _paragraph(canvas, y, str(_NOTICE_INSTRUCTIONS[notice.kind]), size=10)
    y -= 6
    if copy == "employer":
        note = _("Conserve este aviso. Aplica desde el día siguiente a su recepción (aquí se supone que lo "
                 "recibe el día en que se emite).")
    elif notice.regime == "payroll":
        note = _("Entregue la copia para el patrón a su patrón: él aplica el descuento.")
    else:
        note = _("Su crédito se paga por cuenta propia: ningún patrón retiene descuentos. Este aviso le informa "
                 "el pago mensual que le corresponde.")
    y = _paragraph(canvas, y, note, size=10)
    if notice.discount_type == "umi_factor":
        _paragraph(canvas, y - 6, _("UMI mensual = UMI diaria × 30.4 (valor supuesto)."), size=9)
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(MARGIN, MARGIN - 20, _("Importes en pesos. Emitido por Ventanilla con los datos del crédito."))
    canvas.showPage()


def cancellation_letter_pdf(letter, *, issued_on, language: str = "es") -> bytes:
    """Carta de cancelación de hipoteca of a settled credit (notice_selectors.cancellation_letter)."""
    return _document("Carta de cancelación de hipoteca", letter.credit.number, language,
                     lambda canvas: _draw_cancellation(canvas, letter, issued_on))


def _draw_cancellation(canvas: Canvas, letter, issued_on) -> None:
    credit = letter.credit
    y = _banner(canvas, _("Carta de cancelación de hipoteca"), _("Infonavit · crédito liquidado"))
    y = _rows(canvas, y, [*_credit_rows(credit), ("CURP", credit.borrower.curp),
                          (_("Entidad de la vivienda"), credit.get_state_display())])
    y -= 8
    y = _heading(canvas, y, _("Crédito liquidado"))
    y = _rows(canvas, y, [
        (_("Liquidado el"), _date(letter.settled_on)),
        (_("Pagos recibidos"), money(letter.payments)),
        (_("Descuentos y bonificaciones"), money(letter.discounts)),
        (_("Último pago"), _date(letter.last_payment_on)),
        (_("Saldo"), money(letter.balance)),
    ], width=260)
    y -= 10
    y = _paragraph(canvas, y, _(
        "El Infonavit hace constar que el crédito indicado está totalmente pagado y otorga su consentimiento "
        "para cancelar la hipoteca que garantiza el crédito. Presente esta carta ante un notario público para "
        "inscribir la cancelación en el Registro Público de la Propiedad de la entidad de la vivienda."), size=10)
    canvas.setFillColor(MUTED)
    canvas.setFont("Helvetica", 8)
    canvas.drawString(MARGIN, MARGIN - 20, _("Emitida el %(date)s. Importes en pesos. Folio %(number)s-C.")
                      % {"date": _date(issued_on), "number": credit.number})
    canvas.showPage()


# --- Infonavit Sin Fronteras: payment instructions (views/sinfronteras.py) --------------------------------
# shared/domain/infonavit.md, "Infonavit Sin Fronteras": paid in dollars at an allied remittance company, with
# the 10-digit credit number as the reference; Infonavit pays the commission.

def sin_fronteras_instructions_pdf(number: str, companies, *, borrower_name: str = "", issued_on,
                                   language: str = "es") -> bytes:
    """One Letter page a consular officer hands over: the credit number (check digit marked) with its Code 128
    barcode, the allied companies and how to pay. The borrower's name only for a credit the officer may see."""
    return _document("Infonavit Sin Fronteras: instrucciones de pago", "Infonavit", language,
                     lambda canvas: _draw_instructions(canvas, number, list(companies), borrower_name, issued_on))


def _draw_instructions(canvas: Canvas, number: str, companies, borrower_name: str, issued_on) -> None:
    from reportlab.graphics.barcode.code128 import Code128

    y = _banner(canvas, "Infonavit Sin Fronteras", _("Pague su crédito Infonavit desde Estados Unidos"))
    rows = [(_("Número de crédito"), f"{number[:-1]}-{number[-1]}"),
            (_("Dígito verificador"), number[-1])]
    if borrower_name:
        rows.append((_("Acreditado"), borrower_name))
    rows.append((_("Emitido el"), _date(issued_on)))
    y = _rows(canvas, y, rows)
    barcode = Code128(number, barHeight=42, barWidth=1.3, humanReadable=True)
    barcode.drawOn(canvas, MARGIN, y - 52)
    y -= 80
    y = _heading(canvas, y, _("Cómo pagar"))
    steps = [
        _("1. Acuda a una sucursal o agente de una remesadora aliada (abajo) en Estados Unidos."),
        _("2. Diga que es un pago de crédito Infonavit y dé el número de crédito de 10 dígitos, con su dígito "
          "verificador, como referencia."),
        _("3. Pague en dólares: la remesadora convierte al tipo de cambio del día y el Infonavit abona los pesos "
          "a su crédito."),
        _("4. El Infonavit paga la comisión: no le deben cobrar nada por el envío."),
        _("5. Guarde el comprobante con el número de operación. El pago aparece en su estado de cuenta como pago "
          "desde el extranjero, con los dólares y el tipo de cambio."),
        _("Puede pagar la persona acreditada, un familiar u otra persona."),
    ]
    for step in steps:
        y = _paragraph(canvas, y, step, size=10, width=100) - 4
    y = _heading(canvas, y - 6, _("Remesadoras aliadas"))
    for company in companies:
        y = _paragraph(canvas, y, f"• {company.name}", size=10)
