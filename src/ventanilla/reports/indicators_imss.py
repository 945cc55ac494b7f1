"""IMSS abroad indicators (issue 6; shared/domain/imss-abroad.md; seeds 003/004: 15,375 workers enrolled with
14,705 relatives in late 2025, an average declared base of about 389 pesos a day). Figures come from
reports.selectors; the consulate filter is the one the affiliation was enrolled at, the state filter the
person's Mexican address."""

from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.reports import indicators, selectors
from ventanilla.reports.indicators import (
    Chart,
    Column,
    Filters,
    Indicator,
    Scope,
    month_end,
    months_of,
    register,
    suppress_small,
)

SMALL_GROUPS_NOTE = _("Los grupos con menos de %(n)s personas no se muestran.")
DATED_FILTERS = frozenset({"start", "end", "state", "consulate"})
ON_DATE_FILTERS = frozenset({"end", "state", "consulate"})  # a stock read on the end date: no start


def suppressed_table(indicator: Indicator, columns, rows, people_key: str, notes=(), *, partition: bool = True):
    kept, suppressed = suppress_small(rows, people_key, partition=partition)
    return indicator.table(columns, kept, computed_at=timezone.now(), suppressed=suppressed,
                           notes=[*notes, SMALL_GROUPS_NOTE % {"n": selectors.MINIMUM_GROUP_SIZE}])


def in_force_note(filters, computed_on=None) -> str:
    """"Vigentes el <day>": the report date, or the day stored rows were read when that is earlier (the current
    month's stock is the refresh day's, not today's)."""
    day = selectors.report_date(filters)
    return _("Vigentes el %(day)s.") % {"day": min(day, computed_on or day).isoformat()}


def on_month_ends(selector, first, last, by_state: bool) -> dict:
    """month_rows of a figure read on the end date: `selector` on each month's last day from `first` to `last`
    (one pass each, grouped by state when by_state)."""
    ends = {month: selector(Filters(end=month_end(month)), by_state=by_state) for month in months_of(first, last)}
    if not by_state:
        return ends
    return indicators.by_state((state, month, row) for month, states in ends.items()
                               for state, rows in states.items() for row in rows)


class AffiliationsBy(Indicator):
    domain = "imss"
    source = _("Afiliaciones de Ventanilla (imss.Affiliation), fecha de afiliación")
    filters = DATED_FILTERS
    group = ""
    group_columns: list[Column] = []

    by_month = True  # a count of affiliations enrolled in a range is the sum of its months'

    def compute(self, scope: Scope, filters: Filters):
        return self._table(selectors.affiliations_by(filters, self.group))

    def month_rows(self, first, last, *, by_state=False):
        return selectors.affiliations_by_month(Filters(start=first, end=last), self.group, by_state=by_state)

    def from_month_rows(self, filters, months, computed_on=None):
        return self._table(selectors.add_affiliations(months, self.group))

    def _table(self, rows):
        columns = [*self.group_columns, Column("affiliations", _("Afiliaciones"), "int")]
        return suppressed_table(self, columns, rows, "affiliations")


@register
class AffiliationsByConsulate(AffiliationsBy):
    name = "imss_affiliations_by_consulate"
    title = _("Afiliaciones al IMSS por consulado")
    description = _("Personas trabajadoras en el extranjero afiliadas en el periodo, por consulado de afiliación.")
    group = "consulate"
    group_columns = [Column("code", _("Clave"), "text"), Column("name", _("Consulado"), "text")]
    chart = Chart(kind="bar", label="name", value="affiliations")


@register
class AffiliationsByCountry(AffiliationsBy):
    name = "imss_affiliations_by_country"
    title = _("Afiliaciones al IMSS por país")
    description = _("Afiliaciones del periodo por país del consulado de afiliación.")
    group = "country"
    group_columns = [Column("country", _("País"), "text")]
    chart = Chart(kind="bar", label="country", value="affiliations")


@register
class AffiliationsByMonth(AffiliationsBy):
    name = "imss_affiliations_by_month"
    title = _("Afiliaciones al IMSS por mes")
    description = _("Afiliaciones por mes de afiliación.")
    group = "month"
    group_columns = [Column("month", _("Mes"), "month")]
    chart = Chart(kind="line", label="month", value="affiliations")


@register
class AffiliationsBySex(AffiliationsBy):
    name = "imss_affiliations_by_sex"
    title = _("Afiliaciones al IMSS por sexo")
    description = _("Afiliaciones del periodo por sexo (H, M, X como en la CURP).")
    group = "sex"
    group_columns = [Column("sex", _("Sexo"), "text")]
    chart = Chart(kind="bar", label="sex", value="affiliations")


class StockOnEndDate(Indicator):
    """A stock read on the end date, by consulate: computed live, or served from the refresh's rows at each
    month's end (by_end_month), nationally or per state. Subclasses name the selector and the columns."""

    filters = ON_DATE_FILTERS
    by_end_month = True
    read: Callable[[Filters], list[dict]]  # the selector (a staticmethod): rows by consulate on the end date
    people_key = ""
    columns: list[Column] = []

    def compute(self, scope: Scope, filters: Filters):
        return self._table(filters, self.read(filters))

    def month_rows(self, first, last, *, by_state=False):
        return on_month_ends(self.read, first, last, by_state)

    def from_month_rows(self, filters, months, computed_on=None):
        return self._table(filters, months[-1], computed_on)

    def _table(self, filters, rows, computed_on=None):
        return suppressed_table(self, self.columns, rows, self.people_key, [in_force_note(filters, computed_on)])


