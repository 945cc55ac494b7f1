"""Precomputed indicator tables (issue 6, "Speed": every dashboard page under 1 s at 1 M persons and 6.2 M
credits; "precomputed figures refreshed by the batch jobs where a live query cannot be that fast").

`ventanilla report refresh` (reports.services.refresh_snapshots) stores each slow indicator's Table for the views
the dashboards open with; reports.indicators.compute serves one when it exists for exactly the reader's
(indicator, filters, language) and is younger than MAX_AGE, and computes live otherwise. The key is built from
the Filters dataclass AFTER compute() forced the officer's consulate on it, so an officer's key always names
their own consulate and can never match another's snapshot. Date ranges, national or of one state, are served
from per-month rows (read_months, reports.models.MonthlyRows) where the figures decompose exactly by month; the
refresh stores every month since the first data (stored_window), so any range is served; a consulate (an
officer's included) never reads them.

A Table round-trips exactly: decimals keep their digits ("1.50" stays Decimal("1.50")), dates and datetimes
their type, each row its key order.
"""

import dataclasses
import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.utils import timezone, translation

from ventanilla.reports.indicators import Column, Filters, Table

# ASSUMED (no official rule): the refresh runs nightly; 26 h leaves two hours for a late or slow run before
# the pages fall back to live figures rather than show a day-old snapshot as current.
MAX_AGE = timedelta(hours=26)


def language() -> str:
    """The active language as one of settings.LANGUAGES' codes (texts in a snapshot are in one language)."""
    code = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def snapshot_key(filters: Filters, lang: str) -> str:
    """Every Filters field by name (whatever shape Filters takes), ISO dates, then the language."""
    values = {f.name: _plain_key(getattr(filters, f.name)) for f in dataclasses.fields(Filters)}
    return json.dumps({**values, "lang": lang}, sort_keys=True, separators=(",", ":"))


def _plain_key(value):
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _dump_cell(value):
    # Tagged so the type comes back: JSON has no Decimal or date.
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, datetime):  # before date: a datetime is a date
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"a table cell of type {type(value).__name__} cannot be stored in a snapshot")


def _load_cell(value):
    if isinstance(value, dict):
        ((tag, text),) = value.items()
        if tag == "$decimal":
            return Decimal(text)
        if tag == "$datetime":
            return datetime.fromisoformat(text)
        if tag == "$date":
            return date.fromisoformat(text)
        raise ValueError(f"unknown snapshot cell tag {tag!r}")
    return value


def dump_table(table: Table) -> dict:
    """The Table as JSON: texts as rendered in the active language, rows as [key, cell] pairs (jsonb would
    reorder a dict's keys)."""
    return {"indicator": table.indicator, "title": table.title,
            "columns": [[c.key, str(c.label), c.kind] for c in table.columns],
            "rows": [[[key, _dump_cell(value)] for key, value in row.items()] for row in table.rows],
            "computed_at": table.computed_at.isoformat(), "suppressed": table.suppressed,
            "notes": [str(note) for note in table.notes]}


def load_table(data: dict) -> Table:
    return Table(data["indicator"], data["title"], [Column(key, label, kind) for key, label, kind in data["columns"]],
                 [{key: _load_cell(value) for key, value in row} for row in data["rows"]],
                 datetime.fromisoformat(data["computed_at"]), data["suppressed"], list(data["notes"]),
                 precomputed=True)


def read(name: str, filters: Filters, *, now: datetime | None = None) -> Table | None:
    """The snapshot of indicator `name` for exactly these filters in the active language, if fresh."""
    from ventanilla.reports.models import IndicatorSnapshot

    oldest = (now or timezone.now()) - MAX_AGE
    snapshot = (IndicatorSnapshot.objects.filter(indicator=name, key=snapshot_key(filters, language()),
                                                 computed_at__gte=oldest).only("table").first())
    return load_table(snapshot.table) if snapshot is not None else None


# ASSUMED (no official rule): the fewest months back, counted from the current one, that `ventanilla report
# refresh` stores month rows for; by default it reaches back to the first data (stored_window), and
# `report refresh --months N` stores exactly the last N (a range reaching further back is then computed live).
PRECOMPUTED_MONTHS = 24
# ASSUMED: the most months the default refresh stores (ten years). Data older than that (a period started decades
# ago, a mistyped date) would otherwise make every nightly refresh hours long; ranges reaching further back than
# the window then compute live, as any range does when the window does not reach the first data.
MOST_STORED_MONTHS = 120


