"""Relief-solution screens: simulate, preview, apply, approve, letters.

Thin views over infonavit.selectors (reads), infonavit.services (writes) and the pure rules. Refusals come
back next to their field (DomainError → form.add_error); what a user may not do is a 403 and what they may
not see a 404, as everywhere else.
"""

import uuid
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ventanilla.core.errors import ConflictError, DomainError
from ventanilla.core.reasons import date_en, date_es, money, number
from ventanilla.core.throttling import PublicRateThrottle
from ventanilla.infonavit import pdf, selectors, services
from ventanilla.infonavit.forms import (
    END_REASON_LABELS,
    SOLUTION_NAMES,
    ConfirmApplicationForm,
    DeclaredFactsForm,
    EndApplicationForm,
    RefuseApplicationForm,
    SimulationForm,
)
from ventanilla.infonavit.models import LedgerEntry, SolutionApplication
from ventanilla.infonavit.rules import solutions
from ventanilla.infonavit.rules.solutions import effects
from ventanilla.infonavit.validation import simulation_facts, solution_params
from ventanilla.people import access
from ventanilla.people.decorators import domain_http, role_required
from ventanilla.people.models import Role
from ventanilla.reference.params import ParamsUnavailable
from ventanilla.reference.selectors import PARAMETER_LABELS, unavailable_message

READERS = selectors.CREDIT_READER_ROLES  # the borrower (own), their consulate's officers, Infonavit staff
APPLICANTS = frozenset(services.APPLICANT_CHANNELS)
DECIDERS = services.CREDIT_MANAGER_ROLES  # the second person of the four eyes
# The channel an application comes in by, from who asks (services.APPLICANT_CHANNELS).
CHANNEL_BY_ROLE = {Role.DERECHOHABIENTE: SolutionApplication.Channel.PORTAL,
                   Role.CONSULAR_OFFICER: SolutionApplication.Channel.WINDOW,
                   Role.INFONAVIT_STAFF: SolutionApplication.Channel.STAFF,
                   Role.ADMINISTRATOR: SolutionApplication.Channel.STAFF}
assert set(END_REASON_LABELS) == set(services.END_REASONS)


def _language() -> str:
    return get_language() or "es"


# --- how a solution's answer reads on screen ----------------------------------------------------------

# Keys of SolutionResult.amounts and .new_terms (rules/solutions) in words.
DETAIL_LABELS = {
    "discount": gettext_lazy("Descuento"),
    "amount_to_pay": gettext_lazy("Importe a pagar"),
    "new_balance": gettext_lazy("Nuevo saldo"),
    "balance": gettext_lazy("Saldo"),
    "monthly_payment": gettext_lazy("Pago mensual"),
    "monthly_insurance_and_fees": gettext_lazy("Seguros y comisiones al mes"),
    "rate": gettext_lazy("Tasa anual"),
    "capitalized": gettext_lazy("Pagos omitidos que se suman al saldo"),
    "reward": gettext_lazy("Bonificación por mantenerse al corriente"),
    "arrears": gettext_lazy("Vencido"),
    "months": gettext_lazy("Meses"),
    "denomination": gettext_lazy("Denominación"),
    "remaining_months": gettext_lazy("Mensualidades que faltan"),
    "yearly_adjustment": gettext_lazy("Actualización anual del saldo"),
    "apply_by": gettext_lazy("Solicitar a más tardar"),
    "fixed_on": gettext_lazy("Saldo fijado el"),
    "shown_from": gettext_lazy("Importe publicado desde"),
    "pay_by": gettext_lazy("Pagar a más tardar"),
    "single_exact_payment": gettext_lazy("En un solo pago por el importe exacto"),
    "infonavit_part_only": gettext_lazy("Solo la parte del Infonavit"),
    "reward_after": gettext_lazy("La bonificación llega tras"),
    "ends_on_formal_job": gettext_lazy("Termina al conseguir empleo formal"),
    "ends_on_missed_payment": gettext_lazy("Termina con un pago omitido"),
    "uses_left": gettext_lazy("Veces que quedarán"),
    "infonavit_covers": gettext_lazy("El Infonavit cubre al mes"),
    "fund_pays": gettext_lazy("El fondo paga al mes"),
    "renewal": gettext_lazy("Es una renovación"),
    "interest_accrues": gettext_lazy("Genera intereses"),
    "automatic": gettext_lazy("Automática"),
    # what an applied solution stored besides the rule's amounts (services.apply_solution)
    "previous_monthly_payment": gettext_lazy("Pago mensual anterior"),
    "balance_before": gettext_lazy("Saldo antes"),
    "balance_after": gettext_lazy("Saldo después"),
    "monthly_payment_after": gettext_lazy("Pago mensual vigente después"),
}
MONEY_KEYS = {"discount", "amount_to_pay", "new_balance", "balance", "monthly_payment", "monthly_insurance_and_fees",
              "capitalized", "reward", "arrears", "infonavit_covers", "fund_pays", "previous_monthly_payment",
              "balance_before", "balance_after", "monthly_payment_after"}
