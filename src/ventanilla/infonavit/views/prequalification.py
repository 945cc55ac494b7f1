"""Precalificación y puntos and credit simulation screens (offers engineer): the public page, the portal's
(prefilled from the person on file) and the officer's for a person of their consulate. Thin over
prequal_checks (what a valid request is, shared with the API) and rules/prequalification."""

from django import forms
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from ventanilla.core.errors import DomainError
from ventanilla.core.forms import DomainErrorsMixin
from ventanilla.core.reasons import money, number
from ventanilla.core.throttling import PublicRateThrottle
from ventanilla.infonavit import prequal_checks, savings_selectors
from ventanilla.infonavit.rules import prequalification as rules
from ventanilla.people import access
from ventanilla.people.decorators import domain_http, role_required
from ventanilla.people.models import Role

DATE = {"type": "date"}
MONEY = {"inputmode": "decimal", "autocomplete": "off"}
SEX_CHOICES = [("H", gettext_lazy("Hombre")), ("M", gettext_lazy("Mujer"))]
WORKER_TYPES = [("permanent", gettext_lazy("Permanente")), ("temporary", gettext_lazy("Eventual"))]
OFFICER_ROLES = frozenset({Role.CONSULAR_OFFICER, Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})
PRODUCT_NAMES = {"credito_infonavit": "Crédito Infonavit", "unamos": "Unamos Crédito",
                 "cofinavit": "Cofinavit (parte Infonavit)", "mejoravit": "Mejoravit"}
VARIABLE_NAMES = {
    "age_salary": gettext_lazy("Edad y salario"), "scv_savings": gettext_lazy("Ahorro en la subcuenta de vivienda"),
    "continuous_contribution": gettext_lazy("Cotización continua"), "worker_type": gettext_lazy("Tipo de trabajador"),
    "job_stability": gettext_lazy("Estabilidad laboral"), "employer_record": gettext_lazy("Comportamiento del patrón"),
    "other": gettext_lazy("Resto del modelo (supuesto)"),
}


