"""Devolución del saldo de la SCV screens: the request with its documents (the worker in the portal; officers
and staff for a worker or an heir), its status with the deadline, and the Infonavit staff queue (documents,
approve, refuse, mark paid). Thin: reads in savings_selectors, writes in refunds_services."""

import uuid

from django import forms
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ventanilla.core.errors import ConflictError, DomainError, FieldError, NotFoundError
from ventanilla.core.forms import DomainErrorsMixin
from ventanilla.infonavit import refunds_services as services
from ventanilla.infonavit import savings_selectors as selectors
from ventanilla.infonavit.models import RefundDocument, RefundRequest
from ventanilla.people import access
from ventanilla.people.decorators import domain_http, role_required

READERS = selectors.SAVINGS_READER_ROLES
DECIDERS = selectors.REFUND_DECIDER_ROLES
DOCUMENT_FIELDS = ("pension_resolution", "bank_statement", "death_certificate")


class RefundForm(DomainErrorsMixin, forms.Form):
    claimant = forms.ChoiceField(label=gettext_lazy("Solicitante"), choices=RefundRequest.Claimant.choices)
    claimant_name = forms.CharField(label=gettext_lazy("Nombre del beneficiario (si no es la persona trabajadora)"),
                                    max_length=200, required=False)
    basis = forms.ChoiceField(label=gettext_lazy("Fundamento"), choices=RefundRequest.Basis.choices)
    incapacity_percent = forms.CharField(label=gettext_lazy("Incapacidad (%) en la negativa de pensión"),
                                         max_length=6, required=False)
    afore = forms.CharField(label=gettext_lazy("AFORE"), max_length=60)
    clabe = forms.CharField(label=gettext_lazy("CLABE (18 dígitos)"), max_length=22)
    bank_statement_date = forms.DateField(label=gettext_lazy("Fecha del estado de cuenta"),
                                          widget=forms.DateInput(attrs={"type": "date"}))
    pension_resolution = forms.FileField(label=gettext_lazy("Resolución o negativa de pensión (PDF, JPEG o PNG)"),
                                         required=False)
    bank_statement = forms.FileField(label=gettext_lazy("Estado de cuenta bancario con CLABE"), required=False)
    death_certificate = forms.FileField(label=gettext_lazy("Acta de defunción (beneficiarios)"), required=False)
    key = forms.CharField(widget=forms.HiddenInput, max_length=128)
    field_aliases = {f"documents.{name}": name for name in DOCUMENT_FIELDS} | {"person": "__all__",
                                                                                  "request": "__all__"}

    def __init__(self, *args, heirs_allowed: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not heirs_allowed:  # heirs file at the consulate or with Infonavit
            self.fields["claimant"].choices = [("worker", RefundRequest.Claimant.WORKER.label)]
            del self.fields["claimant_name"]
            del self.fields["death_certificate"]


class RefuseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Motivo del rechazo"), max_length=500)


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Motivo de la devolución a revisión (lo ve la persona)"),
                             max_length=500)


class PayForm(forms.Form):
    spei_tracking = forms.CharField(label=gettext_lazy("Clave de rastreo SPEI"), max_length=30)


def _refund(request, refund_id: int) -> RefundRequest:
    try:
        return selectors.get_visible_refund(request.user, refund_id)
    except NotFoundError as exc:
        raise Http404 from exc


@role_required(READERS)
@domain_http
def refund_new(request, person_id: int):
    try:
        person = selectors.get_visible_saver(request.user, person_id)
    except NotFoundError as exc:
        raise Http404 from exc
    heirs_allowed = access.has_role(request.user, services.HEIR_FILER_ROLES)
    form = RefundForm(request.POST or None, request.FILES or None, heirs_allowed=heirs_allowed,
                      initial={"key": uuid.uuid4().hex, "claimant": "worker"})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                refund, _created = services.request_refund(
                    request.user, person.pk, claimant=data["claimant"], claimant_name=data.get("claimant_name", ""),
                    basis=data["basis"], incapacity_percent=data["incapacity_percent"], afore=data["afore"],
                    clabe=data["clabe"], bank_statement_date=data["bank_statement_date"],
                    documents={name: data.get(name) for name in DOCUMENT_FIELDS if data.get(name)},
                    idempotency_key=data["key"])
            except DomainError as exc:
                form.add_domain_errors(exc)
            except ConflictError as exc:
                form.add_domain_errors(DomainError(FieldError("request", exc.code, exc.message)))
            else:
                return redirect("infonavit:refund", refund_id=refund.pk)
        status = 422
    return render(request, "infonavit/refund_new.html", {"person": person, "form": form}, status=status)


