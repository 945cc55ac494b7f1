"""Screens of the IMSS affiliation abroad: thin views over imss.services (writes) and imss.selectors (reads).

Refusals come back next to their field (DomainError → form.add_error); what a user may not do is a 403
(PermissionDeniedError) and what they may not see a 404 (NotFoundError), as everywhere else.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ventanilla.core.calendar import add_months
from ventanilla.core.errors import DomainError, PermissionDeniedError
from ventanilla.core.money import to_centavos
from ventanilla.core.throttling import PublicRateThrottle
from ventanilla.imss import pdf, selectors, services
from ventanilla.imss.forms import (
    AforeForm,
    BeneficiaryForm,
    CalculatorForm,
    ClaimForm,
    DecisionForm,
    EnrolForm,
    IncomeForm,
    NssForm,
)
from ventanilla.imss.models import Affiliation, AforeReactivationRequest, BenefitClaim, ContributionPeriod
from ventanilla.imss.rules import contributions
from ventanilla.people import access
from ventanilla.people.decorators import domain_http, role_required
from ventanilla.people.models import Role
from ventanilla.reference import selectors as reference_selectors
from ventanilla.reference.params import ParamsUnavailable
from ventanilla.reference.zones import zone_for

MANAGERS = services.MANAGER_ROLES  # the worker (own record), their consulate's officers, staff
REGISTRARS = services.CLAIM_REGISTRAR_ROLES
DECIDERS = services.CLAIM_DECIDER_ROLES
NSS_ROLES = services.NSS_ASSIGNER_ROLES

BRANCH_LABELS = {
    "em_fixed": gettext_lazy("Enfermedades y maternidad: cuota fija"),
    "em_excess": gettext_lazy("Enfermedades y maternidad: excedente de 3 UMA"),
    "em_cash": gettext_lazy("Enfermedades y maternidad: prestaciones en dinero"),
    "em_pensioners": gettext_lazy("Enfermedades y maternidad: gastos médicos de pensionados"),
    "riesgos_trabajo": gettext_lazy("Riesgos de trabajo (clase I)"),
    "invalidez_vida": gettext_lazy("Invalidez y vida"),
    "retiro": gettext_lazy("Retiro"),
    "ceav": gettext_lazy("Cesantía en edad avanzada y vejez"),
    "guarderias": gettext_lazy("Guarderías y prestaciones sociales"),
}
COVERAGE_LABELS = pdf.COVERAGE_LABELS
CLAIM_STATUS_FILTERS = ("registered", "approved", "rejected", "all")


def _language() -> str:
    return get_language() or "es"


def slip_url(reference) -> str:
    """The payment slip (PDF) of a reference, served by the payments app."""
    return reverse("payments:reference_slip", kwargs={"code": reference.code}) if reference is not None else ""


def _parse_day(raw: str, default: date) -> tuple[date, str | None]:
    if not raw:
        return default, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return default, _("Use una fecha válida (AAAA-MM-DD).")


def _error_texts(exc: DomainError) -> list[str]:
    return [str(item.message) for item in exc.errors]


# --- public calculator ---------------------------------------------------------------------------------

def _calculate(data: dict) -> dict:
    """The quote as services.quote_for makes it: each month with the parameters in force in it."""
    on, zone, periodicity = data["date"], data["zone"], data["periodicity"]
    income = services.positive_income(data["monthly_income"])
    income_per_day = contributions.daily_income(monthly=income)
    result = selectors.quote_income(on, income_per_day, zone, periodicity)
    day = reference_selectors.params_at(on)
    first = result.months[0]
    assumed = sorted({name for month in result.months for name in reference_selectors.params_at(month.month).assumed}
                     - {"usd_mxn"})
    usd = None
    if day.usd_mxn:
        usd = {"rate": day.usd_mxn, "assumed": "usd_mxn" in day.assumed,
               "monthly": to_centavos(result.monthly_total / day.usd_mxn),
               "period": to_centavos(result.period_total / day.usd_mxn)}
    return {
        "quote": result,
        "income_per_day": income_per_day,
        "raised_to_minimum": income_per_day < first.minimum_wage,
        "capped": income_per_day > first.sbc_daily,
        "branches": [{"label": BRANCH_LABELS.get(b.branch, b.branch), "employer": b.employer, "worker": b.worker,
                      "total": b.total} for b in first.branches],
        "months": result.months,
        "usd": usd,
        "assumed": [reference_selectors.PARAMETER_LABELS.get(name, name) for name in assumed],
        "periodicity_label": dict(Affiliation.Periodicity.choices)[periodicity],
        "zone_label": dict(Affiliation.Zone.choices)[zone],
    }


def calculator(request):
    """Public: what a worker abroad would pay, by zone, income and periodicity (GET, so it can be shared)."""
    submitted = "monthly_income" in request.GET
    form = CalculatorForm(request.GET if submitted else None,
                          initial={"date": timezone.localdate(), "zone": "general", "periodicity": "monthly"})
    result = None
    if submitted and not request.user.is_authenticated and not PublicRateThrottle().allow_request(request):
        return render(request, "imss/calculator.html", {
            "form": CalculatorForm(initial=form.initial), "result": None,
            "throttled": _("Demasiadas consultas seguidas; espere un minuto e intente de nuevo.")}, status=429)
    if submitted and form.is_valid():
        try:
            result = _calculate(form.cleaned_data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        except ParamsUnavailable as exc:
            form.add_error("date", reference_selectors.unavailable_message(exc))
    return render(request, "imss/calculator.html", {"form": form, "result": result},
                  status=422 if form.errors else 200)


# --- enrolment -----------------------------------------------------------------------------------------

@role_required(MANAGERS)
@domain_http
def enrol(request, person_id: int):
    person = access.get_visible_person(request.user, person_id)
    existing = Affiliation.objects.filter(person=person).values_list("pk", flat=True).first()
    if existing:
        return redirect("imss:affiliation", affiliation_id=existing)
    at_window = access.role_of(request.user) != Role.DERECHOHABIENTE
    form = EnrolForm(request.POST or None, at_window=at_window)
    if request.method == "POST" and form.is_valid():
        try:
            affiliation = services.enrol(request.user, person, **form.cleaned_data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Afiliación registrada."))
            return redirect("imss:affiliation", affiliation_id=affiliation.pk)
    zone = zone_for(person.mx_state, person.mx_municipality)
    return render(request, "imss/enrol.html", {
        "person": person, "form": form, "at_window": at_window,
        "zone_label": dict(Affiliation.Zone.choices)[zone],
    }, status=422 if form.errors else 200)


# --- the affiliation page ------------------------------------------------------------------------------

def _affiliation(request, affiliation_id: int) -> Affiliation:
    return selectors.get_visible_affiliation(request.user, affiliation_id)


def beneficiary_rows(affiliation: Affiliation, on: date, language: str) -> list[dict]:
    """selectors.beneficiary_coverage with the why in words and the last day of the beneficiary's own right."""
    rows = []
    for row in selectors.beneficiary_coverage(affiliation, on):
        right = row["right"]
        reasons = [reason.text(language) for reason in right.reasons]
        if row["ended"]:
            reasons.append(_("Dado de baja el %(date)s.") % {"date": row["beneficiary"].ended_on.isoformat()})
        elif not row["covered"] and right.eligible:
            reasons.append(_("La persona trabajadora no tiene derechos vigentes en la fecha."))
        rows.append({**row, "reasons": reasons,
                     "last_day": right.ends_on - timedelta(days=1) if right.eligible and right.ends_on else None})
    return rows


