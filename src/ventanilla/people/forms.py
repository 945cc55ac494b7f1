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
