"""Log-in forms for the screens and the admin, both throttled after repeated failures."""

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from ventanilla.people import throttle


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
