"""The indicators of the tablero: one registry, one shape, one access rule.

Every figure the working group follows (issue 6) is an Indicator: a name, a title, the filters it accepts, and one
`compute(scope, filters)` that returns a Table. The dashboards, the CSV/XLSX exports, the monthly PDF report and
`GET /api/v1/reports/{indicator}` all read the same Table, so a number on a chart is the number in the API.

    @register
    class AffiliationsByConsulate(Indicator):
        name = "imss_affiliations"
        ...
        def compute(self, scope, filters): ...

Access (shared/ARCHITECTURE.md, "Users"): supervisors, staff and administrators see every consulate; a consular
officer sees their consulate only (the scope is forced, whatever the filters say); citizens and anonymous users see
no indicator. Rows counting fewer than MINIMUM_GROUP_SIZE people are suppressed (`suppress_small`).
"""

import calendar
import dataclasses
from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError, FieldError, NotFoundError
from ventanilla.people import access
from ventanilla.people.models import MEXICAN_STATES
from ventanilla.reports.selectors import MINIMUM_GROUP_SIZE

STATE_CODES = frozenset(code for code, _name in MEXICAN_STATES)
COLUMN_KINDS = ("text", "int", "money", "percent", "decimal", "date", "month")


@dataclass(frozen=True)
class Filters:
    """What a reader asked for. Dates are inclusive; None means no bound.

    Dates are whole months: `start` becomes the 1st of its month and `end` the last day of its month, however
    the Filters is built (parse_filters, the PDF, a precomputed snapshot's key). Two ranges a day apart could
    otherwise isolate the one person who enrolled or paid that day (issue 6: no figure about fewer than
    MINIMUM_GROUP_SIZE people); equal months also make equal snapshot keys.
    """

    start: date | None = None
    end: date | None = None
    state: str | None = None  # a MEXICAN_STATES code
    consulate: int | None = None  # a reference.Consulate id

    def __post_init__(self):
        if self.start is not None:
            object.__setattr__(self, "start", month_start(self.start))
        if self.end is not None:
            object.__setattr__(self, "end", month_end(self.end))


def month_start(day: date) -> date:
    return date(day.year, day.month, 1)


def month_end(day: date) -> date:
    return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])


def months_of(first: date, last: date) -> list[date]:
    """The 1st of every month from `first`'s to `last`'s, inclusive."""
    return [date(i // 12, i % 12 + 1, 1)
            for i in range(first.year * 12 + first.month - 1, last.year * 12 + last.month)]


@dataclass(frozen=True)
class Scope:
    """Who reads: the consulate they are confined to (None: every consulate)."""

    consulate: int | None


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # lazy, translated when rendered
    kind: str = "int"

    def __post_init__(self):
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"column kind must be one of {COLUMN_KINDS}")


@dataclass(frozen=True)
class Chart:
    """How the dashboard draws the table: bars or a line of `value` over `label` (server-rendered SVG)."""

    kind: str  # "bar" or "line"
    label: str  # column key on the category axis
    value: str  # column key on the value axis


@dataclass
class Table:
    indicator: str
    title: str
    columns: list[Column]
    rows: list[dict]
    computed_at: datetime  # when the figures were computed (precomputed ones say when the batch ran)
    suppressed: int = 0  # rows hidden because they counted fewer than MINIMUM_GROUP_SIZE people
    notes: list[str] = field(default_factory=list)  # sources, assumed readings, suppression
    precomputed: bool = False  # read from a batch job's figures (a snapshot, the campaign), not queried live


