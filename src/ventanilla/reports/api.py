"""The tablero's figures over HTTP: the list of indicators and each one's Table, with the dashboards' filters.

Auth as the other private routers (session or bearer token); citizens get 403, a consular officer's answers are
confined to their consulate (reports.indicators.compute forces it)."""

from datetime import datetime

from ninja import Router, Schema

from ventanilla.people import access
from ventanilla.people.api_auth import private
from ventanilla.reports import indicators
from ventanilla.reports.indicators import plain

router = Router(tags=["reports"])
READERS = private(access.FIGURES_ROLES)


class IndicatorOut(Schema):
    name: str
    title: str
    description: str
    domain: str
    source: str
    filters: list[str]
    chart: dict | None


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class TableOut(Schema):
    indicator: str
    title: str
    columns: list[ColumnOut]
    rows: list[dict]
    computed_at: datetime
    precomputed: bool  # from the batch job's snapshot (or the campaign) rather than queried live
    suppressed: int
    notes: list[str]


def indicator_answer(indicator) -> dict:
    chart = indicator.chart
    return {"name": indicator.name, "title": str(indicator.title), "description": str(indicator.description),
            "domain": indicator.domain, "source": str(indicator.source), "filters": sorted(indicator.filters),
            "chart": {"kind": chart.kind, "label": chart.label, "value": chart.value} if chart else None}


def table_answer(table) -> dict:
    """A Table as JSON: decimals as strings, dates ISO (the same cells as the CSV)."""
    return {"indicator": table.indicator, "title": table.title,
            "columns": [{"key": c.key, "label": str(c.label), "kind": c.kind} for c in table.columns],
            "rows": [{key: plain(value) for key, value in row.items()} for row in table.rows],
            "computed_at": table.computed_at, "precomputed": table.precomputed, "suppressed": table.suppressed,
            "notes": table.notes}


@router.get("", response=list[IndicatorOut], auth=READERS, summary="The tablero's indicators",
            description="Every registered indicator: its name (for `/reports/{indicator}`), title, domain "
            "(imss, infonavit, mi_cuenta), source and the filters it honours.")
def list_indicators(request):
    indicators.scope_of(request.auth)
    return [indicator_answer(i) for i in indicators.indicators_for()]


@router.get("/{indicator}", response=TableOut, auth=READERS, summary="One indicator's figures",
            description="The indicator's table for the filters: `start` and `end` (YYYY-MM or YYYY-MM-DD, "
            "inclusive, in WHOLE MONTHS: `start` is taken as the 1st of its month and `end` as the last day of its "
            "month, so ranges a day apart cannot single a person out; a `start` without `end` runs to the current "
            "month; a note on the table says the period used), `state` (a Mexican state code, e.g. JC), `consulate` (a consulate id). Bad filters answer 422 "
            "naming each field; an unknown indicator 404. A consular officer always gets their consulate's "
            "figures. Rows under five people are left out, and so are complementary rows when the hidden ones "
            "would add up to fewer than five (a total minus the rows shown would give them back); all are "
            "counted in `suppressed`. `computed_at` says when the "
            "figures were computed and `precomputed` whether they come from the nightly batch job "
            "(`ventanilla report refresh`) or were computed for this request.")
def get_indicator(request, indicator: str, start: str | None = None, end: str | None = None,
                  state: str | None = None, consulate: str | None = None):
    indicators.get_indicator(indicator)  # 404 before parsing: an unknown name is the first thing wrong
    filters = indicators.parse_filters({"start": start, "end": end, "state": state, "consulate": consulate})
    return table_answer(indicators.compute(request.auth, indicator, filters))
