"""The housing-subaccount block of Mi Cuenta and of the officer's person page."""

from django import template

from ventanilla.infonavit import savings_selectors as selectors
from ventanilla.people import access

register = template.Library()


@register.inclusion_tag("infonavit/_savings_summary.html")
def savings_portal_summary(person):
    return {"summary": selectors.savings_summary(person) if person is not None else None}


@register.inclusion_tag("infonavit/_savings_summary.html", takes_context=True)
def savings_person_summary(context, person):
    """Only for those who may read the subaccount (officers of the consulate, Infonavit staff)."""
    user = context["request"].user
    visible = access.has_role(user, selectors.SAVINGS_READER_ROLES) and \
        selectors.visible_savers(user).filter(pk=person.pk).exists()
    return {"summary": selectors.savings_summary(person) if visible else None}
