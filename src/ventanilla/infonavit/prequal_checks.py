"""Checks on the facts typed for a prequalification (precalificación y puntos), shared by the public API and
the prequalification screens: bad values come back as a DomainError naming each field, in Spanish with its
English translation. The arithmetic lives in rules/prequalification."""

from collections.abc import Mapping
from datetime import date
from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError, FieldError
from ventanilla.core.money import parse_amount
from ventanilla.infonavit.rules import prequalification as rules
from ventanilla.infonavit.validation import solution_params
from ventanilla.reference.params import ParamSnapshot

PERSON_MONEY = ("monthly_salary", "scv_balance")


def _amount(raw, field: str, errors: list[FieldError]) -> Decimal | None:
    try:
        value = parse_amount(raw, places=2)
    except ValueError:
        errors.append(FieldError(field, "invalid_number", _("Escriba un importe en pesos, con hasta dos decimales.")))
        return None
    if value < 0:
        errors.append(FieldError(field, "negative", _("El valor no puede ser negativo.")))
        return None
    if value >= rules.MAX_AMOUNT:
        errors.append(FieldError(field, "out_of_range", _("El valor es demasiado grande.")))
        return None
    return value


def _applicant(data: Mapping, as_of: date, prefix: str, errors: list[FieldError]) -> rules.Applicant | None:
    amounts = {name: _amount(data[name], prefix + name, errors) for name in PERSON_MONEY}
    if data["birth_date"] > as_of:
        errors.append(FieldError(prefix + "birth_date", "after_as_of", _("La fecha no puede ser posterior a as_of.")))
    elif rules.age_on(data["birth_date"], as_of) < 18:
        errors.append(FieldError(prefix + "birth_date", "under_age",
                                 _("La persona debe ser mayor de edad en la fecha del cálculo.")))
    if not 0 <= data["continuous_bimesters"] <= rules.MAX_BIMESTERS:
        errors.append(FieldError(prefix + "continuous_bimesters", "out_of_range",
                                 _("Escriba de 0 a 360 bimestres.")))
    if any(value is None for value in amounts.values()):
        return None
    return rules.Applicant(birth_date=data["birth_date"], sex=data["sex"], scv_balance=amounts["scv_balance"],
                           monthly_salary=amounts["monthly_salary"],
                           continuous_bimesters=data["continuous_bimesters"], worker_type=data["worker_type"],
                           employed=bool(data["employed"]), owns_home=bool(data.get("owns_home", False)))


def prequalification_input(data: Mapping) -> tuple[date, rules.Applicant, rules.Applicant | None, ParamSnapshot]:
    """The typed request (keys of the API's CreditSimulateIn, dates and counts already typed, amounts as
    decimal strings) as the rule's applicants and the parameters in force on as_of; every bad field at once."""
    errors: list[FieldError] = []
    as_of = data["as_of"]
    if as_of < rules.T1000_FROM:  # the T1000 model and its 1,080 points hold from May 2021 (infonavit.md)
        errors.append(FieldError("as_of", "before_t1000", _(
            "La precalificación se calcula desde mayo de 2021 (modelo T1000); antes el mínimo era de 116 puntos.")))
    person = _applicant(data, as_of, "", errors)
    second = None
    if data.get("second_person"):
        second = _applicant(data["second_person"], as_of, "second_person.", errors)
    params = None
    try:
        params = solution_params(as_of)
    except DomainError as exc:
        errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    return as_of, person, second, params


def answer(result: rules.Prequalification, params: ParamSnapshot, language: str | None = None) -> dict:
    """The prequalification as the API answers it: decimals as strings, reasons in the request's language."""
    language = language or get_language() or "es"
    return {
        "as_of": result.as_of.isoformat(),
        "points": result.points,
        "total_points": result.total_points,
        "model": result.model,
        "minimum_points": result.minimum_points,
        "qualifies": result.qualifies,
        # Vivienda para el Bienestar is its own path (no points) and opens none of the products below.
        "bienestar": {"eligible": result.bienestar.eligible,
                      "reasons": [{"code": r.code, "message": r.text(language)} for r in result.bienestar.reasons]},
        "second_person_points": result.second_person_points,
        "products": [{"product": o.product, "eligible": o.eligible, "max_amount": str(o.max_amount),
                      "rate": str(o.rate), "term_years": o.term_years, "monthly_payment": str(o.monthly_payment),
                      "total_cost": str(o.total_cost)} for o in result.products],
        "reasons": [{"code": r.code, "message": r.text(language)} for r in result.reasons],
        "params": {"as_of": params.on.isoformat(), "uma_monthly": str(params.uma_monthly),
                   "sm_general": str(params.sm_general), "assumed": list(params.assumed)},
        "assumed": [{"name": term.name, "description": term.text(language)} for term in rules.ASSUMED_TERMS],
    }
