"""The one indicator every dashboard can draw from the start: persons attended per consulate."""

from datetime import datetime

from django.db.models import Count
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.people.models import Person
from ventanilla.reports.indicators import Chart, Column, Filters, Indicator, Scope, register, suppress_small
from ventanilla.reports.indicators import by_state as by_state_of
from ventanilla.reports.selectors import MINIMUM_GROUP_SIZE


@register
class PersonsByConsulate(Indicator):
    name = "persons_by_consulate"
    title = _("Personas atendidas por consulado")
    description = _("Personas registradas en cada consulado (fecha de registro dentro del periodo).")
    domain = "imss"
    source = _("Registro de personas de Ventanilla (people.Person)")
    chart = Chart(kind="bar", label="name", value="persons")

    by_month = True  # each person is registered once: a range's count is the sum of its months'

    def compute(self, scope: Scope, filters: Filters):
        grouped = (self._persons(filters).values("consulate__code", "consulate__name_es", "consulate__country")
                   .annotate(persons=Count("id")))
        return self._table([{"code": r["consulate__code"], "name": r["consulate__name_es"],
                             "country": r["consulate__country"], "persons": r["persons"]} for r in grouped])

    def month_rows(self, first, last, *, by_state=False):
        state = ("mx_state",) if by_state else ()
        rows = (self._persons(Filters(start=first, end=last)).annotate(month=TruncMonth("created_at"))
                .values("month", "consulate__code", "consulate__name_es", "consulate__country", *state)
                .annotate(persons=Count("id")))
        grouped = by_state_of((r.get("mx_state"), r["month"].date() if isinstance(r["month"], datetime) else r["month"],
                               {"code": r["consulate__code"], "name": r["consulate__name_es"],
                                "country": r["consulate__country"], "persons": r["persons"]}) for r in rows)
        return grouped if by_state else grouped.get(None, {})

    def from_month_rows(self, filters, months, computed_on=None):
        added: dict = {}
        for rows in months:
            for row in rows:
                if row["code"] in added:
                    added[row["code"]]["persons"] += row["persons"]
                else:
                    added[row["code"]] = dict(row)
        return self._table(list(added.values()))

    @staticmethod
    def _persons(filters: Filters):
        persons = Person.objects.filter(consulate__isnull=False)
        # Dates bound the day a person was registered (created_at, local calendar day).
        if filters.start:
            persons = persons.filter(created_at__date__gte=filters.start)
        if filters.end:
            persons = persons.filter(created_at__date__lte=filters.end)
        if filters.state:
            persons = persons.filter(mx_state=filters.state)
        if filters.consulate is not None:
            persons = persons.filter(consulate_id=filters.consulate)
        return persons

    def _table(self, rows):
        # Sorted here, not by the database's collation, so live and month-added tables come in one order
        # (suppression picks among equals by position). A consulate's code is unique.
        rows = sorted(rows, key=lambda r: (-r["persons"], r["code"]))
        rows, suppressed = suppress_small(rows, "persons")
        columns = [Column("code", _("Clave"), "text"), Column("name", _("Consulado"), "text"),
                   Column("country", _("País"), "text"), Column("persons", _("Personas"), "int")]
        notes = [_("Los consulados con menos de %(n)s personas no se muestran.") % {"n": MINIMUM_GROUP_SIZE}]
        return self.table(columns, rows, computed_at=timezone.now(), suppressed=suppressed, notes=notes)