def _date(label):
    return forms.DateField(label=label, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


def _money(label, required=True):
    return forms.CharField(label=label, max_length=20, required=required, widget=forms.TextInput(attrs=MONEY))


class PrequalificationForm(DomainErrorsMixin, forms.Form):
    """The API's CreditSimulateIn as a form; the second person only for Unamos Crédito."""

    field_aliases = {f"second_person.{name}": f"second_{name}" for name in
                     ("birth_date", "monthly_salary", "scv_balance", "continuous_bimesters")}

    as_of = _date(gettext_lazy("Fecha del cálculo"))
    birth_date = _date(gettext_lazy("Fecha de nacimiento"))
    sex = forms.ChoiceField(label=gettext_lazy("Sexo"), choices=SEX_CHOICES)
    monthly_salary = _money(gettext_lazy("Ingreso mensual (pesos)"))
    scv_balance = _money(gettext_lazy("Saldo de la subcuenta de vivienda (pesos)"))
    continuous_bimesters = forms.IntegerField(label=gettext_lazy("Bimestres de cotización continua"), min_value=0,
                                              max_value=rules.MAX_BIMESTERS)
    worker_type = forms.ChoiceField(label=gettext_lazy("Tipo de trabajador"), choices=WORKER_TYPES)
    employed = forms.BooleanField(label=gettext_lazy("Tiene empleo formal en México"), required=False)
    owns_home = forms.BooleanField(label=gettext_lazy("Tiene vivienda propia"), required=False)
    second_birth_date = forms.DateField(label=gettext_lazy("Segunda persona (Unamos): fecha de nacimiento"),
                                        required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    second_sex = forms.ChoiceField(label=gettext_lazy("Segunda persona: sexo"), choices=SEX_CHOICES, required=False)
    second_monthly_salary = _money(gettext_lazy("Segunda persona: ingreso mensual (pesos)"), required=False)
    second_scv_balance = _money(gettext_lazy("Segunda persona: saldo de la subcuenta (pesos)"), required=False)
    second_continuous_bimesters = forms.IntegerField(label=gettext_lazy("Segunda persona: bimestres continuos"),
                                                     min_value=0, max_value=rules.MAX_BIMESTERS, required=False)
    second_worker_type = forms.ChoiceField(label=gettext_lazy("Segunda persona: tipo de trabajador"),
                                           choices=WORKER_TYPES, required=False)
    second_employed = forms.BooleanField(label=gettext_lazy("Segunda persona: tiene empleo formal"), required=False)

    def request_data(self) -> dict:
        """The cleaned fields as the API's request (second_person only when its birth date is given)."""
        data = {name: self.cleaned_data[name] for name in ("as_of", "birth_date", "sex", "monthly_salary",
                                                           "scv_balance", "continuous_bimesters", "worker_type",
                                                           "employed", "owns_home")}
        if self.cleaned_data.get("second_birth_date"):
            data["second_person"] = {
                "birth_date": self.cleaned_data["second_birth_date"], "sex": self.cleaned_data["second_sex"] or "H",
                "monthly_salary": self.cleaned_data["second_monthly_salary"] or "0",
                "scv_balance": self.cleaned_data["second_scv_balance"] or "0",
                "continuous_bimesters": self.cleaned_data["second_continuous_bimesters"] or 0,
                "worker_type": self.cleaned_data["second_worker_type"] or "permanent",
                "employed": self.cleaned_data["second_employed"]}
        return data


def _result_rows(result: rules.Prequalification, language: str) -> dict:
    return {
        "points": [{"name": VARIABLE_NAMES[name], "code": name, "points": points,
                    "maximum": rules.PUBLISHED_MAXIMA.get(name, rules.DEFAULT_TERMS.other_maximum)}
                   for name, points in result.points.items()],
        "total": result.total_points, "model": result.model, "minimum": result.minimum_points,
        "qualifies": result.qualifies,
        "bienestar": {"eligible": result.bienestar.eligible,
                      "reasons": [reason.text(language) for reason in result.bienestar.reasons]},
        "products": [{"code": o.product, "name": PRODUCT_NAMES[o.product], "eligible": o.eligible,
                      "max_amount": money(o.max_amount), "rate": number(o.rate), "term_years": o.term_years,
                      "monthly_payment": money(o.monthly_payment), "total_cost": money(o.total_cost)}
                     for o in result.products],
        "reasons": [reason.text(language) for reason in result.reasons],
        "assumed": [term.text(language) for term in rules.ASSUMED_TERMS],
    }


def _page(request, initial: dict, *, area: str, person=None):
    submitted = "as_of" in request.GET
    form = PrequalificationForm(request.GET if submitted else None, initial={"as_of": timezone.localdate(),
                                                                             "employed": True, **initial})
    if submitted and not request.user.is_authenticated and not PublicRateThrottle().allow_request(request):
        return render(request, "infonavit/prequal_simulate.html", {
            "form": PrequalificationForm(initial=initial), "area": area,
            "throttled": _("Demasiadas consultas seguidas; espere un minuto e intente de nuevo.")}, status=429)
    result = None
    if submitted and form.is_valid():
        try:
            as_of, applicant, second, params = prequal_checks.prequalification_input(form.request_data())
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            result = _result_rows(rules.prequalify(applicant, as_of, params, second), get_language() or "es")
    return render(request, "infonavit/prequal_simulate.html", {
        "form": form, "result": result, "area": area, "person": person,
        "assumed": [term.text(get_language() or "es") for term in rules.ASSUMED_TERMS],
    }, status=422 if form.errors else 200)


def _known(person) -> dict:
    """What we know of a person: birth date, sex (when H or M), SCV balance from the savings ledger."""
    initial = {"birth_date": person.birth_date}
    if person.sex in {"H", "M"}:
        initial["sex"] = person.sex
    initial["scv_balance"] = str(sum(savings_selectors.balances(person.pk).values()))
    return initial


def simulate(request):
    """Public: points and products for the facts typed in (GET, so a result can be shared)."""
    return _page(request, {}, area="public")


@role_required({Role.DERECHOHABIENTE})
def portal(request):
    """Mi Cuenta: the same, prefilled from the person on file."""
    person = request.user.person
    return _page(request, _known(person) if person else {}, area="portal", person=person)


@role_required(OFFICER_ROLES)
@domain_http
def for_person(request, person_id: int):
    """The officer's screen for a person of their consulate (Infonavit staff: anyone), prefilled."""
    person = access.get_visible_person(request.user, person_id)
    return _page(request, _known(person), area="ventanilla", person=person)
