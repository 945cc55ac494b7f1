"""Mexican business calendar.

Federal rest days: Ley Federal del Trabajo art. 74 (1 Jan; first Monday of Feb; third Monday of March;
1 May; 16 Sep; third Monday of Nov; 1 Oct every six years with the change of federal executive; 25 Dec).
Banks also close on Holy Thursday and Good Friday, 2 Nov and 12 Dec (CNBV yearly calendar): payments and
due dates use the bank calendar.
"""

from datetime import date, timedelta
from functools import lru_cache


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def easter_sunday(year: int) -> date:
    """Anonymous Gregorian algorithm (Meeus/Jones/Butcher)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    ell = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * ell) // 451
    month, day = divmod(h + ell - 7 * m + 114, 31)
    return date(year, month, day + 1)


@lru_cache(maxsize=256)
def federal_holidays(year: int) -> frozenset[date]:
    days = {
        date(year, 1, 1),
        _nth_weekday(year, 2, 0, 1),
        _nth_weekday(year, 3, 0, 3),
        date(year, 5, 1),
        date(year, 9, 16),
        _nth_weekday(year, 11, 0, 3),
        date(year, 12, 25),
    }
    if year >= 2024 and (year - 2024) % 6 == 0:  # LFT art. 74 VII, transmisión del Poder Ejecutivo Federal
        days.add(date(year, 10, 1))
    return frozenset(days)


@lru_cache(maxsize=256)
def bank_holidays(year: int) -> frozenset[date]:
    easter = easter_sunday(year)
    extra = {easter - timedelta(days=3), easter - timedelta(days=2), date(year, 11, 2), date(year, 12, 12)}
    return federal_holidays(year) | frozenset(extra)


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays(day.year)


def last_business_day(year: int, month: int) -> date:
    day = (date(year + (month == 12), month % 12 + 1, 1)) - timedelta(days=1)
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def add_business_days(start: date, count: int) -> date:
    day = start
    while count > 0:
        day += timedelta(days=1)
        if is_business_day(day):
            count -= 1
    return day


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clamped to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    next_first = date(year + (month == 12), month % 12 + 1, 1)
    return date(year, month, min(day.day, (next_first - timedelta(days=1)).day))
