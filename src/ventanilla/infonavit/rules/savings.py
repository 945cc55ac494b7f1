"""The housing subaccount (subcuenta de vivienda, SCV): pure arithmetic over plain values (no Django, no
database, no clock).

- Periods of the subaccount: Fondo de Ahorro 1972–1992, SCV 1992 (March 1992–June 1997), SCV 1997 (July 1997
  on) (shared/domain/infonavit.md, "Devolución del saldo de la SCV"). Infonavit started on 1 May 1972.
- Employer contribution: 5 % of the worker's salario base de cotización, paid by bimester (Ley del Infonavit
  art. 29 fr. II; issue 5, "Housing subaccount"). The SBC is taken as registered on the employment relation.
- Returns (rendimientos): Infonavit's yearly rate is not public; ASSUMED_YEARLY_RETURN_PERCENT is a documented
  assumption, credited monthly on the balance of each period and always shown as assumed.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from ventanilla.core.money import ZERO, percent, to_centavos

FONDO_72, SCV_92, SCV_97 = "fondo_72", "scv_92", "scv_97"
PERIOD_CODES = (FONDO_72, SCV_92, SCV_97)
INFONAVIT_START = date(1972, 5, 1)
SCV_92_START = date(1992, 3, 1)
SCV_97_START = date(1997, 7, 1)

# Ley del Infonavit art. 29 fr. II: the employer pays 5 % of the SBC into the housing subaccount.
CONTRIBUTION_PERCENT = Decimal("5")
# ASSUMED: Infonavit sets the subaccount's yearly return and does not publish a rule for it; 4 % a year,
# credited monthly (one twelfth), is our documented default until staff set the real figure.
ASSUMED_YEARLY_RETURN_PERCENT = Decimal("4.00")
MONTHS_PER_YEAR = 12


def savings_period(day: date) -> str:
    """The period of the subaccount a movement dated `day` belongs to."""
    if day < INFONAVIT_START:
        raise ValueError("before_infonavit")
    if day < SCV_92_START:
        return FONDO_72
    if day < SCV_97_START:
        return SCV_92
    return SCV_97


def bimester_start(day: date) -> date:
    """First day of the bimester (Jan–Feb, Mar–Apr, ... Nov–Dec) holding `day`."""
    return date(day.year, day.month - (day.month - 1) % 2, 1)


def bimester_end(start: date) -> date:
    month = start.month + 2
    first_after = date(start.year + (month > 12), (month - 1) % 12 + 1, 1)
    return first_after - timedelta(days=1)


def next_bimester(start: date) -> date:
    return bimester_end(start) + timedelta(days=1)


def bimester_contribution(daily_sbc: Decimal, days: int) -> Decimal:
    """Employer contribution of one bimester: 5 % of the SBC earned in the days worked (art. 29 fr. II)."""
    if daily_sbc <= 0 or days < 0:
        raise ValueError("invalid_contribution_basis")
    return to_centavos(Decimal(daily_sbc) * days * percent(CONTRIBUTION_PERCENT))


@dataclass(frozen=True)
class Employment:
    id: int
    started_on: date
    ended_on: date | None
    daily_sbc: Decimal


@dataclass(frozen=True)
class Contribution:
    employment_id: int
    bimester: date  # its first day
    days: int
    amount: Decimal
    savings_period: str


def contributions(employments: Iterable[Employment], until: date) -> list[Contribution]:
    """Every bimester contribution owed by the relations for bimesters that ended on or before `until`,
    prorated by the days worked in each (the relation's first and last bimesters are partial)."""
    result = []
    for job in employments:
        start = max(job.started_on, INFONAVIT_START)
        last_day = min(job.ended_on or until, until)
        bimester = bimester_start(start)
        while bimester_end(bimester) <= until and bimester <= last_day:
            worked_from = max(start, bimester)
            worked_to = min(last_day, bimester_end(bimester))
            days = (worked_to - worked_from).days + 1
            if days > 0:
                result.append(Contribution(job.id, bimester, days, bimester_contribution(job.daily_sbc, days),
                                           savings_period(bimester)))
            bimester = next_bimester(bimester)
    return result


def monthly_returns(balance: Decimal, yearly_percent: Decimal = ASSUMED_YEARLY_RETURN_PERCENT) -> Decimal:
    """One month of returns on a period's balance: a twelfth of the yearly rate, to centavos."""
    if balance <= 0:
        return ZERO
    return to_centavos(Decimal(balance) * percent(yearly_percent) / MONTHS_PER_YEAR)


def balances_by_period(movements: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """The balance of each period from (period, signed amount) pairs; every period listed, zero if empty."""
    totals = dict.fromkeys(PERIOD_CODES, ZERO)
    for period, amount in movements:
        totals[period] += amount
    return totals
