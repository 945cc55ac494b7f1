"""The Infonavit credit blocks that the portal home and the officer's person page include."""

from django import template

register = template.Library()


@register.inclusion_tag("infonavit/_portal_infonavit.html")
def infonavit_portal_summary(person):
    from ventanilla.infonavit.views.credits import portal_summary

    return portal_summary(person)


@register.inclusion_tag("infonavit/_person_infonavit.html", takes_context=True)
def infonavit_person_credits(context, person):
    """The person's credits this user may see (none for roles that see no credits)."""
    from django.utils import timezone

    from ventanilla.infonavit import selectors

    user = context["request"].user
    today = timezone.localdate()
    credits = selectors.visible_credits(user).filter(borrower=person).order_by("-origination_date")
    return {"person": person, "summaries": [selectors.credit_summary(credit, today) for credit in credits],
            "may_read": selectors.access.role_of(user) in selectors.CREDIT_READER_ROLES}
