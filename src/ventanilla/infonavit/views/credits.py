"""Credit screens: the borrower's credits and statements, the officer's and staff's credit lookup, and the
window payment (Infonavit Sin Fronteras at the consulate). Thin: reads in selectors, writes in services."""

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ventanilla.core.errors import ConflictError, DomainError, NotFoundError, PermissionDeniedError
from ventanilla.core.forms import DomainErrorsMixin
from ventanilla.infonavit import exports, pdf, selectors, services, statement_cache
from ventanilla.infonavit.models import Credit
from ventanilla.infonavit.rules import credit_number
from ventanilla.people import access
from ventanilla.people.decorators import role_required
from ventanilla.people.models import Role

READERS = selectors.CREDIT_READER_ROLES
LOOKUP_ROLES = READERS - {Role.DERECHOHABIENTE}
RECORDERS = services.PAYMENT_RECORDER_ROLES


class WindowPaymentForm(DomainErrorsMixin, forms.Form):
    """A Sin Fronteras payment taken at the window: the service checks the amount, date and operation."""

    operation_id = forms.CharField(label=gettext_lazy("Número de operación"), max_length=64)
    amount = forms.CharField(label=gettext_lazy("Importe (MXN)"), max_length=20)
    paid_at = forms.DateField(label=gettext_lazy("Fecha de pago"), widget=forms.DateInput(attrs={"type": "date"}))


class LookupForm(forms.Form):
    q = forms.CharField(label=gettext_lazy("Número de crédito, CURP, NSS o nombre"), max_length=120)


def _language() -> str:
    return (get_language() or "es")[:2]


def _credit(request, number: str) -> Credit:
    try:
        return selectors.get_visible_credit(request.user, number)
    except NotFoundError as exc:
        raise Http404 from exc


def _period(request, today: date) -> tuple[date, date, list[str]]:
    try:
        start, end = selectors.statement_period(request.GET.get("inicio"), request.GET.get("fin"), today)
    except DomainError as exc:
        start, end = selectors.default_statement_period(today)
        return start, end, [str(item.message) for item in exc.errors]
    return start, end, []


def _render_credit(request, credit: Credit, *, form: WindowPaymentForm | None = None, status: int = 200):
    today = timezone.localdate()
    start, end, period_errors = _period(request, today)
    may_record = access.role_of(request.user) in RECORDERS and credit.status == Credit.Status.ACTIVE
    if may_record and form is None:
        form = WindowPaymentForm(initial={"paid_at": today})

    def fragments() -> dict[str, str]:  # the statement's part of the page: the same for whoever may see it
        context = {"credit": credit, "statement": selectors.statement(credit, start, end, today), "today": today,
                   "start": start, "end": end, "period_errors": period_errors,
                   "query": f"?inicio={start.isoformat()}&fin={end.isoformat()}",
                   "years": selectors.interest_years(credit, today)}
        return {part: render_to_string(f"infonavit/_credit_{part}.html", context)
                for part in ("summary", "movements")}

    # Access was checked when the credit was read (_credit); a period in error is rendered, never cached.
    found = fragments() if period_errors else statement_cache.cached(
        "page", statement_cache.statement_key(credit, start, end, today, get_language()), fragments,
        statement_cache.cacheable_period(start, end, today))
    return render(request, "infonavit/credit_detail.html", {
        "credit": credit, "fragments": {part: mark_safe(html) for part, html in found.items()},  # escaped when rendered
        "form": form if may_record else None, "is_borrower": access.role_of(request.user) == Role.DERECHOHABIENTE,
    }, status=422 if period_errors and status == 200 else status)


@role_required({Role.DERECHOHABIENTE})
def my_credits(request):
    """Mi crédito: the borrower's own credits, each with its summary."""
    today = timezone.localdate()
    rows = [selectors.credit_summary(credit, today)
            for credit in selectors.visible_credits(request.user).order_by("-origination_date")]
    return render(request, "infonavit/credit_list.html", {"summaries": rows, "today": today})