class Indicator(ABC):
    """Subclass, set the attributes, implement compute(). Register with @register."""

    name: str = ""  # URL-safe: GET /api/v1/reports/{name}
    title: str = ""
    description: str = ""
    domain: str = ""  # "imss", "infonavit" or "mi_cuenta": the dashboard page it belongs to
    source: str = ""  # where the figure comes from (seed, domain note, table)
    filters: frozenset[str] = frozenset({"start", "end", "state", "consulate"})  # the ones it honours
    chart: Chart | None = None
    # `ventanilla report refresh` stores its default views (reports.snapshots) and compute() below serves them
    # while fresh: at issue 6's size (1 M persons, 6.2 M credits) a live page of these figures takes seconds
    # (BENCHMARKS.md, "Tablero dashboards"). False only for figures already precomputed elsewhere.
    precompute: bool = True
    # Figures that add up month by month (counts of events dated in the range): the refresh also stores each
    # month's UNSUPPRESSED rows since the first data (month_rows), nationally and per state, and a range of those
    # months is served by from_month_rows, which adds them and suppresses the sum as compute() does
    # (reports.snapshots.read_months).
    by_month: bool = False
    # Figures of a range that one set of rows per END month answers for any start (the rows reach back to the
    # first data; stocks read on the end date): the refresh stores each month's rows, nationally and per state,
    # and a range ending in one of them is served by from_month_rows from that month's rows alone.
    by_end_month: bool = False
    # A figure whose slow part is a stock read today whatever the dates: the refresh stores its rows (national
    # and per state) under the current month, and from_month_rows adds the range's own (fast, live) part.
    stock_today: bool = False

    @property
    def has_month_rows(self) -> bool:
        """Whether `ventanilla report refresh` stores its month rows (month_rows) for reports.snapshots.read_months."""
        return self.by_month or self.by_end_month or self.stock_today

    @abstractmethod
    def compute(self, scope: Scope, filters: Filters) -> Table:
        """The figures for `filters` (the scope's consulate already forced on them by `compute()` below)."""

    def month_rows(self, first: date, last: date, *, by_state: bool = False) -> dict:
        """by_month / by_end_month / stock_today: the unsuppressed national rows of each month from `first` to
        `last` ({month: rows}; months without rows may be left out). by_state: the same for each state, as the
        state filter reads it ({state: {month: rows}}; states without rows may be left out), in one pass
        grouped by state rather than one per state (32 passes would make the nightly refresh hours long)."""
        raise NotImplementedError

    def stored_months(self, filters: Filters, history_start: date | None = None) -> list[date] | None:
        """The months whose stored rows answer these filters (None: computed live). `history_start`: the first
        month with any figures, when the stored months reach back to it; a by_month range reaching further back
        (or with no start) then needs only the months from it on, possibly none."""
        if self.by_month and filters.end and (filters.start or history_start):
            first = max(day for day in (filters.start, history_start) if day is not None)
            return months_of(first, filters.end)
        if self.by_end_month and filters.end:
            return [month_start(filters.end)]
        if self.stock_today and (filters.start or filters.end):  # without dates the page has its own snapshot
            return [month_start(timezone.localdate())]
        return None

    def from_month_rows(self, filters: Filters, months: list[list[dict]], computed_on: date | None = None) -> Table:
        """by_month: the Table of the range `filters` from its months' month_rows, in month order (by_end_month:
        the end month's alone); it must equal compute() on that range, national or of `filters.state`, as of
        `computed_on` (the day the refresh read them: a stock "today" is that day's)."""
        raise NotImplementedError

    def table(self, columns: list[Column], rows: list[dict], *, computed_at: datetime, suppressed: int = 0,
              notes: Iterable[str] = (), precomputed: bool = False) -> Table:
        notes = [str(note) for note in notes]
        if suppressed:  # every path (page, API, export, PDF, snapshot) builds its Table here
            notes.append(str(COMPLEMENT_NOTE % {"n": MINIMUM_GROUP_SIZE}))
        return Table(self.name, str(self.title), columns, rows, computed_at, suppressed, notes, precomputed)


def by_state(items: Iterable[tuple[str, date, dict]]) -> dict[str, dict[date, list[dict]]]:
    """(state, month, row) triples as month_rows(by_state=True) returns them: {state: {month: [rows]}}."""
    grouped: dict[str, dict[date, list[dict]]] = {}
    for state, month, row in items:
        grouped.setdefault(state, {}).setdefault(month, []).append(row)
    return grouped


COMPLEMENT_NOTE = _("Cuando una fila oculta podría deducirse restándola de un total, se ocultan también las "
                    "filas más pequeñas necesarias para que lo oculto sume al menos %(n)s personas.")
REGISTRY: dict[str, Indicator] = {}
# The filters an indicator may not honour (Indicator.filters); the consulate is each indicator's own answer.
IGNORABLE_FILTERS = {"start": _("fecha inicial"), "end": _("fecha final"), "state": _("estado")}


def register(cls: type[Indicator]) -> type[Indicator]:
    instance = cls()
    if not instance.name or instance.name in REGISTRY:
        raise ValueError(f"indicator name {instance.name!r} is empty or already registered")
    REGISTRY[instance.name] = instance
    return cls


