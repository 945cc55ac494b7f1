"""Monthly contributions of a worker abroad affiliated voluntarily to the IMSS mandatory regime.

Source: Ley del Seguro Social (rates in shared/domain/reference-values.md) and IMSS's calculator for
"Mexicanos en el extranjero" (shared/domain/imss-abroad.md, "Contributions"): the worker pays both the
employer and the worker shares of every branch, work-risk class I, over 30-day months.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from ventanilla.core.calendar import add_months
from ventanilla.core.money import percent, to_centavos
from ventanilla.reference.params import CeavBand, ParamSnapshot

DAYS_PER_MONTH = 30  # contributions abroad are on 30-day months (IMSS calculator)
SBC_CEILING_UMA = 25  # LSS art. 28: ceiling of 25 UMA per day
EXCESS_OVER_UMA = 3  # LSS art. 106 II: EM excess over 3 UMA
WORK_RISK_CLASS = "I"  # workers abroad pay the class I average premium (shared/domain/imss-abroad.md)
PERIODICITY_MONTHS = {"monthly": 1, "bimonthly": 2, "semiannual": 6, "annual": 12}
ZONES = ("general", "zlfn")

# Presentation order, as IMSS lists the branches.
BRANCH_ORDER = ("em_fixed", "em_excess", "em_cash", "em_pensioners", "riesgos_trabajo", "invalidez_vida",
                "retiro", "ceav", "guarderias")


@dataclass(frozen=True)
class BranchAmount:
    branch: str
    employer: Decimal
    worker: Decimal

    @property
    def total(self) -> Decimal:
        return self.employer + self.worker


@dataclass(frozen=True)
class MonthQuote:
    month: date  # first day of the month covered
    sbc_daily: Decimal
    uma_daily: Decimal
    minimum_wage: Decimal
    ceav_employer_rate: Decimal
    branches: tuple[BranchAmount, ...]

    @property
    def total(self) -> Decimal:
        return sum((b.total for b in self.branches), Decimal("0.00"))


@dataclass(frozen=True)
class Quote:
    zone: str
    periodicity: str
    months: tuple[MonthQuote, ...]

    @property
    def sbc_daily(self) -> Decimal:
        return self.months[0].sbc_daily

    @property
    def monthly_total(self) -> Decimal:
        return self.months[0].total

    @property
    def period_total(self) -> Decimal:
        return sum((m.total for m in self.months), Decimal("0.00"))

    def branches(self) -> tuple[BranchAmount, ...]:
        """Each branch summed over the months of the period."""
        totals: dict[str, list[Decimal]] = {}
        for month in self.months:
            for item in month.branches:
                employer, worker = totals.setdefault(item.branch, [Decimal("0.00"), Decimal("0.00")])
                totals[item.branch] = [employer + item.employer, worker + item.worker]
        return tuple(BranchAmount(name, *totals[name]) for name in BRANCH_ORDER if name in totals)


def daily_income(*, monthly: Decimal | None = None, daily: Decimal | None = None) -> Decimal:
    """Declared income per day: a monthly income is divided by 30 (shared/domain/imss-abroad.md)."""
    if (monthly is None) == (daily is None):
        raise ValueError("give exactly one of monthly or daily income")
    value = daily if daily is not None else Decimal(monthly) / DAYS_PER_MONTH
    return to_centavos(value)


def sbc_daily(income_per_day: Decimal, params: ParamSnapshot, zone: str) -> Decimal:
    """SBC: income per day raised to the zone's minimum wage and capped at 25 UMA (LSS arts. 28 and 13)."""
    floor = params.minimum_wage(zone)
    ceiling = to_centavos(params.uma_daily * SBC_CEILING_UMA)
    return min(max(income_per_day, floor), ceiling)


