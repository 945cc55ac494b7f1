"""Contributed weeks, conservation of rights after the last paid period, recognition of earlier weeks.

Source: Ley del Seguro Social arts. 109, 150, 151 and 207; shared/domain/imss-abroad.md, "Weeks,
conservation and recognition".

Dates: periods are inclusive on both ends; every `*_until` date below is the LAST day still covered.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ventanilla.core.calendar import add_months
from ventanilla.core.money import round_to
from ventanilla.core.reasons import Reason, date_en, date_es, number

DAYS_PER_WEEK = 7
DAYS_PER_CONTRIBUTED_MONTH = 30  # contributions abroad are on 30-day months (shared/domain/imss-abroad.md)
WEEK_DECIMALS = 2  # weeks are shown and compared to two decimals, half-up

MEDICAL_CONSERVATION_WEEKS = 8  # LSS art. 109: medical care 8 weeks after the last paid period
MEDICAL_CONSERVATION_MIN_WEEKS = 8  # LSS art. 109: ... for people with at least 8 weekly contributions
DAY_CARE_CONSERVATION_WEEKS = 4  # LSS art. 207: day care 4 weeks after
PENSION_CONSERVATION_FRACTION = Decimal("0.25")  # LSS art. 150: a quarter of the contributed time
PENSION_CONSERVATION_MIN_MONTHS = 12  # LSS art. 150: never less than 12 months

RECOGNITION_AT_ONCE_MAX_YEARS = 3  # LSS art. 151 I: break of up to 3 years, recognised at once
RECOGNITION_MEDIUM_MAX_YEARS = 6  # LSS art. 151 II: break of 3 to 6 years
NEW_WEEKS_MEDIUM_BREAK = 26  # LSS art. 151 II: 26 new weekly contributions
NEW_WEEKS_LONG_BREAK = 52  # LSS art. 151 III: 52 new weekly contributions after more than 6 years


def as_weeks(value: Decimal | int) -> Decimal:
    """A number of weeks from an int or Decimal (never a float), not negative."""
    if isinstance(value, float):
        raise TypeError("weeks must be an int or a Decimal, not a float")
    value = Decimal(value)
    if value < 0 or not value.is_finite():
        raise ValueError("weeks must be a finite number, not negative")
    return value


def weeks_for_days(days: int) -> Decimal:
    """Contributed weeks for `days` contributed days: days / 7, two decimals half-up."""
    if days < 0:
        raise ValueError("days must not be negative")
    # LSS art. 151 counts weekly contributions; shared/domain/imss-abroad.md: weeks accumulate per paid period
    return round_to(Decimal(days) / DAYS_PER_WEEK, WEEK_DECIMALS)


def weeks_for_months(months: int) -> Decimal:
    """Weeks for `months` paid months abroad (30 days each): 1 month = 4.29 weeks, 12 months = 51.43."""
    # shared/domain/imss-abroad.md "Contributions": workers abroad pay over 30-day months
    return weeks_for_days(months * DAYS_PER_CONTRIBUTED_MONTH)


def weeks_in_window(paid_periods: list[tuple[date, date]], window_start: date, window_end: date) -> Decimal:
    """Weeks paid inside [window_start, window_end]: days of overlap / 7. Overlapping periods count once."""
    if window_end < window_start:
        raise ValueError("window_end is before window_start")
    clipped = []
    for start, end in paid_periods:
        if end < start:
            raise ValueError(f"period ends ({end}) before it starts ({start})")
        start, end = max(start, window_start), min(end, window_end)
        if start <= end:
            clipped.append((start, end))
    days = 0
    covered_until: date | None = None  # last day already counted
    for start, end in sorted(clipped):
        if covered_until is not None:
            start = max(start, covered_until + timedelta(days=1))
        if start <= end:
            days += (end - start).days + 1
            covered_until = end
    # shared/domain/imss-abroad.md (art. 104 window of 9 months; art. 102 window of 12 months): days / 7
    return weeks_for_days(days)


@dataclass(frozen=True)
class Conservation:
    medical_until: date | None  # None: fewer than 8 weeks contributed, no conservation of medical care
    day_care_until: date
    pension_rights_until: date
    work_risk_until: date


def conservation(last_paid_day: date, total_weeks: Decimal | int) -> Conservation:
    """Rights kept after `last_paid_day` (the last day of the last paid period)."""
    total_weeks = as_weeks(total_weeks)
    # LSS art. 109; shared/domain/imss-abroad.md: medical care 8 weeks more, with at least 8 weeks paid
    medical = None
    if total_weeks >= MEDICAL_CONSERVATION_MIN_WEEKS:
        medical = last_paid_day + timedelta(weeks=MEDICAL_CONSERVATION_WEEKS)
    # LSS art. 207; shared/domain/imss-abroad.md: day care 4 weeks more
    day_care = last_paid_day + timedelta(weeks=DAY_CARE_CONSERVATION_WEEKS)
    # LSS art. 150; shared/domain/imss-abroad.md: a quarter of the contributed time, never under 12 months.
    # ASSUMED: the quarter is counted in days (weeks × 7 × 1/4) rounded half-up to a whole day.
    quarter_days = int((total_weeks * DAYS_PER_WEEK * PENSION_CONSERVATION_FRACTION)
                       .quantize(Decimal(1), rounding=ROUND_HALF_UP))
    pension = max(last_paid_day + timedelta(days=quarter_days),
                  add_months(last_paid_day, PENSION_CONSERVATION_MIN_MONTHS))
    # shared/domain/imss-abroad.md: work-risk rights end at once (the LSS gives them no conservation period)
    return Conservation(medical, day_care, pension, last_paid_day)


@dataclass(frozen=True)
class Recognition:
    recognised_weeks: Decimal  # earlier weeks recognised now (new weeks are counted apart)
    pending_weeks: Decimal  # earlier weeks waiting for new contributions
    reason: Reason
    new_weeks_required: int = 0  # new weekly contributions art. 151 asks for (0: none)


def recognition_of_prior_weeks(break_start: date, reentry: date, prior_weeks: Decimal | int,
                               new_weeks_since_reentry: Decimal | int,
                               within_conservation: bool) -> Recognition:
    """Recognition of the weeks contributed before a break (first unpaid day `break_start`) on re-entry."""
    if reentry < break_start:
        raise ValueError("reentry is before break_start")
    prior = as_weeks(prior_weeks)
    new = as_weeks(new_weeks_since_reentry)
    zero = Decimal(0)
    # LSS art. 150-151; shared/domain/imss-abroad.md: re-entry inside the conservation period, at once
    if within_conservation:
        return Recognition(prior, zero, Reason(
            "recognised_within_conservation",
            f"Reingreso dentro del periodo de conservación de derechos: se reconocen de inmediato "
            f"{number(prior)} semanas anteriores.",
            f"Re-entry within the conservation period: {number(prior)} earlier weeks are recognised "
            f"at once."))
    three_years = add_months(break_start, 12 * RECOGNITION_AT_ONCE_MAX_YEARS)
    six_years = add_months(break_start, 12 * RECOGNITION_MEDIUM_MAX_YEARS)
    # LSS art. 151 I; shared/domain/imss-abroad.md: a break of up to 3 years, all weeks at once
    if reentry <= three_years:
        return Recognition(prior, zero, Reason(
            "recognised_short_break",
            f"La interrupción no excede {RECOGNITION_AT_ONCE_MAX_YEARS} años: se reconocen de inmediato "
            f"{number(prior)} semanas anteriores.",
            f"The break is not longer than {RECOGNITION_AT_ONCE_MAX_YEARS} years: {number(prior)} earlier "
            f"weeks are recognised at once."))
    # LSS art. 151 II and III; shared/domain/imss-abroad.md: 26 new weeks (3 to 6 years), 52 (over 6 years)
    if reentry <= six_years:
        required, es_break, en_break = (
            NEW_WEEKS_MEDIUM_BREAK,
            f"más de {RECOGNITION_AT_ONCE_MAX_YEARS} y hasta {RECOGNITION_MEDIUM_MAX_YEARS} años",
            f"over {RECOGNITION_AT_ONCE_MAX_YEARS} and up to {RECOGNITION_MEDIUM_MAX_YEARS} years")
    else:
        required, es_break, en_break = (
            NEW_WEEKS_LONG_BREAK, f"más de {RECOGNITION_MEDIUM_MAX_YEARS} años",
            f"over {RECOGNITION_MEDIUM_MAX_YEARS} years")
    if new >= required:
        return Recognition(prior, zero, Reason(
            "recognised_after_new_weeks",
            f"Interrupción de {es_break} (desde el {date_es(break_start)}): con {number(new)} semanas nuevas "
            f"(se requieren {required}) se reconocen {number(prior)} semanas anteriores.",
            f"Break of {en_break} (since {date_en(break_start)}): with {number(new)} new weeks "
            f"({required} required) {number(prior)} earlier weeks are recognised."), required)
    return Recognition(zero, prior, Reason(
        "pending_new_weeks",
        f"Interrupción de {es_break} (desde el {date_es(break_start)}): las {number(prior)} semanas "
        f"anteriores se reconocerán al cotizar {required} semanas nuevas; hay {number(new)}.",
        f"Break of {en_break} (since {date_en(break_start)}): the {number(prior)} earlier weeks will be "
        f"recognised after {required} new weeks; there are {number(new)}."), required)