def scope_of(user) -> Scope:
    """The reader's scope, or PermissionDenied (through access.require_role) for roles that see no figures."""
    access.require_role(user, access.FIGURES_ROLES)  # officers included, confined below
    return Scope(consulate=access.consulate_scope(user))


def get_indicator(name: str) -> Indicator:
    try:
        return REGISTRY[name]
    except KeyError:
        raise NotFoundError("indicator") from None


def indicators_for(domain: str | None = None) -> list[Indicator]:
    return [i for i in REGISTRY.values() if domain is None or i.domain == domain]


def parse_month_or_day(text: str) -> date:
    """'YYYY-MM' (its 1st) or 'YYYY-MM-DD', or ValueError."""
    if len(text) == 7 and text[4] == "-":
        return date.fromisoformat(f"{text}-01")
    return date.fromisoformat(text)


def parse_filters(raw: dict) -> Filters:
    """Filters from query-string values; every bad value is reported at once, naming its field.
    Dates may be months (YYYY-MM) or days (YYYY-MM-DD); either way the range covers whole months. A start
    without an end runs to the end of the current month (or of the start's, when that is later)."""
    errors: list[FieldError] = []
    values: dict = {}
    for key in ("start", "end"):
        text = (raw.get(key) or "").strip()
        if text:
            try:
                values[key] = parse_month_or_day(text)  # Filters rounds it to the whole month
            except ValueError:
                errors.append(FieldError(key, "invalid_date", _("Use un mes (AAAA-MM) o una fecha válida "
                                                                "(AAAA-MM-DD).")))
    state = (raw.get("state") or "").strip().upper()
    if state:
        if state in STATE_CODES:
            values["state"] = state
        else:
            errors.append(FieldError("state", "invalid_choice", _("Elija un estado de la lista.")))
    consulate = (raw.get("consulate") or "").strip()
    if consulate:
        if consulate.isdigit():
            values["consulate"] = int(consulate)
        else:
            errors.append(FieldError("consulate", "invalid_choice", _("Elija un consulado de la lista.")))
    if "start" in values and "end" not in values and not any(e.field == "end" for e in errors):
        # ASSUMED reading of an empty "Hasta": up to the current month (the dashboards show what has happened;
        # a range then has both ends, so its stored months can serve it).
        values["end"] = max(values["start"], timezone.localdate())
    if "start" in values and "end" in values and month_start(values["start"]) > month_start(values["end"]):
        errors.append(FieldError("end", "before_start", _("La fecha final no puede ser anterior a la inicial.")))
    if errors:
        raise DomainError(errors)
    return Filters(**values)


def compute(user, name: str, filters: Filters) -> Table:
    """The one entry point: the reader's scope is forced on the filters (an officer never sees another
    consulate, whatever they ask), then the figures are the fresh snapshot for exactly those filters
    (reports.snapshots, `ventanilla report refresh`) or, without one, computed live."""
    from ventanilla.reports import snapshots

    scope = scope_of(user)
    indicator = get_indicator(name)
    if scope.consulate is not None:
        filters = dataclasses.replace(filters, consulate=scope.consulate)  # BEFORE any snapshot key is built
    # A filter the indicator ignores is left out of what it reads, so e.g. a stock read on the end date has one
    # snapshot per end month whatever the start (the notes below still say what was asked and ignored).
    honoured = dataclasses.replace(filters, **{key: None for key in IGNORABLE_FILTERS if key not in indicator.filters})
    table = snapshots.read(indicator.name, honoured) if indicator.precompute else None
    if table is None and indicator.precompute:
        table = snapshots.read_months(indicator, honoured)
    if table is None:
        table = indicator.compute(scope, honoured)
    # A filter the indicator cannot honour is said on the table, so national figures never pass for a state's.
    ignored = [str(label) for key, label in IGNORABLE_FILTERS.items()
               if getattr(filters, key) is not None and key not in indicator.filters]
    if ignored:
        table.notes.append(str(_("Estas cifras no se filtran por: %(filters)s.") % {"filters": ", ".join(ignored)}))
    if (filters.start or filters.end) and ({"start", "end"} & indicator.filters):
        table.notes.append(str(_("Las fechas se toman por meses completos: el periodo va del primer día del mes "
                                 "inicial al último del mes final (%(period)s).")
                               % {"period": period_text(filters)}))
    return table


def period_text(filters: Filters) -> str:
    return f"{filters.start.isoformat() if filters.start else '…'} – {filters.end.isoformat() if filters.end else '…'}"