def ceav_employer_rate(sbc: Decimal, minimum_wage: Decimal, uma_daily: Decimal,
                       bands: tuple[CeavBand, ...]) -> Decimal:
    """CEAV employer rate for an SBC (decree DOF 16-12-2020, 2nd transitory; shared/domain/reference-values.md).

    The law's first rows mix SM and UMA and leave gaps. Rule applied, as the payroll software (SUA) does:
    an SBC equal to the minimum wage takes the first row; any higher SBC takes the band whose range
    (previous upper limit, upper limit] in UMA contains SBC ÷ UMA; the last band has no upper limit.
    """
    if not bands:
        raise LookupError("no CEAV bands in force")
    if len(bands) == 1:  # before 2023: one flat rate
        return bands[0].rate
    if sbc <= minimum_wage:
        return next(band.rate for band in bands if band.minimum_wage_only)
    ratio = sbc / uma_daily
    for band in bands:
        if band.minimum_wage_only:
            continue
        if band.upper_uma is None or ratio <= band.upper_uma:
            return band.rate
    raise LookupError("CEAV bands have no open-ended last band")


def _share(base: Decimal, rate_percent: Decimal) -> Decimal:
    return (base * percent(rate_percent)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def month_quote(params: ParamSnapshot, month: date, income_per_day: Decimal, zone: str) -> MonthQuote:
    """One 30-day month: each branch's employer and worker shares, each rounded half-up to centavos."""
    if zone not in ZONES:
        raise ValueError(f"unknown zone {zone}")
    sbc = sbc_daily(income_per_day, params, zone)
    rates = params.require("branch_rates")
    minimum_wage = params.minimum_wage(zone)
    ceav_rate = ceav_employer_rate(sbc, minimum_wage, params.uma_daily, params.require("ceav_bands"))
    premium = params.require("work_risk_premiums")[WORK_RISK_CLASS]
    days = Decimal(DAYS_PER_MONTH)
    bases = {
        "sbc": sbc * days,
        "uma": params.uma_daily * days,  # LSS art. 106 I: fixed fee on one UMA per day
        "sbc_over_3_uma": max(sbc - EXCESS_OVER_UMA * params.uma_daily, Decimal(0)) * days,  # art. 106 II
    }
    branches = []
    for name in BRANCH_ORDER:
        if name == "riesgos_trabajo":  # LSS arts. 71-73: employer only, class premium
            branches.append(BranchAmount(name, _share(bases["sbc"], premium), Decimal("0.00")))
            continue
        rate = rates[name]
        employer_rate = ceav_rate if name == "ceav" else rate.employer_rate
        base = bases[rate.base]
        branches.append(BranchAmount(name, _share(base, employer_rate), _share(base, rate.worker_rate)))
    return MonthQuote(month, sbc, params.uma_daily, minimum_wage, ceav_rate, tuple(branches))


def period_months(start: date, periodicity: str) -> list[date]:
    """First days of the months a period covers (paid in advance)."""
    if periodicity not in PERIODICITY_MONTHS:
        raise ValueError(f"unknown periodicity {periodicity}")
    first = start.replace(day=1)
    return [add_months(first, n) for n in range(PERIODICITY_MONTHS[periodicity])]


def quote(params_by_month: dict[date, ParamSnapshot], income_per_day: Decimal, zone: str,
          periodicity: str, start: date) -> Quote:
    """The contributions for a period; each month with the UMA and minimum wage in force in it."""
    months = tuple(month_quote(params_by_month[m], m, income_per_day, zone) for m in period_months(start, periodicity))
    return Quote(zone, periodicity, months)


def due_date(period_start: date) -> date:
    """Paying by day 20 of the month before covers from the 1st of the period (IMSS; domain note)."""
    return add_months(period_start.replace(day=1), -1).replace(day=20)


def next_payable_month(on: date) -> date:
    """The first month whose deadline (day 20 of the month before) has not passed on `on`."""
    candidate = add_months(on.replace(day=1), 1)
    return candidate if due_date(candidate) >= on else add_months(candidate, 1)