DATE_KEYS = {"apply_by", "fixed_on", "shown_from", "pay_by"}
WORDS = {
    "pesos": gettext_lazy("Pesos"),
    "vsm": gettext_lazy("Veces salario mínimo (VSM)"),
    "bimonthly_employer_payment": gettext_lazy("un pago bimestral completo del patrón"),
    "three_consecutive_payments": gettext_lazy("tres pagos completos seguidos"),
}


def detail_value(key: str, value, language: str) -> str:
    """One amount or term as people read it: pesos with centavos, a rate in percent, dates in words."""
    if isinstance(value, bool):
        return _("Sí") if value else _("No")
    if key in DATE_KEYS and isinstance(value, str):  # as an application's JSON stores it
        value = date.fromisoformat(value)
    if isinstance(value, date):
        return date_en(value) if language.startswith("en") else date_es(value)
    if key == "rate":
        return f"{number(Decimal(value))} %"
    if key in MONEY_KEYS:
        return f"${money(value)} MXN"
    if isinstance(value, int | Decimal):
        return number(value)
    return str(WORDS.get(value, value))


def detail_rows(values: dict, language: str) -> list[dict]:
    """Amounts or terms in words; keys without a label (an application's bookkeeping) are left out."""
    return [{"key": key, "label": DETAIL_LABELS[key], "value": detail_value(key, value, language)}
            for key, value in values.items() if key in DETAIL_LABELS]


def result_rows(results: list[solutions.SolutionResult], language: str) -> list[dict]:
    """Each solution with its name, every reason in the active language, its amounts and new terms."""
    return [{"code": r.code, "name": SOLUTION_NAMES[r.code], "eligible": r.eligible,
             "reasons": [reason.text(language) for reason in r.reasons],
             "amounts": detail_rows(r.amounts, language), "new_terms": detail_rows(r.new_terms, language)}
            for r in results]


def assumed_rows(language: str) -> list[dict]:
    """The terms no official text confirms (rules/solutions ASSUMED_TERMS), for staff to see them as such."""
    return [{"name": term.name, "text": term.text(language)} for term in solutions.ASSUMED_TERMS]


# --- simulation at the window, without a stored credit -------------------------------------------------

def simulate(request):
    """Public: the nine solutions for the facts typed in (the API's simulator as a screen; GET, so it can be
    shared)."""
    submitted = "as_of" in request.GET
    form = SimulationForm(request.GET if submitted else None)
    if submitted and not request.user.is_authenticated and not PublicRateThrottle().allow_request(request):
        return render(request, "infonavit/solutions_simulate.html", {
            "form": SimulationForm(), "results": None,
            "throttled": _("Demasiadas consultas seguidas; espere un minuto e intente de nuevo.")}, status=429)
    results = params = None
    if submitted and form.is_valid():
        try:
            facts = simulation_facts(form.cleaned_data)
            params = solution_params(facts.as_of)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            results = result_rows(solutions.evaluate_all(facts, params), _language())
    return render(request, "infonavit/solutions_simulate.html", {
        "form": form, "results": results, "params": params, "assumed": assumed_rows(_language()),
        "eligible_count": sum(1 for row in results or () if row["eligible"]),
        "params_assumed": [PARAMETER_LABELS.get(name, name) for name in params.assumed] if params else [],
    }, status=422 if form.errors else 200)


# --- a stored credit: its solutions, preview, apply ----------------------------------------------------

def _declared(request, source) -> tuple[DeclaredFactsForm, dict, dict | None]:
    """The declared-facts form bound to `source` (GET or POST), its raw values, and the typed ones (None
    when a value is refused: the errors are on the form)."""
    form = DeclaredFactsForm(source)
    raw = form.raw()
    try:
        typed = selectors.parse_declared(raw)
    except DomainError as exc:
        form.is_valid()
        form.add_domain_errors(exc)
        return form, raw, None
    return form, raw, typed


def _previews(credit, today: date, typed: dict) -> tuple[list | None, str | None]:
    try:
        return selectors.solution_previews(credit, today, typed), None
    except DomainError as exc:  # no parameters for today
        return None, "; ".join(str(item.message) for item in exc.errors)
    except ParamsUnavailable as exc:
        return None, unavailable_message(exc)