def computed_label(table: Table) -> str:
    """"Cifras calculadas el …" and how: the page, the exports, the PDF say it the same way (issue 6)."""
    when = timezone.localtime(table.computed_at).strftime("%Y-%m-%d %H:%M")
    if table.precomputed:
        return str(_("Cifras calculadas el %(when)s (precalculadas por el proceso por lotes).") % {"when": when})
    return str(_("Cifras calculadas el %(when)s (en vivo, al abrir la página).") % {"when": when})


def suppress_small(rows: list[dict], people_key: str, minimum: int = MINIMUM_GROUP_SIZE, *,
                   partition: bool = True, within: str | None = None) -> tuple[list[dict], int]:
    """Rows whose `people_key` counts fewer than `minimum` people are dropped (they could identify someone),
    then, when the rows split one population (`partition`: each person in one row), the complementary ones
    (`suppress_complementary`); returns the rows kept, in their order, and how many were dropped.

    partition=False is for rows that count the same people again (users per day, payers per year, workers per
    month paid): their people add up to no population, so no total gives a hidden row back.
    `within`: the rows split one population per value of this key (per solution: a borrower may hold two),
    so the complement is chosen inside each."""
    def small(row) -> bool:
        return (row.get(people_key) or 0) < minimum

    kept = [row for row in rows if not small(row)]
    if partition:
        groups: dict = {}
        for row in rows:
            groups.setdefault(row.get(within) if within else None, []).append(row)
        shown = {id(row) for members in groups.values()
                 for row in suppress_complementary([r for r in members if not small(r)],
                                                   [r for r in members if small(r)], (people_key,), minimum)}
        kept = [row for row in kept if id(row) in shown]
    return kept, len(rows) - len(kept)


def suppress_complementary(kept: list[dict], hidden: list[dict], people_keys: Iterable[str],
                           minimum: int = MINIMUM_GROUP_SIZE) -> list[dict]:
    """Secondary (complementary) suppression, the one rule every table follows.

    A table's rows usually split one population whose total a reader can get another way (a total row, the
    same population split by another indicator, the table without a filter). Then total minus the rows shown
    gives the hidden rows' sum: with ONE row hidden, its count comes back by subtraction. So while the rows
    hidden count together between 1 and minimum - 1 people (for any of `people_keys`), the shown row with the
    fewest people is hidden too (the last of equals: rows come most-first). Hidden rows then add up to 0 or
    to at least `minimum` people. Returns the rows still shown, in their order.

    What it does not close: combining different tables' or filters' hidden cells (a full audit by linear
    programming); running totals have their own rule, `suppress_running_total`.
    """
    keys = tuple(people_keys)
    kept = list(kept)
    hidden_sums = {key: sum(row.get(key) or 0 for row in hidden) for key in keys}
    while kept:
        short = [key for key in keys if 0 < hidden_sums[key] < minimum]
        if not short:
            break
        key = short[0]
        helping = [i for i in range(len(kept)) if (kept[i].get(key) or 0) > 0]  # a row of nobody adds nothing
        if not helping:
            break
        row = kept.pop(min(helping, key=lambda i: (kept[i][key], -i)))
        for k in keys:
            hidden_sums[k] += row.get(k) or 0
    return kept


def suppress_running_total(rows: list[dict], new_key: str,
                           minimum: int = MINIMUM_GROUP_SIZE) -> tuple[list[dict], int]:
    """Suppression for a series with a running total (rows in order, each with its `new_key` count and the
    total so far, counted from the very first row).

    A shown total minus the previous shown total minus the shown rows between gives the hidden rows between
    them; so the hidden rows of every gap must add up to 0 or at least `minimum`. A row under `minimum` is
    hidden, and so is every following row until the gap reaches `minimum` (the gap's complement is the next
    row, not the table's smallest: only it closes that gap). Decisions depend on earlier rows only, so every
    range the reader asks for (computed over the whole series, then cut) shows the same rows. A gap still open
    at the end shows no total after it.
    """
    kept, gap = [], 0
    for row in rows:
        count = row.get(new_key) or 0
        if count < minimum or 0 < gap < minimum:
            gap += count
            continue
        gap = 0
        kept.append(row)
    return kept, len(rows) - len(kept)


def plain(value):
    """A cell as JSON/CSV text: decimals as strings, dates ISO."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
