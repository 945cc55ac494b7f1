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

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError, FieldError, NotFoundError
from ventanilla.people import access
from ventanilla.people.models import MEXICAN_STATES
from ventanilla.reports.selectors import MINIMUM_GROUP_SIZE

STATE_CODES = frozenset(code for code, _name in MEXICAN_STATES)
COLUMN_KINDS = ("text", "int", "money", "percent", "decimal", "date", "month")


@dataclass(frozen=True)
class Filters:
    """What a reader asked for. Dates are inclusive; None means no bound."""

    start: date | None = None
    end: date | None = None
    state: str | None = None  # a MEXICAN_STATES code
    consulate: int | None = None  # a reference.Consulate id


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


class Indicator(ABC):
    """Subclass, set the attributes, implement compute(). Register with @register."""

    name: str = ""  # URL-safe: GET /api/v1/reports/{name}
    title: str = ""
    description: str = ""
    domain: str = ""  # "imss", "infonavit" or "mi_cuenta": the dashboard page it belongs to
    source: str = ""  # where the figure comes from (seed, domain note, table)
    filters: frozenset[str] = frozenset({"start", "end", "state", "consulate"})  # the ones it honours
    chart: Chart | None = None

    @abstractmethod
    def compute(self, scope: Scope, filters: Filters) -> Table:
        """The figures for `filters` (the scope's consulate already forced on them by `compute()` below)."""

    def table(self, columns: list[Column], rows: list[dict], *, computed_at: datetime, suppressed: int = 0,
              notes: Iterable[str] = ()) -> Table:
        return Table(self.name, str(self.title), columns, rows, computed_at, suppressed,
                     [str(note) for note in notes])


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


def parse_filters(raw: dict) -> Filters:
    """Filters from query-string values; every bad value is reported at once, naming its field."""
    errors: list[FieldError] = []
    values: dict = {}
    for key in ("start", "end"):
        text = (raw.get(key) or "").strip()
        if text:
            try:
                values[key] = date.fromisoformat(text)
            except ValueError:
                errors.append(FieldError(key, "invalid_date", _("Use una fecha válida (AAAA-MM-DD).")))
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
    if "start" in values and "end" in values and values["start"] > values["end"]:
        errors.append(FieldError("end", "before_start", _("La fecha final no puede ser anterior a la inicial.")))
    if errors:
        raise DomainError(errors)
    return Filters(**values)


def compute(user, name: str, filters: Filters) -> Table:
    """The one entry point: the reader's scope is forced on the filters (an officer never sees another
    consulate, whatever they ask), then the indicator computes."""
    scope = scope_of(user)
    indicator = get_indicator(name)
    if scope.consulate is not None:
        filters = Filters(filters.start, filters.end, filters.state, scope.consulate)
    table = indicator.compute(scope, filters)
    # A filter the indicator cannot honour is said on the table, so national figures never pass for a state's.
    ignored = [str(label) for key, label in IGNORABLE_FILTERS.items()
               if getattr(filters, key) is not None and key not in indicator.filters]
    if ignored:
        table.notes.append(str(_("Estas cifras no se filtran por: %(filters)s.") % {"filters": ", ".join(ignored)}))
    return table


def suppress_small(rows: list[dict], people_key: str, minimum: int = MINIMUM_GROUP_SIZE) -> tuple[list[dict], int]:
    """Rows whose `people_key` counts fewer than `minimum` people are dropped (they could identify someone);
    returns the rows kept and how many were dropped."""
    kept = [row for row in rows if (row.get(people_key) or 0) >= minimum]
    return kept, len(rows) - len(kept)


def plain(value):
    """A cell as JSON/CSV text: decimals as strings, dates ISO."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