@role_required(READERS)
@domain_http
def credit_solutions(request, number: str):
    """The nine solutions for a credit the user may see, reasons for the refused ones, the facts to declare,
    and its applications."""
    credit = selectors.get_visible_credit(request.user, number)
    today = timezone.localdate()
    form, raw, typed = _declared(request, request.GET)
    language = _language()
    rows, error = None, None
    if typed is not None:
        previews, error = _previews(credit, today, typed)
        if previews is not None:
            rows = result_rows([preview.result for preview in previews], language)
            query = f"?{urlencode(raw)}" if raw else ""
            may_apply = access.role_of(request.user) in APPLICANTS
            for row in rows:
                if row["eligible"] and may_apply:
                    row["apply_url"] = reverse("infonavit:solution_apply", args=[credit.number, row["code"]]) + query
    return render(request, "infonavit/solutions_credit.html", {
        "credit": credit, "form": form, "results": rows, "error": error, "today": today,
        "applications": selectors.applications_for(credit), "assumed": assumed_rows(language),
        "area": _area(request),
    }, status=422 if form.errors or error else 200)


def _area(request) -> str:
    role = access.role_of(request.user)
    return {Role.DERECHOHABIENTE: "portal", Role.CONSULAR_OFFICER: "ventanilla"}.get(role, "staff")


def plan_rows(plan: effects.Plan, language: str) -> list[dict]:
    """The ledger entries a solution implies, as the statement shows entries."""
    kinds = dict(LedgerEntry.Kind.choices)
    return [{"kind": kinds.get(planned.kind, planned.kind), "note": planned.note, "amount": money(planned.amount),
             "capital": money(planned.movement.capital), "interest": money(planned.movement.interest),
             "insurance": money(planned.movement.insurance), "due": money(planned.movement.due)}
            for planned in plan.movements]


def _render_preview(request, credit, code: str, *, declared_form, raw: dict, typed: dict | None,
                    confirm_errors=(), status: int = 200):
    today = timezone.localdate()
    language = _language()
    preview, error = None, None
    if typed is not None:
        previews, error = _previews(credit, today, typed)
        preview = next((p for p in previews or () if p.result.code == code), None)
    row = result_rows([preview.result], language)[0] if preview else None
    return render(request, "infonavit/solutions_preview.html", {
        "credit": credit, "code": code, "name": SOLUTION_NAMES[code], "row": row, "preview": preview,
        "plan": plan_rows(preview.plan, language) if preview and preview.plan else [],
        "payment_after": money(preview.plan.monthly_payment) if preview and preview.plan else "",
        "declared_form": declared_form, "declared": raw, "error": error, "confirm_errors": confirm_errors,
        "confirm": ConfirmApplicationForm(initial={"idempotency_key": uuid.uuid4().hex}),
        "may_apply": access.role_of(request.user) in APPLICANTS, "today": today,
        "back_url": reverse("infonavit:credit_solutions", args=[credit.number]) + (f"?{urlencode(raw)}" if raw else ""),
        "assumed": assumed_rows(language), "area": _area(request),
    }, status=status if status != 200 else 422 if confirm_errors or declared_form.errors or error else 200)


@role_required(READERS)
@domain_http
def solution_apply(request, number: str, code: str):
    """GET: the preview of one solution (amounts, new terms, the ledger entries it implies, its window and
    limits). POST (Confirm): apply it once per idempotency key, then the application's page."""
    credit = selectors.get_visible_credit(request.user, number)
    if code not in solutions.SOLUTION_CODES:
        raise Http404
    source = request.POST if request.method == "POST" else request.GET
    declared_form, raw, typed = _declared(request, source)
    if request.method != "POST" or typed is None:
        return _render_preview(request, credit, code, declared_form=declared_form, raw=raw, typed=typed)
    role = access.require_role(request.user, APPLICANTS)
    confirm = ConfirmApplicationForm(request.POST)
    if not confirm.is_valid():
        return _render_preview(request, credit, code, declared_form=declared_form, raw=raw, typed=typed,
                               confirm_errors=[_("Falta la clave de la solicitud; vuelva a confirmar.")])
    try:
        application = services.apply_solution(
            request.user, credit, code, declared=raw, idempotency_key=confirm.cleaned_data["idempotency_key"],
            channel=CHANNEL_BY_ROLE[role])
    except DomainError as exc:
        return _render_preview(request, credit, code, declared_form=declared_form, raw=raw, typed=typed,
                               confirm_errors=[str(item.message) for item in exc.errors])
    except ConflictError as exc:
        return _render_preview(request, credit, code, declared_form=declared_form, raw=raw, typed=typed,
                               confirm_errors=[str(exc.message)], status=409)
    if application.status == SolutionApplication.Status.PENDING_APPROVAL:
        messages.success(request, _("Solicitud registrada: espera la aprobación de una segunda persona del "
                                    "Infonavit."))
    else:
        messages.success(request, _("Solución aplicada."))
    return redirect("infonavit:application", application_id=application.pk)