def _render_affiliation(request, affiliation: Affiliation, *, action_errors=(), status: int = 200):
    today = timezone.localdate()
    on, date_error = _parse_day(request.GET.get("fecha", ""), today)
    language = _language()
    coverage = selectors.coverage(affiliation, on)
    beneficiaries = beneficiary_rows(affiliation, on, language)
    payable = selectors.payable_period(affiliation, today)
    periods = [
        {"period": period, "slip_url": slip_url(period.reference)
         if period.status != ContributionPeriod.Status.CANCELLED else "",
         "payable": payable is not None and period.pk == payable.pk}
        for period in affiliation.periods.select_related("reference").order_by("-period_start")
    ]
    role = access.role_of(request.user)
    claims = [
        {"claim": claim, "reasons": [r["en" if language.startswith("en") else "es"] for r in claim.reasons]}
        for claim in affiliation.claims.order_by("-registered_at")
    ]
    afore_requests = list(affiliation.afore_requests.order_by("-requested_at"))
    return render(request, "imss/affiliation.html", {
        "affiliation": affiliation, "person": affiliation.person, "on": on, "today": today,
        "date_raw": request.GET.get("fecha", ""), "date_error": date_error,
        "coverage": coverage, "coverage_label": COVERAGE_LABELS.get(coverage.status, coverage.status),
        "weeks": selectors.contributed_weeks(affiliation),
        "income": selectors.income_in_force(affiliation, today),
        "beneficiaries": beneficiaries, "periods": periods, "payable": payable,
        "claims": claims, "afore_requests": afore_requests,
        "afore_open": any(row.status != AforeReactivationRequest.Status.DONE for row in afore_requests),
        "afore_form": AforeForm(), "action_errors": action_errors,
        "can_register_claims": role in REGISTRARS, "is_worker": role == Role.DERECHOHABIENTE,
    }, status=422 if date_error and status == 200 else status)


