"""A credit's statement as CSV: UTF-8 with a byte-order mark, so Excel opens the accents right; one row per
movement between the opening and the closing balance; amounts with a dot and two decimals. A payment from
abroad (Sin Fronteras) also carries its dollars, the day's rate, the remittance company and the US state, in
four last columns named for machines (usd_amount, fx_rate, company, us_state), empty on other rows."""

import csv
import io

from django.utils.translation import gettext as _

CSV_BOM = "\ufeff"
FROM_ABROAD_COLUMNS = ("usd_amount", "fx_rate", "company", "us_state")
NOT_FROM_ABROAD = ("",) * len(FROM_ABROAD_COLUMNS)


def _from_abroad(statement, entry) -> tuple[str, ...]:
    remittance = statement.from_abroad.get(entry.operation_id) if entry.operation_id else None
    if remittance is None:
        return NOT_FROM_ABROAD
    return (f"{remittance.amount_usd:.2f}", str(remittance.usd_mxn_rate), remittance.company.name,
            remittance.us_state)


def statement_csv(statement) -> str:
    """selectors.statement(...) as CSV text (the caller encodes it as UTF-8)."""
    out = io.StringIO()
    out.write(CSV_BOM)
    writer = csv.writer(out, lineterminator="\r\n")
    credit = statement.credit
    writer.writerow([_("Número de crédito"), credit.number])
    writer.writerow([_("Periodo"), statement.start.isoformat(), statement.end.isoformat()])
    writer.writerow([])
    writer.writerow([_("Fecha"), _("Movimiento"), _("Cargo"), _("Abono"), _("Capital"), _("Intereses"),
                     _("Seguros y comisiones"), _("Saldo"), _("Número de operación"), _("Canal"),
                     *FROM_ABROAD_COLUMNS])
    writer.writerow(["", _("Saldo inicial"), "", "", "", "", "", f"{statement.movements.opening_balance:.2f}", "",
                     "", *NOT_FROM_ABROAD])
    for entry in statement.entries:
        charge = f"{entry.amount:.2f}" if entry.amount > 0 else ""
        payment = f"{-entry.amount:.2f}" if entry.amount < 0 else ""
        writer.writerow([entry.posted_on.isoformat(), entry.get_kind_display(), charge, payment,
                         f"{entry.capital:.2f}", f"{entry.interest:.2f}", f"{entry.insurance:.2f}",
                         f"{entry.balance_after:.2f}", entry.operation_id,
                         entry.get_channel_display() if entry.channel else "", *_from_abroad(statement, entry)])
    writer.writerow(["", _("Saldo final"), f"{statement.charges:.2f}", f"{statement.reductions:.2f}", "", "", "",
                     f"{statement.movements.closing_balance:.2f}", "", "", *NOT_FROM_ABROAD])
    return out.getvalue()
