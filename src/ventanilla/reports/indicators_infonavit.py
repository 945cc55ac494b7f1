"""The Infonavit indicators of the tablero (issue 6), in the shape of seed 001 (Michoacán: people helped, RC
restructures and discounts, DLA beneficiaries and discounts, payments at the window by year).

Live or precomputed (the issue's speed rule: a page under 1 s with 6.2 M credits):
- live queries: solutions granted and their discounts, DLA, VSM credits left and converted, Sin Fronteras,
  and window payments whenever a date range or a consulate is asked for (the bounds keep the scan small); a
  date range of VSM credits, national or of one state, reads the credits in force (today's stock) stored by
  `report refresh`;
- precomputed by the portfolio campaign (batch.models.CampaignRun.figures, the latest run in force): window
  payments by year for the whole country or a state, and the campaign's potential beneficiaries. Their
  computed_at is when the campaign finished, and a note says so.
Figures that cannot be split by consulate (the campaign's, Sin Fronteras') show no rows when a consulate is
asked for or forced (an officer), rather than the whole country's.
"""

from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.infonavit.rules.solutions import SOLUTION_CODES
from ventanilla.payments.rules import PAYER_KINDS
from ventanilla.payments.selectors import remittance_figures
from ventanilla.people.models import MEXICAN_STATES
from ventanilla.reports import selectors_infonavit as data
from ventanilla.reports.indicators import (
    Chart,
    Column,
    Filters,
    Indicator,
    Scope,
    month_start,
    register,
    suppress_complementary,
    suppress_small,
)
from ventanilla.reports.selectors import MINIMUM_GROUP_SIZE

STATE_NAMES = dict(MEXICAN_STATES)
DATED = frozenset({"start", "end", "state", "consulate"})


def _bounds(filters: Filters) -> data.Bounds:
    return data.Bounds(filters.start, filters.end, filters.state, filters.consulate)


def _small_note():
    return _("Los grupos con menos de %(n)s personas no se muestran.") % {"n": MINIMUM_GROUP_SIZE}


def _no_consulate_note():
    return _("Esta cifra no se puede separar por consulado: no se muestra cuando se filtra por consulado.")


STATE_COLUMNS = [Column("state", _("Clave"), "text"), Column("state_name", _("Estado"), "text")]


def _named(row: dict) -> dict:
    return {**row, "state_name": STATE_NAMES.get(row["state"], row["state"])}


class SolutionsGranted(Indicator):
    """Base of the two relief indicators: the same read, all solutions or one."""

    domain = "infonavit"
    source = _("Soluciones aplicadas (SolutionApplication) y descuentos y bonificaciones del estado de cuenta; "
               "shared/domain/infonavit.md, Cobranza Social")
    filters = DATED
    code: str | None = None

    def compute(self, scope: Scope, filters: Filters):
        rows = [_named(row) for row in data.solution_figures(_bounds(filters), self.code)]
        rows, suppressed = suppress_small(rows, "people", within="solution")  # a borrower may hold two solutions
        # The discount sums only the discounted borrowers, a smaller group than `people`: blank it when small.
        rows = [{**{k: v for k, v in row.items() if k != "discount_people"},
                 "discount": row["discount"] if row["discount_people"] >= MINIMUM_GROUP_SIZE else None}
                for row in rows]
        columns = [*STATE_COLUMNS, Column("solution", _("Solución"), "text"),
                   Column("people", _("Personas beneficiadas"), "int"), Column("discount", _("Descuentos"), "money")]
        notes = [_("Personas con una solución en vigor que empezó en el periodo o les dio un descuento en él; "
                   "descuentos otorgados en el periodo (sin los corregidos)."), _small_note(),
                 _("Los descuentos recibidos por menos de %(n)s personas se dejan en blanco.")
                 % {"n": MINIMUM_GROUP_SIZE}]
        return self.table(columns, rows, computed_at=timezone.now(), suppressed=suppressed, notes=notes)


@register
class CobranzaSocial(SolutionsGranted):
    name = "infonavit_solutions"
    title = _("Cobranza Social: personas beneficiadas y descuentos por solución y estado")
    description = _("Lo otorgado (no la elegibilidad): soluciones puestas en vigor y sus descuentos.")


