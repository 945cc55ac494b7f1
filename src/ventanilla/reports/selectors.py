"""Figures for the tablero. No group smaller than MINIMUM_GROUP_SIZE is shown (it could identify people)."""

from django.db.models import Count

from ventanilla.people.access import consulate_scope
from ventanilla.people.models import Person

MINIMUM_GROUP_SIZE = 5  # assumed: the working group's disclosure threshold; no official rule was published


def persons_by_consulate(user) -> list[dict]:
    """Persons attended per consulate; an officer sees only their consulate. Small groups are suppressed."""
    persons = Person.objects.filter(consulate__isnull=False)
    scope = consulate_scope(user)
    if scope is not None:
        persons = persons.filter(consulate_id=scope)
    rows = (persons.values("consulate__code", "consulate__name_es", "consulate__country")
            .annotate(persons=Count("id")).order_by("-persons", "consulate__code"))
    return [
        {"code": r["consulate__code"], "name": r["consulate__name_es"], "country": r["consulate__country"],
         "persons": r["persons"] if r["persons"] >= MINIMUM_GROUP_SIZE else None}
        for r in rows
    ]