def stored_window(months: int | None = None, today: date | None = None) -> tuple[list[date], bool]:
    """The months the refresh stores rows for, oldest first, and whether they reach back to the first data
    (reports.selectors.first_data_month; then no month before them has figures, MonthlyRows.history_starts).
    Default: every month since the first data, at least PRECOMPUTED_MONTHS and at most MOST_STORED_MONTHS. The
    refresh's cost grows with
    the months of the end-month indicators (two passes per month, national and by state: about 3.5 s a month
    for coverage in force at 1 M persons)."""
    from ventanilla.reports.selectors import first_data_month

    first = first_data_month()
    day = today or timezone.localdate()
    if months is None:
        since_first = (day.year - first.year) * 12 + day.month - first.month + 1 if first else 0
        months = min(max(PRECOMPUTED_MONTHS, since_first), MOST_STORED_MONTHS)
    window = recent_months(months, day)
    return window, bool(window) and (first is None or window[0] <= first)


def recent_months(months: int, today: date | None = None) -> list[date]:
    """The 1st of the current month and of the `months` - 1 before it, oldest first."""
    day = today or timezone.localdate()
    index = day.year * 12 + day.month - 1
    return [date(i // 12, i % 12 + 1, 1) for i in range(index - months + 1, index + 1)]


def dump_rows(rows: list[dict]) -> list:
    return [[[key, _dump_cell(value)] for key, value in row.items()] for row in rows]


def load_rows(data: list) -> list[dict]:
    return [{key: _load_cell(value) for key, value in row} for row in data]


def read_months(indicator, filters: Filters, *, now: datetime | None = None) -> Table | None:
    """A date range, national or of one state, of a by_month (by_end_month, stock_today) indicator from its
    months' stored rows (reports.models.MonthlyRows), when every month it needs (Indicator.stored_months) is
    stored and fresh; None otherwise (a consulate, an open end, a month not stored: computed live). The rows
    are added and suppressed by the indicator, in the reader's language."""
    from ventanilla.reports.models import MonthlyRows

    if filters.consulate is not None:  # an officer's pages always name a consulate: they never read these
        return None
    oldest = (now or timezone.now()) - MAX_AGE
    fresh = MonthlyRows.objects.filter(indicator=indicator.name, state=filters.state or "", computed_at__gte=oldest)
    history = fresh.filter(history_starts=True).values_list("month", "computed_at").first()
    months = indicator.stored_months(filters, history[0] if history else None)
    if months is None:
        return None
    # A month before the history's start has no figures: its rows are none, as the live read would find.
    stored = {month: ([], history[1]) for month in months if history and month < history[0]}
    stored.update({month: (load_rows(rows), computed_at) for month, rows, computed_at in fresh.filter(
        month__in=[month for month in months if month not in stored]).values_list("month", "rows", "computed_at")})
    if len(stored) != len(months) or not stored and not history:
        return None
    computed_at = min([computed_at for _rows, computed_at in stored.values()] + ([history[1]] if history else []))
    table = indicator.from_month_rows(filters, [stored[month][0] for month in months],
                                      computed_on=timezone.localdate(computed_at))
    table.computed_at = computed_at
    table.precomputed = True
    return table


# Indicators whose default views read the latest portfolio campaign: `ventanilla infonavit campaign` refreshes them.
CAMPAIGN_INDICATORS = ("infonavit_window_payments",)
# The state report's indicators (reports.state_views): precomputed per state for the supervisors' default view.
STATE_REPORT_INDICATORS = ("infonavit_solutions", "infonavit_dla", "infonavit_vsm", "infonavit_window_payments")


def default_views(names: list[str]) -> list[tuple[str, Filters]]:
    """What `ventanilla report refresh` precomputes for the indicators `names`: the pages as they open and as
    they are narrowed by one place. National (supervisors, staff); each consulate with persons or an officer
    (an officer's pages are forced to theirs, and a supervisor may pick any); each state (the state report
    /tablero/estado/<state>/ and the state filter of the dashboards). Date ranges are served from the month
    rows (read_months) where the indicator has them, national or of one state, and computed live otherwise;
    so is a state and a consulate together (an officer's state report)."""
    from ventanilla.people.models import MEXICAN_STATES, Person, Role, User

    consulates = sorted(
        set(Person.objects.filter(consulate__isnull=False).values_list("consulate_id", flat=True).distinct())
        | set(User.objects.filter(role=Role.CONSULAR_OFFICER, is_active=True, consulate__isnull=False)
              .values_list("consulate_id", flat=True)))
    views = [(name, Filters()) for name in names]
    views += [(name, Filters(consulate=consulate)) for consulate in consulates for name in names]
    views += [(name, Filters(state=code)) for code, _label in MEXICAN_STATES for name in names]
    return views