@register
class RelativesCovered(StockOnEndDate):
    name = "imss_relatives_covered"
    title = _("Familiares con derecho al IMSS")
    description = _("Beneficiarios vigentes en la fecha final (registrados y sin baja) y personas trabajadoras "
                    "de las que dependen, por consulado.")
    domain = "imss"
    source = _("Beneficiarios registrados (imss.Beneficiary, LSS art. 84)")
    chart = Chart(kind="bar", label="name", value="relatives")
    read = staticmethod(selectors.relatives_covered)
    people_key = "workers"
    columns = [Column("code", _("Clave"), "text"), Column("name", _("Consulado"), "text"),
               Column("workers", _("Personas trabajadoras"), "int"), Column("relatives", _("Familiares"), "int")]


@register
class AverageDeclaredBase(Indicator):
    name = "imss_average_sbc"
    title = _("Salario base de cotización promedio")
    description = _("Promedio del SBC diario (pesos) del último periodo de cada afiliación iniciado en el "
                    "periodo, por consulado.")
    domain = "imss"
    source = _("Periodos de cotización no cancelados (imss.ContributionPeriod.sbc_daily)")
    filters = DATED_FILTERS
    chart = Chart(kind="bar", label="name", value="average_sbc")

    # Not by_month (each affiliation counts with its latest period inside the range, which no month alone knows)
    # but by_end_month: per end month, the latest periods by the month they start in, with count and SBC sum.
    by_end_month = True

    def compute(self, scope: Scope, filters: Filters):
        return self._table(selectors.average_declared_base(filters))

    def month_rows(self, first, last, *, by_state=False):
        return on_month_ends(selectors.declared_base_since, first, last, by_state)

    def from_month_rows(self, filters, months, computed_on=None):
        return self._table(selectors.average_from_since(months[-1], filters.start))

    def _table(self, rows):
        columns = [Column("code", _("Clave"), "text"), Column("name", _("Consulado"), "text"),
                   Column("affiliations", _("Afiliaciones"), "int"),
                   Column("average_sbc", _("SBC promedio (pesos diarios)"), "money")]
        return suppressed_table(self, columns, rows, "affiliations")


@register
class ContributionsCollected(Indicator):
    name = "imss_contributions_collected"
    title = _("Cuotas IMSS recaudadas por mes")
    description = _("Periodos pagados por mes de pago: pesos, periodos y personas trabajadoras.")
    domain = "imss"
    source = _("Periodos de cotización pagados (imss.ContributionPeriod, estado pagado)")
    filters = DATED_FILTERS
    chart = Chart(kind="bar", label="month", value="amount")
    by_month = True  # one row per month of payment, each computed from that month alone

    def compute(self, scope: Scope, filters: Filters):
        return self._table(selectors.contributions_collected(filters))

    def month_rows(self, first, last, *, by_state=False):
        rows = selectors.contributions_collected(Filters(start=first, end=last), by_state=by_state)
        if by_state:
            return indicators.by_state((state, row["month"], row) for state, rows in rows.items() for row in rows)
        return {row["month"]: [row] for row in rows}  # one row per month of payment

    def from_month_rows(self, filters, months, computed_on=None):
        return self._table([row for rows in months for row in rows])

    def _table(self, rows):
        columns = [Column("month", _("Mes"), "month"), Column("amount", _("Pesos"), "money"),
                   Column("periods", _("Periodos"), "int"), Column("workers", _("Personas trabajadoras"), "int")]
        # A worker pays month after month: the rows' workers add up to no population (no complement).
        return suppressed_table(self, columns, rows, "workers", partition=False)


@register
class CoverageInForce(StockOnEndDate):
    name = "imss_coverage_in_force"
    title = _("Afiliaciones con derechos vigentes")
    description = _("Afiliaciones con vigencia de derechos en la fecha final: cubiertas por un periodo pagado o "
                    "en las 8 semanas de conservación, por consulado.")
    domain = "imss"
    source = _("Regla de vigencia de derechos (imss.rules.coverage; LSS art. 109)")
    chart = Chart(kind="bar", label="name", value="in_force")
    read = staticmethod(selectors.coverage_in_force)
    people_key = "affiliations"
    columns = [Column("code", _("Clave"), "text"), Column("name", _("Consulado"), "text"),
               Column("affiliations", _("Afiliaciones"), "int"), Column("covered", _("Cubiertas"), "int"),
               Column("conservation", _("En conservación"), "int"),
               Column("in_force", _("Con derechos vigentes"), "int"),
               Column("share", _("Porcentaje vigente"), "percent")]


@register
class BenefitClaims(Indicator):
    name = "imss_benefit_claims"
    title = _("Solicitudes de prestaciones del IMSS")
    description = _("Solicitudes registradas en el periodo por prestación y estado, con el monto aprobado.")
    domain = "imss"
    source = _("Solicitudes de prestaciones (imss.BenefitClaim)")
    filters = DATED_FILTERS
    chart = Chart(kind="bar", label="kind", value="claims")
    # Not by_month: its workers are distinct over the whole range, and distinct people do not add up by month.

    def compute(self, scope: Scope, filters: Filters):
        columns = [Column("kind", _("Prestación"), "text"), Column("status", _("Estado"), "text"),
                   Column("claims", _("Solicitudes"), "int"), Column("workers", _("Personas trabajadoras"), "int"),
                   Column("amount", _("Pesos"), "money")]
        # A worker may claim several benefits: the rows' workers add up to no population (no complement).
        return suppressed_table(self, columns, selectors.benefit_claims(filters), "workers", partition=False)
