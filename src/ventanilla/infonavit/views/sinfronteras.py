"""Infonavit Sin Fronteras at the window: a consular officer (or Infonavit staff) prints the payment
instructions for a credit number — of a credit they may see (with the borrower's name), or a number the
person brings, checked by its check digit (no name: the number alone says nothing about whose it is)."""

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy

from ventanilla.core.errors import DomainError
from ventanilla.infonavit import pdf, selectors, services
from ventanilla.payments.selectors import remittance_companies
from ventanilla.people.decorators import role_required
from ventanilla.people.models import Role

INSTRUCTION_ROLES = selectors.CREDIT_READER_ROLES - {Role.DERECHOHABIENTE}


class InstructionsForm(forms.Form):
    numero = forms.CharField(label=gettext_lazy("Número de crédito"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


def _number_and_credit(user, raw: str):
    """(normalised number, the credit when this user may see it, else None); DomainError for a bad number."""
    number = services.clean_credit_number(raw, field="numero")
    return number, selectors.visible_credits(user).filter(number=number).first()


@role_required(INSTRUCTION_ROLES)
def instructions(request):
    form = InstructionsForm(request.GET or None)
    number = credit = None
    if form.is_valid():
        try:
            number, credit = _number_and_credit(request.user, form.cleaned_data["numero"])
        except DomainError as exc:
            form.add_error("numero", str(exc.errors[0].message))
    return render(request, "infonavit/sinfronteras_instructions.html", {
        "form": form, "number": number, "credit": credit, "companies": remittance_companies(),
    }, status=422 if form.errors else 200)


@role_required(INSTRUCTION_ROLES)
def instructions_pdf(request, number: str):
    try:
        number, credit = _number_and_credit(request.user, number)
    except DomainError as exc:
        raise Http404 from exc
    content = pdf.sin_fronteras_instructions_pdf(
        number, remittance_companies(), borrower_name=credit.borrower.full_name if credit else "",
        issued_on=timezone.localdate(), language=(get_language() or "es")[:2])
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="sin-fronteras-{number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
