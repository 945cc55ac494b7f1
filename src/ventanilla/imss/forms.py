"""Forms of the IMSS screens. They only shape input: every rule (income > 0, ID at the window, who may be a
beneficiary, what a claim pays) is the service's, and its DomainError comes back next to the field."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core.forms import DomainErrorsMixin
from ventanilla.imss.models import Affiliation, Beneficiary, BenefitClaim
from ventanilla.people.forms import PersonForm

DATE = {"type": "date"}
MONEY = {"inputmode": "decimal", "autocomplete": "off"}


INCOME_LABEL = _("Ingreso mensual (pesos)")


def _income_field(label=INCOME_LABEL):
    return forms.CharField(label=label, max_length=20, widget=forms.TextInput(attrs=MONEY),
                           help_text=_("Lo que gana al mes, en pesos mexicanos; p. ej. 12000 o 12000.50."))


class CalculatorForm(DomainErrorsMixin, forms.Form):
    date = forms.DateField(label=_("Fecha"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                           help_text=_("El periodo empieza el mes de esta fecha."))
    monthly_income = _income_field()
    zone = forms.ChoiceField(label=_("Zona del domicilio en México"), choices=Affiliation.Zone.choices,
                             initial=Affiliation.Zone.GENERAL)
    periodicity = forms.ChoiceField(label=_("Periodicidad de pago"), choices=Affiliation.Periodicity.choices,
                                    initial=Affiliation.Periodicity.MONTHLY)


class EnrolForm(DomainErrorsMixin, forms.Form):
    occupation = forms.CharField(label=_("Ocupación"), max_length=120)
    monthly_income = _income_field()
    periodicity = forms.ChoiceField(label=_("Periodicidad de pago"), choices=Affiliation.Periodicity.choices,
                                    initial=Affiliation.Periodicity.MONTHLY)
    id_document_type = forms.ChoiceField(label=_("Identificación oficial"), required=False,
                                         choices=[("", "—"), *Affiliation.IdDocument.choices])
    id_document_number = forms.CharField(label=_("Número de identificación"), max_length=40, required=False,
                                         widget=forms.TextInput(attrs={"autocomplete": "off",
                                                                       "spellcheck": "false"}))

    def __init__(self, *args, at_window: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if at_window:
            help_text = _("Obligatoria en ventanilla: pasaporte, matrícula consular o INE presentada.")
        else:
            help_text = _("Opcional en el portal.")
        self.fields["id_document_number"].help_text = help_text


class BeneficiaryForm(DomainErrorsMixin, forms.Form):
    """The relative's identity as in person registration, or (officers and staff) a CURP already on file."""

    IDENTITY = ("first_names", "last_name_1", "last_name_2", "curp", "birth_date", "sex", "mx_state",
                "mx_municipality", "mx_postal_code")

    relationship = forms.ChoiceField(label=_("Parentesco"),
                                     choices=[("", "—"), *Beneficiary.Relationship.choices])
    existing_curp = forms.CharField(
        label=_("CURP de una persona ya registrada"), max_length=18, required=False,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}),
        help_text=_("Si el familiar ya está registrado, basta su CURP; si no, llene sus datos abajo."))
    studying_until = forms.DateField(label=_("Constancia de estudios vigente hasta"), required=False,
                                     widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                     help_text=_("Hijas e hijos de 16 a 25 años que estudian."))
    disabled = forms.BooleanField(label=_("Tiene una discapacidad que le impide trabajar"), required=False)
    lives_with_worker = forms.BooleanField(label=_("Vive en el hogar de la persona trabajadora"), required=False,
                                           help_text=_("Padre o madre."))
    economically_dependent = forms.BooleanField(label=_("Depende económicamente de la persona trabajadora"),
                                                required=False, help_text=_("Padre o madre."))
    years_together = forms.IntegerField(label=_("Años de vida en común"), required=False, min_value=0,
                                        max_value=99, help_text=_("Concubina o concubinario."),
                                        widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    child_in_common = forms.BooleanField(label=_("Tienen hijos en común"), required=False,
                                         help_text=_("Concubina o concubinario."))

    def __init__(self, *args, allow_existing: bool = True, address=None, **kwargs):
        super().__init__(*args, **kwargs)
        identity = PersonForm()
        for name in self.IDENTITY:
            self.fields[name] = identity.fields[name]
        if not allow_existing:
            del self.fields["existing_curp"]
        elif self.data.get(self.add_prefix("existing_curp"), "").strip():
            for name in self.IDENTITY:
                self.fields[name].required = False
        if address is not None:  # relatives usually live at the worker's Mexican address
            for name in ("mx_state", "mx_municipality", "mx_postal_code"):
                self.fields[name].initial = getattr(address, name)
        order = ["relationship", *(["existing_curp"] if allow_existing else []), *self.IDENTITY]
        self.order_fields(order)

    @property
    def field_aliases(self):
        uses_existing = bool(self.cleaned_data.get("existing_curp")) if hasattr(self, "cleaned_data") else False
        return {"person": "existing_curp" if uses_existing else "curp"}

    def identity_fields(self):
        return [self[name] for name in (["existing_curp"] if "existing_curp" in self.fields else [])
                + list(self.IDENTITY)]

    def condition_fields(self):
        return [self[name] for name in ("studying_until", "disabled", "lives_with_worker",
                                        "economically_dependent", "years_together", "child_in_common")]

    def person_data(self) -> dict:
        data = {name: self.cleaned_data.get(name) or "" for name in self.IDENTITY}
        if data["birth_date"]:
            data["birth_date"] = data["birth_date"].isoformat()
        return data

    def conditions(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in ("studying_until", "disabled", "lives_with_worker",
                                                               "economically_dependent", "years_together",
                                                               "child_in_common")}


class IncomeForm(DomainErrorsMixin, forms.Form):
    monthly_income = _income_field(_("Nuevo ingreso mensual (pesos)"))
    effective_from = forms.DateField(label=_("A partir de (mes)"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                     help_text=_("Se toma el primer día de ese mes; solo periodos aún no emitidos."))


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ClaimForm(DomainErrorsMixin, forms.Form):
    MAX_FILE_BYTES = 10 * 1024 * 1024

    kind = forms.ChoiceField(label=_("Prestación"), choices=[("", "—"), *BenefitClaim.Kind.choices])
    event_date = forms.DateField(label=_("Fecha del hecho"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                                 help_text=_("Fallecimiento, inicio de la incapacidad, parto o solicitud."))
    work_risk = forms.BooleanField(label=_("Derivado de un riesgo de trabajo"), required=False)
    incapacity_days = forms.IntegerField(label=_("Días de incapacidad"), required=False, min_value=0,
                                         max_value=1000, widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
    disability_percent = forms.DecimalField(label=_("Porcentaje de invalidez"), required=False, min_value=0,
                                            max_value=100, decimal_places=2,
                                            widget=forms.NumberInput(attrs={"inputmode": "decimal"}))
    child_birth_date = forms.DateField(label=_("Fecha de nacimiento de la niña o el niño"), required=False,
                                       widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"), help_text=_("Para guardería."))
    documents = MultipleFileField(label=_("Documentos (acta, factura, certificado…)"), required=False,
                                  help_text=_("Puede elegir varios archivos; hasta 10 MB cada uno."))

    def clean_documents(self):
        files = self.cleaned_data.get("documents") or []
        for upload in files:
            if upload.size > self.MAX_FILE_BYTES:
                raise forms.ValidationError(_("El archivo %(name)s pasa de 10 MB.") % {"name": upload.name})
        return files

    def clean(self):
        data = super().clean()
        # The funeral rule refuses a claim dated before the death it claims for: a future death is a typo.
        if data.get("kind") == BenefitClaim.Kind.FUNERAL and data.get("event_date") and \
                data["event_date"] > timezone.localdate():
            self.add_error("event_date", _("La fecha del fallecimiento no puede ser futura."))
        return data

    def facts(self) -> dict:
        data = self.cleaned_data
        facts = {"work_risk": data.get("work_risk") or None, "incapacity_days": data.get("incapacity_days"),
                 "disability_percent": str(data["disability_percent"]) if data.get("disability_percent")
                 is not None else None,
                 "child_birth_date": data["child_birth_date"].isoformat() if data.get("child_birth_date") else None}
        return {key: value for key, value in facts.items() if value not in (None, "")}

    def uploads(self) -> list[tuple[str, object]]:
        return [(upload.name[:120], upload) for upload in self.cleaned_data.get("documents") or []]


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Nota"), max_length=300, required=False)


class NssForm(DomainErrorsMixin, forms.Form):
    nss = forms.CharField(label=_("NSS asignado"), max_length=11, min_length=11,
                          widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))


class AforeForm(forms.Form):
    afore_name = forms.CharField(label=_("AFORE (si la conoce)"), max_length=80, required=False)
