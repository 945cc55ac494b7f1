"""Reads about persons, always through the access funnel."""

from django.db.models import Q, QuerySet

from ventanilla.people.access import visible_persons
from ventanilla.people.models import Person


def search_persons(user, query: str = "") -> QuerySet[Person]:
    """Persons this user may see, matching a CURP, NSS or name fragment."""
    persons = visible_persons(user).select_related("consulate")
    query = (query or "").strip().upper()
    if not query:
        return persons
    if len(query) == 18:
        return persons.filter(curp=query)
    if query.isdigit() and len(query) == 11:
        return persons.filter(nss=query)
    terms = query.split()
    for term in terms:
        persons = persons.filter(
            Q(first_names__icontains=term) | Q(last_name_1__icontains=term) | Q(last_name_2__icontains=term)
            | Q(curp__startswith=term)
        )
    return persons
