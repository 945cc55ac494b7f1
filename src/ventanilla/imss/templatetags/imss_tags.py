"""Amounts as Mexico writes them (2,633.12) in both languages, and the IMSS blocks other screens include."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


@register.filter
def amount(value) -> str:
    """2633.1 → "2,633.10" (tables whose header names the currency)."""
    number = _decimal(value)
    return "" if number is None else f"{number:,.2f}"


@register.filter
def pesos(value) -> str:
    number = _decimal(value)
    return "" if number is None else f"${number:,.2f} MXN"


@register.filter
def dollars(value) -> str:
    number = _decimal(value)
    return "" if number is None else f"US${number:,.2f}"


@register.inclusion_tag("imss/_portal_summary.html", takes_context=True)
def imss_portal_summary(context, person):
    from ventanilla.imss.views import portal_summary

    return {**portal_summary(person), "request": context.get("request")}


@register.inclusion_tag("imss/_person_imss.html")
def imss_person_links(person):
    from ventanilla.imss.models import Affiliation

    affiliation = Affiliation.objects.filter(person=person).first()
    return {"person": person, "affiliation": affiliation}


@register.filter
def get_item(mapping, key):
    """mapping[key] or an empty list (per-row errors of the staff lists)."""
    return (mapping or {}).get(key, [])


@register.filter
def plain_number(value) -> str:
    """Weeks and days as the rules write them: 12 stays "12", 8.57 stays "8.57" (never "8,57")."""
    from ventanilla.core.reasons import number

    parsed = _decimal(value)
    return "" if parsed is None else number(parsed)
