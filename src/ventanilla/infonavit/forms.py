"""Forms of the Infonavit screens. They only shape input: what a valid simulation is lives in
infonavit.validation (shared with the API), who may apply what in the services, and their DomainError comes
back next to the field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core.forms import DomainErrorsMixin
from ventanilla.infonavit.models import Credit
from ventanilla.infonavit.rules import solutions
from ventanilla.infonavit.validation import MAX_MONTHS
from ventanilla.people.models import Person

DATE = {"type": "date"}
MONEY = {"inputmode": "decimal", "autocomplete": "off"}
COUNT = {"inputmode": "numeric"}


# --- relief solutions (screens engineer) ---------------------------------------------------------------

# The nine solutions by their proper names (kept in Spanish: they are programme names), in SOLUTION_CODES order.
SOLUTION_NAMES = {
    "RC": "Responsabilidad Compartida",
    "DLA": "Descuento por Liquidación Anticipada",
    "BCN": "Borrón y Cuenta Nueva",
    "JUBILADOS": "Apoyo a Jubilados",
    "DCP": "Dictamen de Capacidad de Pago",
    "STM": "Solución a tu Medida",
    "PARO_TECNICO": _("Paro técnico"),
    "FPP": "Fondo de Protección de Pagos",
    "PRORROGA": _("Prórroga"),
}
assert tuple(SOLUTION_NAMES) == solutions.SOLUTION_CODES


def _money(label, help_text=""):
    return forms.CharField(label=label, max_length=20, widget=forms.TextInput(attrs=MONEY), help_text=help_text)


def _count(label, help_text=""):
    return forms.IntegerField(label=label, min_value=0, max_value=MAX_MONTHS, help_text=help_text,
                              widget=forms.NumberInput(attrs=COUNT))


def _date(label, help_text=""):
    return forms.DateField(label=label, help_text=help_text, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class SimulationForm(DomainErrorsMixin, forms.Form):
    """Every fact of the public simulator (api.SimulateIn), typed at the window for a credit not stored here."""

    as_of = _date(_("Fecha del cálculo"), _("Las reglas y parámetros vigentes en esta fecha."))
    product = forms.ChoiceField(label=_("Producto"), choices=Credit.Product.choices,
                                initial=Credit.Product.TRADICIONAL)
    denomination = forms.ChoiceField(label=_("Denominación"), choices=Credit.Denomination.choices,
                                     initial=Credit.Denomination.VSM)
    origination_date = _date(_("Fecha de otorgamiento"))
    amount_lent = _money(_("Monto otorgado (pesos)"))
    balance = _money(_("Saldo actual (pesos)"),
                     _("Todo lo que se debe hoy, con lo vencido; en un crédito VSM, al valor de hoy."))
    monthly_payment = _money(_("Pago mensual sin seguros ni comisiones (pesos)"))
    monthly_insurance_and_fees = _money(_("Seguros y comisiones al mes (pesos)"))
    rate = forms.CharField(label=_("Tasa anual (%)"), max_length=10, widget=forms.TextInput(attrs=MONEY),
                           help_text=_("Por ejemplo 9.5"))
    remaining_months = _count(_("Mensualidades que faltan del plazo"))
    missed_payments = _count(_("Mensualidades vencidas sin pagar"))
    payments_made = _count(_("Mensualidades completas pagadas"))
    borrower_birth_date = _date(_("Fecha de nacimiento de la persona acreditada"))
    borrower_sex = forms.ChoiceField(label=_("Sexo"), choices=[(code, label) for code, label in Person.Sex.choices
                                                                if code in solutions.SEXES])
    monthly_income = _money(_("Ingreso mensual (pesos)"), _("0 si hoy no tiene ingresos."))
    monthly_pension = _money(_("Pensión mensual (pesos)"), _("0 si no tiene pensión."))
    contributing_to_imss = forms.BooleanField(label=_("Cotiza hoy al IMSS"), required=False)
    employed = forms.BooleanField(label=_("Tiene empleo formal en México"), required=False)
    active_solutions = forms.MultipleChoiceField(label=_("Soluciones en curso"), required=False,
                                                 choices=list(SOLUTION_NAMES.items()),
                                                 widget=forms.CheckboxSelectMultiple)
    legal_proceedings = forms.BooleanField(label=_("El crédito está en proceso judicial"), required=False)
    cofinanced = forms.BooleanField(label=_("Crédito cofinanciado con un banco"), required=False)
    frozen = forms.BooleanField(label=_("Crédito congelado (sin actualización anual)"), required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"as_of": timezone.localdate(), "monthly_insurance_and_fees": "0",
                                      "monthly_pension": "0", "missed_payments": 0})
        super().__init__(*args, **kwargs)


_YES_NO = [("", "—"), ("true", _("Sí")), ("false", _("No"))]

# What the ledger does not know and the borrower declares (selectors.DECLARABLE_FACTS): label, kind, help.
DECLARED_FIELDS = {
    "monthly_income": (_("Ingreso mensual (pesos)"), "money", _("0 si hoy no tiene ingresos.")),
    "monthly_pension": (_("Pensión mensual (pesos)"), "money", _("0 si no tiene pensión.")),
    "employed": (_("Tiene empleo formal en México"), "yes_no", ""),
    "contributing_to_imss": (_("Cotiza hoy al IMSS"), "yes_no",
                             _("Sin respuesta se toma la cobertura de su afiliación al IMSS en el exterior.")),
    "months_unemployed": (_("Meses completos sin empleo formal"), "months", ""),
    "months_employed_before_job_loss": (_("Meses de empleo formal antes de perderlo"), "months", ""),
    "months_in_current_job": (_("Meses en el empleo actual"), "months", ""),
    "income_at_origination": (_("Ingreso mensual al obtener el crédito (pesos)"), "money", ""),
    "employer_agreement_filed": (_("El patrón presentó el convenio de paro técnico"), "yes_no", ""),
}


class DeclaredFactsForm(DomainErrorsMixin, forms.Form):
    """The facts a stored credit's ledger does not know, as typed text: selectors.parse_declared checks them
    (its DomainError comes back next to each field). A blank field is not declared."""

    def __init__(self, *args, **kwargs):
        from ventanilla.infonavit.selectors import DECLARABLE_FACTS

        super().__init__(*args, **kwargs)
        for name in DECLARABLE_FACTS:
            label, kind, help_text = DECLARED_FIELDS[name]
            if kind == "yes_no":
                field = forms.ChoiceField(label=label, choices=_YES_NO, required=False, help_text=help_text)
            else:
                field = forms.CharField(label=label, max_length=20, required=False, help_text=help_text,
                                        widget=forms.TextInput(attrs=MONEY if kind == "money" else COUNT))
            self.fields[name] = field

    def raw(self) -> dict:
        """The declared values as typed (blank ones left out), for the selector, a query string or hidden fields."""
        typed = {}
        for name in self.fields:
            value = str(self.data.get(self.add_prefix(name)) or "").strip()
            if value:
                typed[name] = value
        return typed


class ConfirmApplicationForm(forms.Form):
    """The preview's Confirm: one idempotency key per preview shown, so a double submit applies once."""

    idempotency_key = forms.CharField(max_length=64, widget=forms.HiddenInput)


class RefuseApplicationForm(DomainErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Motivo del rechazo"), max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("La persona acreditada lo verá tal cual."))


END_REASON_LABELS = {
    "formal_job": _("Consiguió empleo formal (termina Apoyo a Jubilados)"),
    "cancelled": _("La persona acreditada la cancela"),
    "missed_payment": _("Pago omitido (termina el Dictamen de Capacidad de Pago)"),
}


class EndApplicationForm(DomainErrorsMixin, forms.Form):
    reason = forms.ChoiceField(label=_("Motivo del término"), choices=list(END_REASON_LABELS.items()))