@register
class DlaGranted(SolutionsGranted):
    name = "infonavit_dla"
    title = _("Descuento por liquidación anticipada (DLA): personas beneficiadas y descuentos")
    description = _("Descuentos DLA otorgados al liquidar, por estado.")
    code = "DLA"


@register
class VsmCredits(Indicator):
    name = "infonavit_vsm"
    title = _("Créditos en VSM vigentes y convertidos a pesos (Responsabilidad Compartida)")
    description = _("Créditos en veces salario mínimo que siguen vigentes hoy y conversiones RC del periodo.")
    domain = "infonavit"
    source = _("Créditos (Credit) y conversiones del estado de cuenta; shared/domain/infonavit.md, RC")
    filters = DATED

    # The slow part, the VSM credits in force, is today's stock whatever the dates: the refresh stores its rows
    # (national and per state), and a date range adds only the period's conversions, read live (an index read).
    stock_today = True

    def compute(self, scope: Scope, filters: Filters):
        return self._table(data.vsm_figures(_bounds(filters)))

    def month_rows(self, first, last, *, by_state=False):
        left = data.vsm_left(data.Bounds())  # by state already: a state's rows are its row of the national ones
        if by_state:
            return {row["state"]: {month_start(last): [row]} for row in left}
        return {month_start(last): left}

    def from_month_rows(self, filters, months, computed_on=None):
        return self._table(data.vsm_rows(months[-1], data.vsm_converted(_bounds(filters))), computed_on)

    def _table(self, rows, computed_on=None):
        rows = [_named(row) for row in rows]
        # A state shows when neither of its groups counts 1 to 4 people (either could point at someone).
        keys = ("vsm_people", "converted_people")
        small = [r for r in rows if any(0 < r[key] < MINIMUM_GROUP_SIZE for key in keys)]
        kept = suppress_complementary([r for r in rows if r not in small], small, keys)
        columns = [*STATE_COLUMNS, Column("vsm_left", _("Créditos VSM vigentes"), "int"),
                   Column("converted", _("Convertidos a pesos (RC)"), "int"),
                   Column("converted_people", _("Personas que convirtieron"), "int")]
        if computed_on is not None and computed_on < timezone.localdate():  # last night's stored stock
            left = _("Los créditos VSM vigentes son los del %(day)s (el periodo no los limita).") % {
                "day": computed_on.isoformat()}
        else:
            left = _("Los créditos VSM vigentes son los de hoy (el periodo no los limita).")
        notes = [left, _small_note()]
        return self.table(columns, [{k: v for k, v in r.items() if k != "vsm_people"} for r in kept],
                          computed_at=timezone.now(), suppressed=len(rows) - len(kept), notes=notes)


@register
class WindowPayments(Indicator):
    name = "infonavit_window_payments"
    title = _("Pagos en ventanilla por año")
    description = _("Lo que los acreditados pagaron en ventanilla cada año (pagos corregidos excluidos).")
    domain = "infonavit"
    source = _("Pagos del estado de cuenta con canal ventanilla; seed 001 (pagos en ventanilla 2013-2023)")
    filters = DATED
    chart = Chart(kind="bar", label="year", value="amount")
    columns = [Column("year", _("Año"), "text"), Column("payments", _("Pagos"), "int"),
               Column("amount", _("Importe pagado"), "money")]

    def compute(self, scope: Scope, filters: Filters):
        campaign = data.latest_campaign()
        if campaign is not None and not (filters.start or filters.end or filters.consulate is not None):
            return self._precomputed(campaign, filters)
        rows = [{**row, "year": str(row["year"])} for row in data.window_payments_live(_bounds(filters))]
        rows, suppressed = suppress_small(rows, "people", partition=False)  # a borrower pays year after year
        return self.table(self.columns, rows, computed_at=timezone.now(), suppressed=suppressed,
                          notes=[_small_note()])

    def _precomputed(self, campaign, filters: Filters):
        by_year: dict[int, dict] = defaultdict(lambda: {"payments": 0, "people": 0, "amount": Decimal("0.00")})
        for row in campaign.figures.get("window_payments", []):
            if filters.state and row["state"] != filters.state:
                continue
            # Figures from runs older than the people count carry none: 0 people, so their year is suppressed.
            by_year[row["year"]]["people"] += row.get("people") or 0
            by_year[row["year"]]["payments"] += row["payments"]
            by_year[row["year"]]["amount"] += Decimal(row["amount"])
        rows = [{"year": str(y), **figures} for y, figures in sorted(by_year.items())]
        # Suppressed on distinct borrowers per (year, state), summed over states (one borrower with homes in two
        # states counts twice across the country, never in one state).
        rows, suppressed = suppress_small(rows, "people", partition=False)  # a borrower pays year after year
        notes = [_("Cifras precalculadas por la campaña del %(as_of)s (calculadas al terminar la corrida).")
                 % {"as_of": campaign.as_of.isoformat()}, _small_note()]
        return self.table(self.columns, rows, computed_at=campaign.finished_at, suppressed=suppressed, notes=notes,
                          precomputed=True)


