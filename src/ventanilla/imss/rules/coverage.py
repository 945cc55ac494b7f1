"""Vigencia de derechos: whether a worker (and through them, a beneficiary) is covered on a date.

Paying by day 20 of the month before covers from the 1st of the period to its last day; an unpaid period
ends the insurance; after the last paid period medical care continues 8 weeks for people with at least
8 weeks contributed (LSS art. 109; shared/domain/imss-abroad.md, "Weeks, conservation and recognition").
"""

from dataclasses import dataclass
from datetime import date

from ventanilla.imss.rules.weeks import conservation

COVERED = "covered"
CONSERVATION = "conservation"
NOT_COVERED = "not_covered"
PENDING_NSS = "pending_nss"


@dataclass(frozen=True)
class Coverage:
    status: str
    covered_from: date | None
    covered_until: date | None  # last day of the paid run that contains the date
    medical_until: date | None  # end of the conservation of medical care after the last paid day


def coverage_on(on: date, paid_periods: list[tuple[date, date]], total_weeks, *, pending_nss: bool = False) -> Coverage:
    """Coverage on a date from the paid periods (start, end), inclusive."""
    if pending_nss:
        return Coverage(PENDING_NSS, None, None, None)
    runs = _continuous_runs(sorted(paid_periods))
    for start, end in runs:
        if start <= on <= end:
            return Coverage(COVERED, start, end, None)
    before = [run for run in runs if run[1] < on]
    if before:
        start, end = before[-1]
        kept = conservation(end, total_weeks)
        if kept.medical_until and on <= kept.medical_until:
            return Coverage(CONSERVATION, start, end, kept.medical_until)
        return Coverage(NOT_COVERED, start, end, kept.medical_until)
    return Coverage(NOT_COVERED, None, None, None)


def _continuous_runs(periods: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Merge back-to-back periods into one covered run."""
    runs: list[tuple[date, date]] = []
    for start, end in periods:
        if runs and (start - runs[-1][1]).days <= 1:
            runs[-1] = (runs[-1][0], max(end, runs[-1][1]))
        else:
            runs.append((start, end))
    return runs
