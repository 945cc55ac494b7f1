"""Avisos de retención, suspensión y modificación de descuentos: which event of a credit issues which notice,
how the payroll discount is expressed, from when it applies, and who gets a copy. Pure: plain values in,
plain values out (shared/domain/infonavit.md, "Notices on payroll discounts (avisos)").
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ventanilla.core.money import ZERO, round_to, to_centavos

# Notice kinds.
RETENTION = "retention"  # start withholding (new credit, change of employer, payments resume)
SUSPENSION = "suspension"  # stop withholding (credit paid off, prórroga granted)
MODIFICATION = "modification"  # withhold another amount (restructure, conversion to pesos)
KINDS = (RETENTION, SUSPENSION, MODIFICATION)

# Events that issue a notice.
NEW_CREDIT = "new_credit"
EMPLOYER_CHANGE = "employer_change"
CONVERSION = "conversion"  # Responsabilidad Compartida: VSM credit converted to pesos
RESTRUCTURE = "restructure"  # a relief solution that changes the monthly payment
RESTRUCTURE_ENDED = "restructure_ended"  # ... and its end, which restores the agreed payment
PAYOFF = "payoff"
PRORROGA = "prorroga"
PRORROGA_ENDED = "prorroga_ended"
EVENTS = (NEW_CREDIT, EMPLOYER_CHANGE, CONVERSION, RESTRUCTURE, RESTRUCTURE_ENDED, PAYOFF, PRORROGA, PRORROGA_ENDED)

# shared/domain/infonavit.md, avisos: retención for a new credit or a change of employer; suspensión for a
# payoff or a prórroga; modificación after a restructure or a conversion to pesos (the note marks it assumed).
# ASSUMED: the end of a prórroga issues a retención (withholding resumes) and the end of a payment-lowering
# solution a modificación (the agreed payment comes back).
NOTICE_FOR_EVENT = {
    NEW_CREDIT: RETENTION,
    EMPLOYER_CHANGE: RETENTION,
    PRORROGA_ENDED: RETENTION,
    PAYOFF: SUSPENSION,
    PRORROGA: SUSPENSION,
    CONVERSION: MODIFICATION,
    RESTRUCTURE: MODIFICATION,
    RESTRUCTURE_ENDED: MODIFICATION,
}

# Discount types (shared/domain/infonavit.md): percentage of the integrated daily salary (SDI), fixed amount,
# or factor × UMI for VSM credits.
SDI_PERCENT = "sdi_percent"
FIXED_AMOUNT = "fixed_amount"
UMI_FACTOR = "umi_factor"
DISCOUNT_TYPES = (SDI_PERCENT, FIXED_AMOUNT, UMI_FACTOR)

# shared/domain/reference-values.md: monthly UMI = daily × 30.4 (one secondary source; ASSUMED). The same 30.4
# days turn a daily salary into a month for the SDI percentage.
DAYS_PER_MONTH = Decimal("30.4")
FACTOR_PLACES = 4  # ASSUMED: the factor is stated with four decimals, like the VSM amounts lent

# Copies. ASSUMED (not public): the employer applies the discount, so only a payroll-regime credit gets the
# employer's copy; the worker always gets theirs (the domain note: the worker downloads it and hands it to the
# employer; paying on their own, it is their record of what they owe a month).
WORKER = "worker"
EMPLOYER = "employer"


@dataclass(frozen=True)
class Discount:
    """What the employer withholds a month: its type, the value the type is stated in (percent of the SDI,
    pesos, or the factor of UMI) and the monthly amount in pesos."""

    type: str
    value: Decimal
    monthly_amount: Decimal


def notice_kind(event: str) -> str:
    if event not in NOTICE_FOR_EVENT:
        raise ValueError(f"unknown notice event {event}")
    return NOTICE_FOR_EVENT[event]


def event_for_solution(code: str, payment_changing: frozenset[str]) -> str | None:
    """The notice event of a relief solution taking effect: a prórroga suspends, RC converts, the solutions
    that lower the payment restructure it; the others (DLA, BCN) leave the monthly discount as it is (a DLA
    payoff issues its own suspensión)."""
    if code == "PRORROGA":
        return PRORROGA
    if code == "RC":
        return CONVERSION
    return RESTRUCTURE if code in payment_changing else None


def event_for_solution_end(code: str, payment_changing: frozenset[str]) -> str | None:
    """The notice event of a solution in force ending (its payment comes back)."""
    if code == "PRORROGA":
        return PRORROGA_ENDED
    return RESTRUCTURE_ENDED if code in payment_changing else None


def employer_change_due(started_on: date, ended_on: date | None, credit_granted_on: date) -> bool:
    """A relación laboral recorded for a borrower is a change of employer for a credit when it is current and
    began after the credit was granted (before, the new credit's own retención covers it)."""
    return ended_on is None and started_on > credit_granted_on


def discount(*, denomination: str, installment: Decimal, umi_daily: Decimal | None = None,
             sdi_daily: Decimal | None = None, sdi_percent: Decimal | None = None) -> Discount:
    """The monthly discount for an installment (payment plus insurance and fees).

    A percentage of the SDI when the credit states one (with the worker's SDI): SDI × % × 30.4 days.
    A VSM credit: factor × UMI, factor = installment ÷ monthly UMI (four decimals), amount = factor × monthly
    UMI, so the employer's arithmetic from the factor gives the amount printed. A pesos credit: the fixed
    amount, the installment itself."""
    if sdi_percent is not None:
        if sdi_daily is None or sdi_daily <= 0 or sdi_percent <= 0:
            raise ValueError("a percentage of the SDI needs a positive SDI and percentage")
        return Discount(SDI_PERCENT, sdi_percent, to_centavos(sdi_daily * sdi_percent / 100 * DAYS_PER_MONTH))
    if denomination == "vsm":
        if umi_daily is None or umi_daily <= 0:
            raise ValueError("a VSM credit's factor needs the UMI")
        monthly_umi = umi_daily * DAYS_PER_MONTH
        factor = round_to(installment / monthly_umi, FACTOR_PLACES)
        return Discount(UMI_FACTOR, factor, to_centavos(factor * monthly_umi))
    return Discount(FIXED_AMOUNT, to_centavos(installment), to_centavos(installment))


def suspended(current: Discount) -> Discount:
    """A suspensión keeps the type and says nothing is withheld."""
    return Discount(current.type, Decimal(0), ZERO)


def effective_date(received_on: date) -> date:
    """shared/domain/infonavit.md: withholding starts the day after the employer receives the notice."""
    return received_on + timedelta(days=1)


def copies(regime: str) -> tuple[str, ...]:
    """Who gets a copy (ASSUMED, above): payroll → the worker and the employer; own payment → the worker."""
    return (WORKER, EMPLOYER) if regime == "payroll" else (WORKER,)
