"""Mi Cuenta screens: self-registration with an e-mail code, password reset, second factor (TOTP), contact
data and data-correction requests. Thin: every decision is people.services' or people.access'."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from reportlab.graphics import renderSVG
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing

from ventanilla.core import audit
from ventanilla.core.errors import DomainError
from ventanilla.people import services, throttle
from ventanilla.people.decorators import domain_http, role_required
from ventanilla.people.forms import (
    CodeForm,
    ContactForm,
    CorrectionDecisionForm,
    CorrectionForm,
    EmailChangeForm,
    RegistrationForm,
)
from ventanilla.people.models import CorrectionRequest, Role, User

ALL_ROLES = frozenset(Role.values)
AUTH_BACKEND = "ventanilla.people.backends.UserBackend"
PENDING_LOGIN_SECONDS = 300  # the password step is good for five minutes of code entry
REGISTRATION_SESSION_KEY = "registration_token"
PENDING_LOGIN_KEY = "pending_second_factor"


def _status(form) -> int:
    return 422 if form.errors else 200


def _add_errors(form, exc: DomainError) -> None:
    for item in exc.errors:
        form.add_error(item.field if item.field in form.fields else None, str(item.message))


# Self-registration

def register(request):
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.start_registration(form.cleaned_data, client_ip=throttle.client_ip(request))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            # The same redirect and the same page whatever matched (no message reveals an NSS on file).
            request.session[REGISTRATION_SESSION_KEY] = row.token
            return redirect("people:register_code")
    return render(request, "people/register.html", {"form": form}, status=_status(form))


def register_code(request):
    token = request.session.get(REGISTRATION_SESSION_KEY)
    if not token:
        return redirect("people:register")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.confirm_registration(token, form.cleaned_data["code"])
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            request.session.pop(REGISTRATION_SESSION_KEY, None)
            login(request, user, backend=AUTH_BACKEND)
            services.record_login(user, second_factor=False)
            messages.success(request, _("Su cuenta está activa. Bienvenido a Mi Cuenta."))
            return redirect("web:portal")
    return render(request, "people/register_code.html", {"form": form, "same_answer": services.SAME_ANSWER},
                  status=_status(form))


# Password reset by e-mail: Django's token machinery, our templates, the same answer for every address.

class PasswordResetForm(auth_forms.PasswordResetForm):
    """Exactly one message per request, like registration (services._mail): the reset link to the oldest
    active account with the address, or a neutral notice when there is none."""

    def get_users(self, email):
        users = sorted(super().get_users(email), key=lambda user: user.pk)[:1]
        self.matched = bool(users)
        return users

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        if not self.matched:
            services.mail_unknown_password_reset(self.cleaned_data["email"])


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm
    template_name = "people/password_reset.html"
    email_template_name = "people/email/password_reset.txt"
    subject_template_name = "people/email/password_reset_subject.txt"
    success_url = reverse_lazy("people:password_reset_sent")

    def form_valid(self, form):
        address = throttle.client_ip(self.request)
        if throttle.over_limit("password-reset", [address], services.REGISTRATION_LIMIT_PER_ADDRESS):
            form.add_error(None, str(services.TOO_MANY))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        try:
            services.throttle_mail_to(form.cleaned_data["email"])  # per target address too: no inbox flooding
        except DomainError:
            form.add_error(None, str(services.TOO_MANY))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        throttle.count("password-reset", [address], services.REGISTRATION_WINDOW_SECONDS)
        audit.record(None, "account.password_reset_request", object_type="people.user")
        return super().form_valid(form)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "people/password_reset_confirm.html"
    success_url = reverse_lazy("people:password_reset_done")

    def form_valid(self, form):
        response = super().form_valid(form)
        audit.record(form.user, "account.password_reset", form.user)
        return response


# Log-in second step and the second factor itself

def begin_second_factor(request, user: User, next_url: str) -> HttpResponse:
    """Called by the log-in view after a right password for an account with TOTP: no session yet."""
    request.session[PENDING_LOGIN_KEY] = {"user": user.pk, "at": time.time(), "next": next_url}
    return redirect("people:login_code")


def login_code(request):
    pending = request.session.get(PENDING_LOGIN_KEY) or {}
    user = User.objects.filter(pk=pending.get("user"), is_active=True).first()
    if user is None or time.time() - pending.get("at", 0) > PENDING_LOGIN_SECONDS:
        request.session.pop(PENDING_LOGIN_KEY, None)
        return redirect(settings.LOGIN_URL)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_totp(user, form.cleaned_data["code"], client_ip=throttle.client_ip(request))
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            request.session.pop(PENDING_LOGIN_KEY, None)
            login(request, user, backend=AUTH_BACKEND)
            services.record_login(user, second_factor=True)
            return redirect(pending.get("next") or settings.LOGIN_REDIRECT_URL)
    return render(request, "people/login_code.html", {"form": form, "unreadable": services.totp_unreadable(user)},
                  status=_status(form))


def qr_svg(data: str, size: int = 200) -> str:
    """The QR code as inline SVG (ReportLab's QR widget; no image files, no JavaScript)."""
    widget = QrCodeWidget(data, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    svg = renderSVG.drawToString(drawing)
    return svg[svg.index("<svg"):]


@role_required(ALL_ROLES)
def security(request):
    return render(request, "people/security.html", {"enabled": services.has_totp(request.user),
                                                    "unreadable": services.totp_unreadable(request.user)})


@role_required(ALL_ROLES)
def totp_enable(request):
    try:
        factor = services.start_totp_enrolment(request.user)
    except DomainError:
        return redirect("people:security")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_totp_enrolment(request.user, form.cleaned_data["code"],
                                            client_ip=throttle.client_ip(request))
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("La verificación en dos pasos está activa."))
            return redirect("people:security")
    uri = services.totp_uri(factor)
    return render(request, "people/totp_enable.html",
                  {"form": form, "secret": factor.secret, "qr": qr_svg(uri)}, status=_status(form))


@role_required(ALL_ROLES)
def totp_disable(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.disable_totp(request.user, form.cleaned_data["code"], client_ip=throttle.client_ip(request))
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("La verificación en dos pasos está desactivada."))
            return redirect("people:security")
    return render(request, "people/totp_disable.html", {"form": form}, status=_status(form))


# Contact data and corrections (the citizen's own record only)

@role_required({Role.DERECHOHABIENTE})
@domain_http
def contact(request):
    person = request.user.person
    if person is None:
        return redirect("web:portal")
    initial = {name: getattr(person, name) for name in ContactForm.base_fields}
    form = ContactForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_contact(request.user, form.cleaned_data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Sus datos de contacto se guardaron."))
            return redirect("people:contact")
    return render(request, "people/contact.html",
                  {"form": form, "email_form": EmailChangeForm(), "person": person,
                   "pending_email": services.pending_email_change(request.user)}, status=_status(form))


@role_required({Role.DERECHOHABIENTE})
@domain_http
@require_POST
def email_change(request):
    form = EmailChangeForm(request.POST)
    if form.is_valid():
        try:
            services.request_email_change(request.user, form.cleaned_data["email"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            return redirect("people:email_code")
    person = request.user.person
    return render(request, "people/contact.html",
                  {"form": ContactForm(initial={n: getattr(person, n, "") for n in ContactForm.base_fields}),
                   "email_form": form, "person": person,
                   "pending_email": services.pending_email_change(request.user)}, status=422)


@role_required({Role.DERECHOHABIENTE})
@domain_http
def email_code(request):
    pending = services.pending_email_change(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm_email_change(request.user, form.cleaned_data["code"])
        except DomainError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Su correo electrónico quedó verificado."))
            return redirect("people:contact")
    return render(request, "people/email_code.html", {"form": form, "pending": pending}, status=_status(form))


@role_required({Role.DERECHOHABIENTE})
@domain_http
def corrections(request):
    person = request.user.person
    if person is None:
        return redirect("web:portal")
    form = CorrectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.request_correction(request.user, person, form.cleaned_data["field"],
                                        form.cleaned_data["new_value"], form.cleaned_data["reason"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Su solicitud se registró; el personal del IMSS o del Infonavit la revisará."))
            return redirect("people:corrections")
    rows = CorrectionRequest.objects.filter(person=person).order_by("-requested_at", "-pk")
    return render(request, "people/corrections.html", {"form": form, "rows": rows}, status=_status(form))


@role_required(services.CORRECTION_DECIDER_ROLES)
def corrections_pending(request):
    return render(request, "people/corrections_pending.html",
                  {"rows": services.pending_corrections(request.user), "form": CorrectionDecisionForm()})


@role_required(services.CORRECTION_DECIDER_ROLES)
@domain_http
@require_POST
def correction_decide(request, request_id: int):
    form = CorrectionDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_correction(request.user, request_id, approve=form.cleaned_data["decision"] == "approve",
                                       reason=form.cleaned_data["reason"])
        except DomainError as exc:
            for item in exc.errors:
                messages.error(request, str(item.message))
        else:
            messages.success(request, _("La solicitud quedó resuelta."))
        return redirect("people:corrections_pending")
    messages.error(request, _("Revise los datos marcados."))
    return redirect("people:corrections_pending")
