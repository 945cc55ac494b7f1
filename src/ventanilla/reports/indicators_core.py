"""The one indicator every dashboard can draw from the start: persons attended per consulate."""

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.people.models import Person
from ventanilla.reports.indicators import Chart, Column, Filters, Indicator, Scope, register, suppress_small
from ventanilla.reports.selectors import MINIMUM_GROUP_SIZE


@register
class PersonsByConsulate(Indicator):
    name = "persons_by_consulate"
    title = _("Personas atendidas por consulado")
    description = _("Personas registradas en cada consulado (fecha de registro dentro del periodo).")
    domain = "imss"
    source = _("Registro de personas de Ventanilla (people.Person)")
    chart = Chart(kind="bar", label="name", value="persons")

    def compute(self, scope: Scope, filters: Filters):
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
        grouped = (persons.values("consulate__code", "consulate__name_es", "consulate__country")
                   .annotate(persons=Count("id")).order_by("-persons", "consulate__code"))
        rows = [{"code": r["consulate__code"], "name": r["consulate__name_es"], "country": r["consulate__country"],
                 "persons": r["persons"]} for r in grouped]
        rows, suppressed = suppress_small(rows, "persons")
        columns = [Column("code", _("Clave"), "text"), Column("name", _("Consulado"), "text"),
                   Column("country", _("País"), "text"), Column("persons", _("Personas"), "int")]
        notes = [_("Los consulados con menos de %(n)s personas no se muestran.") % {"n": MINIMUM_GROUP_SIZE}]
        return self.table(columns, rows, computed_at=timezone.now(), suppressed=suppressed, notes=notes)
