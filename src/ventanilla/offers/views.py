"""Catalogue screens: the public printable consular page, and the staff list, history and new version."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ventanilla.core.errors import DomainError
from ventanilla.offers import selectors, services
from ventanilla.offers.forms import ConsularFilterForm, NewOfferForm, OfferVersionForm
from ventanilla.offers.models import AUDIENCES
from ventanilla.people.decorators import domain_http, role_required


def consular(request):
    """Public: the offer in force for an audience and language, laid out to print at the consulate."""
    form = ConsularFilterForm(request.GET or None)
    audience, language, on = "", (get_language() or "es")[:2], timezone.localdate()
    if form.is_bound and form.is_valid():
        audience = form.cleaned_data["audience"] or ""
        language = form.cleaned_data["language"] or language
        on = form.cleaned_data["date"] or on
    language = "en" if language == "en" else "es"
    rows = [{"version": v, "code": v.offer.code, "name": v.text("name", language),
             "summary": v.text("summary", language), "conditions": v.text("conditions", language),
             "requirements": v.text("requirements", language), "abroad": v.text("abroad", language),
             "audiences": [AUDIENCES[code] for code in v.audiences]}
            for v in selectors.offers_in_force(on, audience or None)]
    return render(request, "offers/consular.html", {
        "form": form, "rows": rows, "on": on, "language": language,
        "audience": AUDIENCES.get(audience), "status": 422 if form.errors else 200,
    }, status=422 if form.errors else 200)


@role_required(services.EDITOR_ROLES)
def staff_list(request):
    return render(request, "offers/staff_list.html", {"versions": selectors.all_offers(),
                                                      "changes": selectors.recent_changes(10)})


def _initial(version) -> dict:
    return {name: getattr(version, name) for name in services.VERSION_FIELDS} | {"change_note": ""}


@role_required(services.EDITOR_ROLES)
@domain_http
def staff_offer(request, code: str):
    """An offer's versions and the form for the next one (a change never edits a version)."""
    offer, versions = selectors.offer_history(code)
    form = OfferVersionForm(request.POST if request.method == "POST" else None, initial=_initial(versions[0]) if versions else None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in services.VERSION_FIELDS}
        try:
            version = services.publish_version(request.user, code, data, change_note=form.cleaned_data["change_note"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Se publicó la versión %(version)s.") % {"version": version.version})
            return redirect("offers:staff_offer", code=code)
    return render(request, "offers/staff_offer.html", {"offer": offer, "versions": versions, "form": form},
                  status=422 if form.errors else 200)


@role_required(services.EDITOR_ROLES)
def staff_new(request):
    form = NewOfferForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data.get(name) for name in services.VERSION_FIELDS}
        code = form.cleaned_data["code"]
        if selectors.offer_exists(code):
            form.add_error("code", _("Ya existe una oferta con esa clave."))
        else:
            try:
                services.publish_version(request.user, code, data, change_note=form.cleaned_data["change_note"],
                                         kind=form.cleaned_data["kind"])
            except DomainError as exc:
                form.add_domain_errors(exc)
            else:
                messages.success(request, _("Se publicó la oferta."))
                return redirect("offers:staff_offer", code=code)
    return render(request, "offers/staff_new.html", {"form": form}, status=422 if form.errors else 200)