@role_required(READERS)
def refund_detail(request, refund_id: int):
    refund = _refund(request, refund_id)
    today = timezone.localdate()
    may_decide = access.has_role(request.user, DECIDERS) and refund.requested_by_id != request.user.pk
    return render(request, "infonavit/refund_detail.html", {
        "refund": refund, "documents": refund.documents.all(), "today": today,
        "overdue": selectors.refund_is_overdue(refund, today), "may_decide": may_decide,
        "instruction": services.payment_instruction(refund) if refund.status == "approved" else None,
        "refuse_form": RefuseForm(), "pay_form": PayForm(),
        "reopen_form": ReopenForm(), "balance_short": may_decide and selectors.refund_balance_short(refund),
        "reopenings": selectors.refund_reopenings(refund),
        "clabe_masked": f"•••• {refund.clabe[-4:]}",
    })


@role_required(READERS)
def refund_document(request, refund_id: int, document_id: int):
    refund = _refund(request, refund_id)
    document = RefundDocument.objects.filter(refund=refund, pk=document_id).first()
    if document is None:
        raise Http404
    # Always a download, named and typed by the detected type: never rendered inline by the browser.
    return FileResponse(document.file.open("rb"), as_attachment=True, content_type=document.content_type,
                        filename=f"{document.kind}-{refund.pk}.{services.document_suffix(document.content_type)}")


@role_required(DECIDERS)
def refund_queue(request):
    status = request.GET.get("estado") or ""
    if status and status not in RefundRequest.Status.values:
        status = ""
    today = timezone.localdate()
    refunds = list(selectors.refund_queue(status or None)[:200])
    rows = [{"refund": refund, "overdue": selectors.refund_is_overdue(refund, today)} for refund in refunds]
    return render(request, "infonavit/refund_queue.html", {"rows": rows, "status": status, "today": today,
                                                          "statuses": RefundRequest.Status.choices})


def _decide(request, refund_id: int, action):
    refund = _refund(request, refund_id)
    try:
        action(refund)
    except DomainError as exc:
        for error in exc.errors:
            messages.error(request, str(error.message))
        return redirect("infonavit:refund", refund_id=refund.pk)
    return redirect("infonavit:refund", refund_id=refund.pk)


@require_POST
@role_required(DECIDERS)
@domain_http
def refund_approve(request, refund_id: int):
    def approve(refund):
        services.approve_refund(request.user, refund)
        messages.success(request, _("Solicitud aprobada: el plazo de pago de 10 días hábiles empezó."))
    return _decide(request, refund_id, approve)


@require_POST
@role_required(DECIDERS)
@domain_http
def refund_refuse(request, refund_id: int):
    form = RefuseForm(request.POST)

    def refuse(refund):
        services.refuse_refund(request.user, refund, form.data.get("reason", ""))
        messages.success(request, _("Solicitud rechazada."))
    return _decide(request, refund_id, refuse)


@require_POST
@role_required(DECIDERS)
@domain_http
def refund_pay(request, refund_id: int):
    form = PayForm(request.POST)

    def pay(refund):
        services.mark_refund_paid(request.user, refund, spei_tracking=form.data.get("spei_tracking", ""))
        messages.success(request, _("Pago registrado: la subcuenta de vivienda quedó en cero."))
    return _decide(request, refund_id, pay)


@require_POST
@role_required(DECIDERS)
@domain_http
def refund_reopen(request, refund_id: int):
    """An approved refund the balance no longer covers goes back to review (refunds_services.reopen_refund)."""
    form = ReopenForm(request.POST)

    def reopen(refund):
        services.reopen_refund(request.user, refund, form.data.get("reason", ""))
        messages.success(request, _("Solicitud devuelta a revisión: otra aprobación fijará los importes."))
    return _decide(request, refund_id, reopen)