@register
class SinFronteras(Indicator):
    name = "infonavit_sin_fronteras"
    title = _("Infonavit Sin Fronteras: operaciones, créditos, pagadores y pesos por mes y estado de EE. UU.")
    description = _("Pagos desde el extranjero liquidados por las remesadoras.")
    domain = "infonavit"
    source = _("Pagos por remesadora (payments.selectors.remittance_figures); seed 000")
    filters = frozenset({"start", "end"})

    def compute(self, scope: Scope, filters: Filters):
        columns = [Column("month", _("Mes"), "month"), Column("us_state", _("Estado de EE. UU."), "text"),
                   Column("operations", _("Operaciones"), "int"), Column("credits", _("Créditos"), "int"),
                   *[Column(f"payer_{kind}", label, "int") for kind, label in
                     zip(PAYER_KINDS, (_("Pagó el acreditado"), _("Pagó un familiar"), _("Pagó un tercero")),
                         strict=True)],
                   Column("amount_usd", _("Dólares"), "decimal"), Column("amount_mxn", _("Pesos"), "money")]
        if filters.consulate is not None:
            return self.table(columns, [], computed_at=timezone.now(), notes=[_no_consulate_note()])
        rows = [{"month": f.month, "us_state": f.us_state, "operations": f.operations, "credits": f.credits,
                 **{f"payer_{kind}": f.payers[kind] for kind in PAYER_KINDS},
                 "amount_usd": f.amount_usd, "amount_mxn": f.amount_mxn}
                for f in remittance_figures(filters.start, filters.end)]
        # One credit is one borrower, who pays month after month (no population to complement).
        rows, suppressed = suppress_small(rows, "credits", partition=False)
        return self.table(columns, rows, computed_at=timezone.now(), suppressed=suppressed, notes=[_small_note()])


@register
class CampaignPotential(Indicator):
    name = "infonavit_campaign_potential"
    title = _("Beneficiarios potenciales de la campaña por solución y estado")
    description = _("Créditos elegibles para cada solución según la última campaña sobre la cartera.")
    domain = "infonavit"
    source = _("Última campaña de soluciones (batch.CampaignRun), precalculada")
    filters = frozenset({"state"})
    precompute = False  # the campaign's own figures: one JSON read, already precomputed by that batch job

    def compute(self, scope: Scope, filters: Filters):
        columns = [*STATE_COLUMNS, Column("solution", _("Solución"), "text"),
                   Column("eligible", _("Créditos elegibles"), "int"), Column("amount", _("Importe"), "money")]
        campaign = data.latest_campaign()
        if filters.consulate is not None:
            return self.table(columns, [], computed_at=timezone.now(), notes=[_no_consulate_note()])
        if campaign is None:
            return self.table(columns, [], computed_at=timezone.now(),
                              notes=[_("Todavía no se ha corrido ninguna campaña.")])
        rows = []
        for state in campaign.figures.get("by_state", []):
            if filters.state and state["state"] != filters.state:
                continue
            for code in SOLUTION_CODES:
                figures = state["solutions"].get(code, {})
                amount = figures.get("amount")
                rows.append(_named({"state": state["state"], "solution": code, "eligible": figures.get("eligible", 0),
                                    "amount": Decimal(amount) if amount is not None else None}))
        # One credit is one borrower; a credit may be eligible for several solutions: complement per solution.
        rows, suppressed = suppress_small(rows, "eligible", within="solution")
        notes = [_("Cifras precalculadas por la campaña del %(as_of)s (calculadas al terminar la corrida).")
                 % {"as_of": campaign.as_of.isoformat()}, _small_note()]
        return self.table(columns, rows, computed_at=campaign.finished_at, suppressed=suppressed, notes=notes,
                          precomputed=True)