@role_required(LOOKUP_ROLES)
def credit_lookup(request):
    """Officer and staff: a credit by its number (straight to its page), or by the borrower's CURP, NSS or
    name among the credits this user may see."""
    form = LookupForm(request.GET or None)
    results, status = None, 200
    if form.is_valid():
        text = form.cleaned_data["q"].strip()
        digits = credit_number.normalize(text)
        if digits.isdigit():
            try:
                number = services.clean_credit_number(digits, field="q")
            except DomainError as exc:
                form.add_error("q", str(exc.errors[0].message))
            else:
                credit = selectors.visible_credits(request.user).filter(number=number).first()
                if credit is not None:
                    return redirect("infonavit:credit", number=credit.number)
                form.add_error("q", _("No hay un crédito con este número entre los que puede consultar."))
        else:
            words = text.upper()
            results = selectors.visible_credits(request.user).filter(
                Q(borrower__curp=words) | Q(borrower__nss=text) | Q(borrower__last_name_1__iexact=text)
                | Q(borrower__first_names__icontains=text) | Q(borrower__last_name_1__icontains=text))
            results = Paginator(results.order_by("number"), 25).get_page(request.GET.get("page"))
        status = 422 if form.errors else 200
    return render(request, "infonavit/credit_lookup.html", {"form": form, "page": results}, status=status)


@role_required(READERS)
def credit_detail(request, number: str):
    return _render_credit(request, _credit(request, number))


@role_required(RECORDERS)
@require_POST
def window_payment(request, number: str):
    """A payment at the window, idempotent per operation number (services.record_payment)."""
    credit = _credit(request, number)
    form = WindowPaymentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.record_payment(request.user, credit, amount=data["amount"],
                                            paid_at=data["paid_at"].isoformat(),
                                            operation_id=data["operation_id"], channel="window")
        except PermissionDeniedError as exc:
            raise PermissionDenied from exc
        except NotFoundError as exc:
            raise Http404 from exc
        except ConflictError as exc:
            form.add_error("operation_id", str(exc.message))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Pago registrado: operación %(operation)s, saldo %(balance)s pesos.") % {
                "operation": entry.operation_id, "balance": f"{entry.balance_after:,.2f}"})
            return redirect(reverse("infonavit:credit", kwargs={"number": credit.number}) + "#movimientos")
    return _render_credit(request, credit, form=form, status=422)


def _download(content: bytes, content_type: str, filename: str, disposition: str = "inline") -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@role_required(READERS)
def statement_pdf(request, number: str):
    credit = _credit(request, number)
    today = timezone.localdate()
    start, end, errors = _period(request, today)
    if errors:
        return _render_credit(request, credit, status=422)
    content = pdf.statement_pdf(selectors.statement(credit, start, end, today), issued_on=today,
                                language=_language())
    return _download(content, "application/pdf", f"estado-de-cuenta-{credit.number}-{start}-{end}.pdf")


@role_required(READERS)
def statement_csv(request, number: str):
    credit = _credit(request, number)
    today = timezone.localdate()
    start, end, errors = _period(request, today)
    if errors:
        return _render_credit(request, credit, status=422)
    text = exports.statement_csv(selectors.statement(credit, start, end, today))
    return _download(text.encode("utf-8"), "text/csv; charset=utf-8",
                     f"movimientos-{credit.number}-{start}-{end}.csv", disposition="attachment")


@role_required(READERS)
def interest_certificate(request, number: str, year: int):
    credit = _credit(request, number)
    if year not in selectors.interest_years(credit, timezone.localdate()):
        raise Http404
    content = pdf.interest_certificate_pdf(selectors.interest_certificate(credit, year),
                                           issued_on=timezone.localdate(), language=_language())
    return _download(content, "application/pdf", f"constancia-intereses-{credit.number}-{year}.pdf")


# --- the Infonavit block of the portal home and of the officer's person page ----------------------------

def portal_summary(person) -> dict:
    """What Mi Cuenta shows about Infonavit: each credit's balance and next payment."""
    if person is None:
        return {"summaries": []}
    today = timezone.localdate()
    return {"summaries": [selectors.credit_summary(credit, today)
                          for credit in person.infonavit_credits.order_by("-origination_date")], "today": today}