@role_required(MANAGERS)
@domain_http
def affiliation_detail(request, affiliation_id: int):
    return _render_affiliation(request, _affiliation(request, affiliation_id))


@role_required(MANAGERS)
@require_POST
@domain_http
def issue_reference(request, affiliation_id: int):
    affiliation = _affiliation(request, affiliation_id)
    try:
        period = services.issue_next_reference(request.user, affiliation)
    except DomainError as exc:
        return _render_affiliation(request, affiliation, action_errors=_error_texts(exc), status=422)
    except ParamsUnavailable as exc:
        return _render_affiliation(request, affiliation, status=422,
                                   action_errors=[reference_selectors.unavailable_message(exc)])
    messages.success(request, _("Línea de captura %(code)s: pague %(amount)s pesos a más tardar el %(date)s.") % {
        "code": period.reference.formatted, "amount": f"{period.amount:,.2f}", "date": period.due_date.isoformat()})
    return redirect("imss:affiliation", affiliation_id=affiliation.pk)


@role_required(MANAGERS)
@require_POST
@domain_http
def reissue_reference(request, affiliation_id: int, period_id: int):
    affiliation = _affiliation(request, affiliation_id)
    period = affiliation.periods.select_related("reference").filter(pk=period_id).first()
    if period is None:
        raise Http404
    try:
        period = services.reissue_reference(request.user, period)
    except DomainError as exc:
        return _render_affiliation(request, affiliation, action_errors=_error_texts(exc), status=422)
    messages.success(request, _("Nueva línea de captura %(code)s; la anterior quedó cancelada.") % {
        "code": period.reference.formatted})
    return redirect("imss:affiliation", affiliation_id=affiliation.pk)


@role_required(MANAGERS)
@require_POST
@domain_http
def afore_request(request, affiliation_id: int):
    affiliation = _affiliation(request, affiliation_id)
    form = AforeForm(request.POST)
    if not form.is_valid():
        return _render_affiliation(request, affiliation, status=422,
                                   action_errors=[e for errors in form.errors.values() for e in errors])
    row = services.request_afore_reactivation(request.user, affiliation, form.cleaned_data["afore_name"])
    messages.success(request, _("Solicitud de reactivación de la AFORE registrada (%(status)s).") % {
        "status": row.get_status_display()})
    return redirect("imss:affiliation", affiliation_id=affiliation.pk)


@role_required(MANAGERS)
@domain_http
def certificate(request, affiliation_id: int):
    affiliation = _affiliation(request, affiliation_id)
    today = timezone.localdate()
    on, error = _parse_day(request.GET.get("fecha", ""), today)
    if error:
        return _render_affiliation(request, affiliation, action_errors=[error], status=422)
    content = pdf.certificate_pdf(
        affiliation, on=on, coverage=selectors.coverage(affiliation, on),
        weeks=selectors.contributed_weeks(affiliation),
        beneficiaries=beneficiary_rows(affiliation, on, _language()), issued_on=today, language=_language()[:2])
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="constancia-imss-{affiliation.pk}-{on.isoformat()}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- beneficiaries, income, claims ---------------------------------------------------------------------

