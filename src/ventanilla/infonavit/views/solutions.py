"""Relief-solution screens: simulate, preview, apply, approve, letters.

Thin views over infonavit.selectors (reads), infonavit.services (writes) and the pure rules. Refusals come
back next to their field (DomainError → form.add_error); what a user may not do is a 403 and what they may
not see a 404, as everywhere else.
"""

from datetime import date
from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ventanilla.core.errors import DomainError
from ventanilla.core.reasons import date_en, date_es, money, number
from ventanilla.core.throttling import PublicRateThrottle
from ventanilla.infonavit.forms import SOLUTION_NAMES, SimulationForm
from ventanilla.infonavit.rules import solutions
from ventanilla.infonavit.validation import simulation_facts, solution_params
from ventanilla.reference.selectors import PARAMETER_LABELS


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
}
MONEY_KEYS = {"discount", "amount_to_pay", "new_balance", "balance", "monthly_payment", "monthly_insurance_and_fees",
              "capitalized", "reward", "arrears", "infonavit_covers", "fund_pays"}
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
    return [{"key": key, "label": DETAIL_LABELS.get(key, key), "value": detail_value(key, value, language)}
            for key, value in values.items()]


def result_rows(results: list[solutions.SolutionResult], language: str) -> list[dict]:
    """Each solution with its name, every reason in the active language, its amounts and new terms."""
    return [{"code": r.code, "name": SOLUTION_NAMES[r.code], "eligible": r.eligible,
             "reasons": [reason.text(language) for reason in r.reasons],
             "amounts": detail_rows(r.amounts, language), "new_terms": detail_rows(r.new_terms, language)}
            for r in results]


def assumed_rows(language: str, terms: solutions.SolutionTerms = solutions.DEFAULT_TERMS) -> list[dict]:
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
