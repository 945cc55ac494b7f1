"""Forms about persons and accounts: the throttled log-in forms and the person registration form."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ventanilla.core.forms import DomainErrorsMixin
from ventanilla.people import throttle
from ventanilla.people.models import MEXICAN_STATES, Person


class LoginThrottleMixin:
    """Refuse an account or a client address after LOGIN_FAILURE_LIMIT failures in the window."""

    locked_message = _("Demasiados intentos fallidos. Espere unos minutos e intente de nuevo.")

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_ip(self.request)
        if throttle.is_locked(username, address):
            raise forms.ValidationError(self.locked_message, code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.register_failure(username, address)
            raise
        throttle.clear_account(username)
        return cleaned


class ThrottledLoginForm(LoginThrottleMixin, AuthenticationForm):
    pass


class ThrottledAdminLoginForm(LoginThrottleMixin, AdminAuthenticationForm):
    pass


class PersonForm(DomainErrorsMixin, forms.Form):
    first_names = forms.CharField(label=_("Nombre(s)"), max_length=100)
    last_name_1 = forms.CharField(label=_("Primer apellido"), max_length=100)
    last_name_2 = forms.CharField(label=_("Segundo apellido"), max_length=100, required=False)
    curp = forms.CharField(label="CURP", max_length=18, min_length=18,
                           widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}))
    nss = forms.CharField(label=_("NSS (si lo tiene)"), max_length=11, required=False,
                          widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    rfc = forms.CharField(label=_("RFC (opcional)"), max_length=13, required=False)
    birth_date = forms.DateField(label=_("Fecha de nacimiento"), widget=forms.DateInput(attrs={"type": "date"}))
    sex = forms.ChoiceField(label=_("Sexo (como en la CURP)"), choices=Person.Sex.choices)
    phone = forms.CharField(label=_("Teléfono"), max_length=20, required=False,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    email = forms.CharField(label=_("Correo electrónico personal"), max_length=254, required=False,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    mx_state = forms.ChoiceField(label=_("Estado (domicilio en México)"), choices=[("", "—"), *MEXICAN_STATES])
    mx_municipality = forms.CharField(label=_("Municipio"), max_length=100)
    mx_postal_code = forms.CharField(label=_("Código postal"), max_length=5,
                                     widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    abroad_country = forms.CharField(label=_("País de residencia (ISO, p. ej. US)"), max_length=2, required=False)
    abroad_region = forms.CharField(label=_("Estado o provincia de residencia"), max_length=60, required=False)
    abroad_city = forms.CharField(label=_("Ciudad de residencia"), max_length=80, required=False)


# --- Mi Cuenta: registration, codes, contact data, corrections (issue 5) ---

from ventanilla.people.models import CorrectionRequest  # noqa: E402

_CODE_WIDGET = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "maxlength": "6",
                                      "pattern": "[0-9]*"})


class RegistrationForm(DomainErrorsMixin, forms.Form):
    nss = forms.CharField(label="NSS", max_length=11, widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    curp = forms.CharField(label="CURP", max_length=18,
                           widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}))
    rfc = forms.CharField(label="RFC", max_length=13,
                          widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}))
    email = forms.CharField(label=_("Correo electrónico personal"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    phone = forms.CharField(label=_("Celular"), max_length=25,
                            help_text=_("Con clave de país: +52 (México) o +1 (Estados Unidos o Canadá)."),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    password = forms.CharField(label=_("Contraseña nueva"), strip=False,
                               help_text=_("Al menos 10 caracteres; no use sus datos ni una contraseña común."),
                               widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password_confirm = forms.CharField(label=_("Repita la contraseña"), strip=False,
                                       widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Código de 6 dígitos"), max_length=8, widget=_CODE_WIDGET)


class ContactForm(DomainErrorsMixin, forms.Form):
    phone = forms.CharField(label=_("Celular"), max_length=25,
                            help_text=_("Con clave de país: +52 (México) o +1 (Estados Unidos o Canadá)."),
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
    abroad_country = forms.CharField(label=_("País de residencia (ISO, p. ej. US)"), max_length=2, required=False)
    abroad_region = forms.CharField(label=_("Estado o provincia de residencia"), max_length=60, required=False)
    abroad_city = forms.CharField(label=_("Ciudad de residencia"), max_length=80, required=False)


class EmailChangeForm(DomainErrorsMixin, forms.Form):
    email = forms.CharField(label=_("Correo electrónico nuevo"), max_length=254,
                            widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class CorrectionForm(DomainErrorsMixin, forms.Form):
    field_aliases = {"curp": "new_value", "rfc": "new_value", "first_names": "new_value",
                     "last_name_1": "new_value", "last_name_2": "new_value", "birth_date": "new_value",
                     "sex": "new_value"}
    field = forms.ChoiceField(label=_("Dato por corregir"), choices=CorrectionRequest.Field.choices)
    new_value = forms.CharField(label=_("Valor correcto"), max_length=100)
    reason = forms.CharField(label=_("Motivo"), max_length=300,
                             widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionDecisionForm(DomainErrorsMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Aprobar")), ("refuse", _("Rechazar"))])
    reason = forms.CharField(label=_("Motivo del rechazo"), max_length=300, required=False)