@role_required(MANAGERS)
@domain_http
def beneficiary_new(request, affiliation_id: int):
    affiliation = _affiliation(request, affiliation_id)
    allow_existing = access.role_of(request.user) != Role.DERECHOHABIENTE
    form = BeneficiaryForm(request.POST or None, allow_existing=allow_existing, address=affiliation.person)
    if request.method == "POST" and form.is_valid():
        existing = None
        curp = (form.cleaned_data.get("existing_curp") or "").strip().upper()
        if curp:
            existing = access.visible_persons(request.user).filter(curp=curp).first()
            if existing is None:
                form.add_error("existing_curp", _("No hay una persona registrada con esta CURP entre las que puede "
                                                  "consultar; llene sus datos abajo."))
        if not form.errors:
            try:
                services.add_beneficiary(request.user, affiliation, relationship=form.cleaned_data["relationship"],
                                         person=existing, person_data=None if existing else form.person_data(),
                                         **form.conditions())
            except DomainError as exc:
                form.add_domain_errors(exc)
            else:
                messages.success(request, _("Beneficiario registrado."))
                return redirect("imss:affiliation", affiliation_id=affiliation.pk)
    return render(request, "imss/beneficiary_new.html", {"affiliation": affiliation, "form": form},
                  status=422 if form.errors else 200)


def _earliest_income_month(affiliation: Affiliation, today: date) -> date:
    """The first month a new income can apply to: next month, and after every period already issued."""
    earliest = add_months(today.replace(day=1), 1)
    issued_until = selectors.last_issued_day(affiliation)
    if issued_until is not None and issued_until >= earliest:
        earliest = add_months(issued_until.replace(day=1), 1)
    return earliest


@role_required(MANAGERS)
@domain_http
def income(request, affiliation_id: int):
    affiliation = _affiliation(request, affiliation_id)
    today = timezone.localdate()
    earliest = _earliest_income_month(affiliation, today)
    form = IncomeForm(request.POST or None, initial={"effective_from": earliest})
    if request.method == "POST" and form.is_valid():
        try:
            row = services.declare_income(request.user, affiliation, form.cleaned_data["monthly_income"],
                                          form.cleaned_data["effective_from"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Ingreso de %(amount)s pesos registrado a partir del %(date)s.") % {
                "amount": f"{row.monthly_income:,.2f}", "date": row.effective_from.isoformat()})
            return redirect("imss:income", affiliation_id=affiliation.pk)
    return render(request, "imss/income.html", {
        "affiliation": affiliation, "form": form, "earliest": earliest,
        "current": selectors.income_in_force(affiliation, today),
        "history": affiliation.incomes.order_by("-effective_from"),
    }, status=422 if form.errors else 200)


def _claim_row(claim: BenefitClaim, language: str) -> dict:
    key = "en" if language.startswith("en") else "es"
    return {"claim": claim, "reasons": [reason[key] for reason in claim.reasons]}


@role_required(REGISTRARS)
@domain_http
def claim_new(request, affiliation_id: int):
    affiliation = _affiliation(request, affiliation_id)
    form = ClaimForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            claim = services.register_claim(request.user, affiliation, kind=data["kind"],
                                            event_date=data["event_date"], facts=form.facts(),
                                            documents=form.uploads())
        except DomainError as exc:
            form.add_domain_errors(exc)
        except ParamsUnavailable as exc:
            form.add_error("event_date", reference_selectors.unavailable_message(exc))
        else:
            return redirect(f"{reverse('imss:claim_new', args=[affiliation.pk])}?solicitud={claim.pk}")
    registered = None
    raw = request.GET.get("solicitud", "")
    if raw.isdigit():
        claim = affiliation.claims.prefetch_related("documents").filter(pk=int(raw)).first()
        registered = _claim_row(claim, _language()) if claim else None
    return render(request, "imss/claim_new.html", {"affiliation": affiliation, "form": form,
                                                   "registered": registered},
                  status=422 if form.errors else 200)


# --- staff: claims to decide, NSS to assign ------------------------------------------------------------

