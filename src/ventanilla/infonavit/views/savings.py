"""Housing subaccount (SCV) screens: balance by period and movements, employment history, a voluntary deposit
(amount → payment reference and slip). The person's own in the portal; officers (their consulate) and Infonavit
staff for any person they may see. Thin: reads in savings_selectors, writes in savings_services."""

import uuid

from django import forms
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy

from ventanilla.core.errors import ConflictError, DomainError, FieldError, NotFoundError
from ventanilla.core.forms import DomainErrorsMixin
from ventanilla.infonavit import savings_selectors as selectors
from ventanilla.infonavit import savings_services as services
from ventanilla.people import access
from ventanilla.people.decorators import domain_http, role_required
from ventanilla.people.models import Role

READERS = selectors.SAVINGS_READER_ROLES


class DepositForm(DomainErrorsMixin, forms.Form):
    amount = forms.CharField(label=gettext_lazy("Importe a depositar (MXN)"), max_length=20)
    # One key per form shown: a double submit gets the same reference, not two.
    key = forms.CharField(widget=forms.HiddenInput, max_length=128)


def _person(request, person_id: int):
    try:
        return selectors.get_visible_saver(request.user, person_id)
    except NotFoundError as exc:
        raise Http404 from exc


def _own_person_id(request) -> int:
    if request.user.person_id is None:
        raise Http404
    return request.user.person_id


@role_required({Role.DERECHOHABIENTE})
def my_savings(request):
    return _render_savings(request, _person(request, _own_person_id(request)))


@role_required(READERS)
def savings_detail(request, person_id: int):
    return _render_savings(request, _person(request, person_id))


def _render_savings(request, person):
    page = Paginator(selectors.movements(person), 25).get_page(request.GET.get("page"))
    return render(request, "infonavit/savings_detail.html", {
        "person": person, "summary": selectors.savings_summary(person), "page": page,
        "deposits": selectors.deposits(person)[:10],
        "refunds": selectors.visible_refunds(request.user).filter(person=person)[:5],
        "is_own": request.user.person_id == person.pk,
    })


@role_required(READERS)
def employment_history(request, person_id: int):
    person = _person(request, person_id)
    return render(request, "infonavit/savings_employment.html", {
        "person": person, "relations": selectors.employment_history(person)})


@role_required(READERS)
@domain_http
def deposit_new(request, person_id: int):
    person = _person(request, person_id)
    form = DepositForm(request.POST or None, initial={"key": uuid.uuid4().hex})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                deposit, _created = services.request_voluntary_deposit(
                    request.user, person.pk, amount=form.cleaned_data["amount"],
                    idempotency_key=form.cleaned_data["key"])
            except DomainError as exc:
                form.add_domain_errors(exc)
            except ConflictError as exc:
                form.add_domain_errors(DomainError(FieldError("amount", exc.code, exc.message)))
            else:
                return redirect("infonavit:savings_deposit", deposit_id=deposit.pk)
        status = 422
    return render(request, "infonavit/savings_deposit_new.html", {"person": person, "form": form}, status=status)


@role_required(READERS)
def deposit_detail(request, deposit_id: int):
    try:
        deposit = selectors.get_visible_deposit(request.user, deposit_id)
    except NotFoundError as exc:
        raise Http404 from exc
    slip_url = reverse("payments:reference_slip", kwargs={"code": deposit.reference.code}) \
        if deposit.reference_id else ""
    return render(request, "infonavit/savings_deposit.html", {"deposit": deposit, "slip_url": slip_url,
                                                             "is_staff": access.has_role(request.user, access.STAFF_ROLES)})