# --- an application: its page, letter, decision --------------------------------------------------------

def _render_application(request, application: SolutionApplication, *, refuse_form=None, end_form=None,
                        action_errors=(), status: int = 200):
    language = _language()
    role = access.role_of(request.user)
    pending = application.status == SolutionApplication.Status.PENDING_APPROVAL
    return render(request, "infonavit/solutions_application.html", {
        "application": application, "credit": application.credit, "name": SOLUTION_NAMES[application.code],
        "amounts": detail_rows(application.amounts, language),
        "new_terms": detail_rows(application.new_terms, language),
        "entries": application.entries.order_by("sequence"),
        "is_pending": pending, "is_refused": application.status == SolutionApplication.Status.REFUSED,
        "may_decide": pending and role in DECIDERS,
        "may_end": application.status == SolutionApplication.Status.ACTIVE and role in DECIDERS,
        "refuse_form": refuse_form or RefuseApplicationForm(), "end_form": end_form or EndApplicationForm(),
        "action_errors": action_errors, "area": _area(request),
        "end_reason": END_REASON_LABELS.get(application.end_reason, application.end_reason),
    }, status=status)


@role_required(READERS)
@domain_http
def application_detail(request, application_id: int):
    return _render_application(request, selectors.get_visible_application(request.user, application_id))


@role_required(READERS)
@domain_http
def application_letter(request, application_id: int):
    application = selectors.get_visible_application(request.user, application_id)
    content = pdf.solution_letter(application, _language()[:2])
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (f'inline; filename="carta-{application.code.lower()}-'
                                       f'{application.credit.number}-{application.pk}.pdf"')
    response["Cache-Control"] = "private, no-store"
    return response


def _pending_page(request, *, errors_for: dict | None = None, status: int = 200):
    page = Paginator(selectors.pending_applications(request.user), 25).get_page(request.GET.get("page"))
    language = _language()
    rows = [{"application": application, "name": SOLUTION_NAMES[application.code],
             "amounts": detail_rows(application.amounts, language),
             "own": application.requested_by_id == request.user.pk,
             "errors": (errors_for or {}).get(application.pk, [])} for application in page]
    return render(request, "infonavit/solutions_pending.html", {"page": page, "rows": rows,
                                                                "refuse_form": RefuseApplicationForm()},
                  status=status)


@role_required(DECIDERS)
def applications_pending(request):
    """The four-eyes queue: applications waiting for a second person."""
    return _pending_page(request)


def _decision_errors(exc: DomainError) -> list[str]:
    return [str(item.message) for item in exc.errors]


@role_required(DECIDERS)
@require_POST
@domain_http
def application_approve(request, application_id: int):
    application = selectors.get_visible_application(request.user, application_id)
    try:
        services.approve_application(request.user, application)
    except DomainError as exc:
        return _pending_page(request, errors_for={application.pk: _decision_errors(exc)}, status=422)
    except ParamsUnavailable as exc:
        return _pending_page(request, errors_for={application.pk: [unavailable_message(exc)]}, status=422)
    messages.success(request, _("Solicitud %(id)s aprobada: sus movimientos quedaron en el crédito %(number)s.") % {
        "id": application.pk, "number": application.credit.number})
    return redirect("infonavit:applications_pending")


@role_required(DECIDERS)
@require_POST
@domain_http
def application_refuse(request, application_id: int):
    application = selectors.get_visible_application(request.user, application_id)
    form = RefuseApplicationForm(request.POST)
    if not form.is_valid():
        return _pending_page(request, status=422, errors_for={
            application.pk: [_("Indique el motivo del rechazo (hasta 500 caracteres).")]})
    try:
        services.refuse_application(request.user, application, form.cleaned_data["reason"])
    except DomainError as exc:
        return _pending_page(request, errors_for={application.pk: _decision_errors(exc)}, status=422)
    messages.success(request, _("Solicitud %(id)s rechazada.") % {"id": application.pk})
    return redirect("infonavit:applications_pending")


@role_required(DECIDERS)
@require_POST
@domain_http
def application_end(request, application_id: int):
    """Staff end a solution in force (a formal job ends Apoyo a Jubilados, a cancellation, a missed payment)."""
    application = selectors.get_visible_application(request.user, application_id)
    form = EndApplicationForm(request.POST)
    if form.is_valid():
        try:
            services.end_application(request.user, application, form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_domain_errors(exc)
    if form.errors:
        return _render_application(request, application, end_form=form, status=422,
                                   action_errors=[e for errors in form.errors.values() for e in errors])
    messages.success(request, _("Solución terminada."))
    return redirect("infonavit:application", application_id=application.pk)
