"""Screens: thin views over services and selectors. Role checks go through people.access."""

from datetime import date, timedelta

from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ventanilla.core.errors import DomainError, NotFoundError
from ventanilla.people import access, selectors, services
from ventanilla.people import views as people_views
from ventanilla.people.decorators import role_required
from ventanilla.people.forms import PersonForm, ThrottledLoginForm
from ventanilla.people.models import Role
from ventanilla.reference import selectors as reference_selectors
from ventanilla.reference.params import ParamsUnavailable
from ventanilla.reports import indicators as report_indicators
from ventanilla.reports import views as report_views
from ventanilla.web.navigation import home_for


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


def home(request):
    if request.user.is_authenticated:
        return redirect(home_for(request.user))
    return render(request, "web/home.html")


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    authentication_form = ThrottledLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        from django.urls import reverse

        return reverse(home_for(self.request.user))

    def form_valid(self, form):
        # Mi Cuenta: an account with a second factor gets no session until its TOTP code (people.views).
        user = form.get_user()
        if services.has_totp(user):
            next_url = self.get_redirect_url() or reverse(home_for(user))
            return people_views.begin_second_factor(self.request, user, next_url)
        response = super().form_valid(form)
        services.record_login(user, second_factor=False)
        return response


@role_required({Role.DERECHOHABIENTE})
def portal(request):
    return render(request, "web/portal.html", {"person": request.user.person,
                                               "pending_actions": pending_actions(request.user)})


def pending_actions(user) -> list[dict]:
    """Mi Cuenta's to-do list: what the citizen still has to do or is waiting for, each with its page."""
    from ventanilla.infonavit.models import SolutionApplication
    from ventanilla.infonavit.selectors import visible_credits
    from ventanilla.payments.models import PaymentReference
    from ventanilla.people.models import CorrectionRequest

    person = user.person
    if person is None:
        return []
    actions = []
    pending_email = services.pending_email_change(user)
    if pending_email is not None or not person.email:
        actions.append({"kind": "verify_email", "url": reverse("people:email_code" if pending_email else
                                                                "people:contact"),
                        "text": _("Verifique su correo electrónico.")})
    corrections = CorrectionRequest.objects.filter(person=person, status=CorrectionRequest.Status.PENDING).count()
    if corrections:
        actions.append({"kind": "corrections", "url": reverse("people:corrections"),
                        "text": _("Solicitudes de corrección de datos en revisión: %(n)s") % {"n": corrections}})
    unpaid = PaymentReference.objects.filter(person=person, status=PaymentReference.Status.ISSUED,
                                             owner_kind__startswith="imss").order_by("due_date")
    for reference in unpaid[:5]:
        actions.append({"kind": "imss_reference", "url": reverse("payments:reference_slip", args=[reference.code]),
                        "text": _("Pago IMSS pendiente: %(what)s, fecha límite %(due)s") % {
                            "what": reference.description, "due": reference.due_date.isoformat()}})
    applications = SolutionApplication.objects.filter(
        credit__in=visible_credits(user), status=SolutionApplication.Status.PENDING_APPROVAL).select_related("credit")
    for application in applications:
        actions.append({"kind": "relief", "url": reverse("infonavit:application", args=[application.pk]),
                        "text": _("Solicitud de solución %(code)s del crédito %(number)s en espera de aprobación") % {
                            "code": application.code, "number": application.credit.number}})
    return actions


@role_required(access.PERSON_REGISTRAR_ROLES)
def ventanilla(request):
    query = request.GET.get("q", "")
    page = Paginator(selectors.search_persons(request.user, query), 25).get_page(request.GET.get("page"))
    return render(request, "web/ventanilla.html", {"page": page, "query": query,
                                                   "consulate": request.user.consulate})


@role_required(access.PERSON_REGISTRAR_ROLES)
def person_detail(request, person_id: int):
    try:
        person = access.get_visible_person(request.user, person_id)
    except NotFoundError as exc:
        raise Http404 from exc
    return render(request, "web/person_detail.html", {"person": person})


@role_required(access.PERSON_REGISTRAR_ROLES)
def person_new(request):
    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {**form.cleaned_data, "birth_date": form.cleaned_data["birth_date"].isoformat()}
        try:
            person = services.register_person(request.user, data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            return redirect("web:person_detail", person_id=person.pk)
    return render(request, "web/person_new.html", {"form": form}, status=422 if form.errors else 200)


@role_required(access.FIGURES_ROLES)
def tablero(request):
    """The dashboards' index: a link to each, headline numbers and persons attended per consulate."""
    persons = report_views.panel(request.user, report_indicators.get_indicator("persons_by_consulate"),
                                 report_indicators.Filters())
    dashboards = [{"url": reverse(f"reports:dashboard_{slug.replace('-', '_')}"), "heading": heading,
                   "count": len(report_indicators.indicators_for(domain))}
                  for slug, (domain, heading) in report_views.DOMAINS.items()]
    today = timezone.localdate()
    last_month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    return render(request, "web/tablero.html", {
        "persons": persons, "persons_total": sum(r["persons"] for r in persons["table"].rows),
        "consulates_shown": len(persons["table"].rows), "indicator_count": len(report_indicators.indicators_for()),
        "dashboards": dashboards, "last_month": last_month, "confined": access.consulate_scope(request.user)})


@role_required(access.PARAMETER_EDITOR_ROLES)
def staff(request):
    raw = request.GET.get("date") or timezone.localdate().isoformat()
    error = None
    snapshot = None
    try:
        on = date.fromisoformat(raw)
        snapshot = reference_selectors.params_at(on)
    except ValueError:
        on, error = None, _("Use una fecha válida (AAAA-MM-DD).")
    except ParamsUnavailable as exc:
        error = reference_selectors.unavailable_message(exc)
    start, end = reference_selectors.known_range()
    return render(request, "web/staff.html", {"snapshot": snapshot, "on": on, "raw": raw, "error": error,
                                              "known_start": start, "known_end": end},
                  status=422 if error else 200)


def permission_denied(request, exception=None):
    return render(request, "web/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "web/404.html", status=404)