def _claims_page(request, *, errors_for: dict | None = None, status: int = 200):
    wanted = request.GET.get("estado") or request.POST.get("estado") or "registered"
    if wanted not in CLAIM_STATUS_FILTERS:
        wanted = "registered"
    rows = (BenefitClaim.objects.filter(affiliation__in=selectors.visible_affiliations(request.user))
            .select_related("affiliation__person", "registered_by", "decided_by").order_by("-registered_at"))
    if wanted != "all":
        rows = rows.filter(status=wanted)
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    language = _language()
    return render(request, "imss/claims.html", {
        "page": page, "rows": [_claim_row(claim, language) for claim in page], "estado": wanted,
        "filters": [("registered", _("Por resolver")), ("approved", _("Aprobadas")),
                    ("rejected", _("Rechazadas")), ("all", _("Todas"))],
        "errors_for": errors_for or {},
    }, status=status)


@role_required(DECIDERS)
def claims(request):
    return _claims_page(request)


@role_required(DECIDERS)
@require_POST
@domain_http
def claim_decide(request, claim_id: int):
    claim = (BenefitClaim.objects.filter(pk=claim_id, affiliation__in=selectors.visible_affiliations(request.user))
             .first())
    if claim is None:
        raise Http404
    form = DecisionForm(request.POST)
    decision = request.POST.get("decision")
    if decision not in ("approve", "reject") or not form.is_valid():
        return _claims_page(request, status=422,
                            errors_for={claim.pk: [_("Elija aprobar o rechazar; la nota tiene hasta 300 caracteres.")]})
    try:
        services.decide_claim(request.user, claim, approve=decision == "approve", note=form.cleaned_data["note"])
    except PermissionDeniedError as exc:
        if str(exc) != "four_eyes":
            raise
        return _claims_page(request, status=403, errors_for={claim.pk: [
            _("Usted registró esta solicitud: la resuelve otra persona (regla de cuatro ojos).")]})
    except DomainError as exc:
        return _claims_page(request, status=422, errors_for={claim.pk: _error_texts(exc)})
    messages.success(request, _("Solicitud %(id)s resuelta.") % {"id": claim.pk})
    return redirect(f"{reverse('imss:claims')}?estado={request.POST.get('estado') or 'registered'}")


def _nss_page(request, *, bound: dict | None = None, status: int = 200):
    rows = (selectors.visible_affiliations(request.user).filter(status=Affiliation.Status.PENDING_NSS)
            .select_related("nss_request").order_by("nss_request__requested_at", "pk"))
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    bound = bound or {}
    items = [{"affiliation": affiliation,
              "form": bound.get(affiliation.pk) or NssForm(prefix=f"nss-{affiliation.pk}")} for affiliation in page]
    return render(request, "imss/nss_pending.html", {"page": page, "items": items}, status=status)


@role_required(NSS_ROLES)
def nss_pending(request):
    return _nss_page(request)


@role_required(NSS_ROLES)
@require_POST
@domain_http
def nss_assign(request, affiliation_id: int):
    affiliation = _affiliation(request, affiliation_id)
    form = NssForm(request.POST, prefix=f"nss-{affiliation.pk}")
    if form.is_valid():
        try:
            services.assign_nss(request.user, affiliation, form.cleaned_data["nss"])
        except DomainError as exc:
            form.add_domain_errors(exc)
    if form.errors:
        return _nss_page(request, bound={affiliation.pk: form}, status=422)
    messages.success(request, _("NSS registrado: la afiliación de %(name)s está activa.") % {
        "name": affiliation.person.full_name})
    return redirect("imss:nss_pending")


# --- summaries for the portal and the person's page ----------------------------------------------------

def portal_summary(person) -> dict:
    """What Mi Cuenta shows about IMSS: status, coverage today, the next payment with its slip."""
    if person is None:
        return {"person": None}
    affiliation = Affiliation.objects.filter(person=person).select_related("consulate").first()
    if affiliation is None:
        return {"person": person, "affiliation": None}
    today = timezone.localdate()
    coverage = selectors.coverage(affiliation, today)
    payable = selectors.payable_period(affiliation, today)
    return {"person": person, "affiliation": affiliation, "today": today, "coverage": coverage,
            "coverage_label": COVERAGE_LABELS.get(coverage.status, coverage.status), "payable": payable,
            "slip_url": slip_url(payable.reference) if payable else ""}
