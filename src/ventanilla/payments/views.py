"""Screens: payment files for staff (upload, list, line report) and the slip download."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from ventanilla.core.errors import ConflictError, DomainError, NotFoundError
from ventanilla.payments import selectors, services
from ventanilla.payments.forms import PaymentFileForm, SettlementFileForm, WindowPaymentForm
from ventanilla.payments.models import PaymentFileLine
from ventanilla.payments.pdf import slip_response
from ventanilla.people import access
from ventanilla.people.decorators import role_required
from ventanilla.people.models import Role

REJECTED_PER_PAGE = 200


@role_required(access.STAFF_ROLES)
def files(request):
    form = PaymentFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            payment_file = services.import_payment_file(request.user, filename=upload.name, content=upload.file)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            return redirect("payments:file_detail", file_id=payment_file.pk)
    page = Paginator(selectors.payment_files(), 25).get_page(request.GET.get("page"))
    return render(request, "payments/files.html", {"form": form, "page": page},
                  status=422 if form.errors else 200)


@role_required(access.STAFF_ROLES)
def file_detail(request, file_id: int):
    try:
        payment_file = selectors.get_payment_file(file_id)
    except NotFoundError as exc:
        raise Http404 from exc
    page = Paginator(selectors.rejected_lines(payment_file), REJECTED_PER_PAGE).get_page(request.GET.get("page"))
    for line in page:
        line.reason = services.refusal_message(line.error_code) or line.error_message
    return render(request, "payments/file_detail.html", {"file": payment_file, "page": page})


@role_required(access.PERSON_READER_ROLES)
def reference_slip(request, code: str):
    try:
        reference = selectors.visible_reference(request.user, code)
    except NotFoundError as exc:
        raise Http404 from exc
    return slip_response(reference)


@role_required(access.PERSON_REGISTRAR_ROLES)
def record_payment(request):
    """Officers record a payment received one by one; only for references of persons they may see."""
    form = WindowPaymentForm(request.POST or None)
    payment = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        code = data["reference"].replace(" ", "").replace("-", "").upper()
        try:
            selectors.visible_reference(request.user, code)
            payment = services.record_payment(request.user, reference_code=code, amount=data["amount"],
                                              paid_at=data["paid_at"], operation_id=data["operation_id"],
                                              channel=data["channel"])
        except NotFoundError:
            form.add_error("reference", services.refusal_message("not_found"))
        except DomainError as exc:
            form.add_domain_errors(exc)
        except ConflictError as exc:
            form.add_error("operation_id", str(exc.message))
    return render(request, "payments/record_payment.html", {"form": form, "payment": payment},
                  status=422 if form.errors else 200)


# --- Infonavit Sin Fronteras: settlement files of the remittance companies (Infonavit staff) ---------------

REMITTANCE_STAFF = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})
LINES_PER_PAGE = 200


@role_required(REMITTANCE_STAFF)
def settlement_files(request):
    form = SettlementFileForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            payment_file = services.import_settlement_file(request.user, company=form.cleaned_data["company"],
                                                           filename=upload.name, content=upload.file)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            return redirect("payments:settlement_file", file_id=payment_file.pk)
    page = Paginator(selectors.settlement_files(), 25).get_page(request.GET.get("page"))
    return render(request, "payments/settlement_files.html", {"form": form, "page": page},
                  status=422 if form.errors else 200)


@role_required(REMITTANCE_STAFF)
def settlement_file(request, file_id: int):
    try:
        payment_file = selectors.get_settlement_file(file_id)
    except NotFoundError as exc:
        raise Http404 from exc
    lines = payment_file.lines.order_by("line_number")
    if request.GET.get("estado") in PaymentFileLine.Status.values:
        lines = lines.filter(status=request.GET["estado"])
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "payments/settlement_file.html", {
        "file": payment_file, "page": page, "lines": selectors.settlement_lines(payment_file, page),
        "status": request.GET.get("estado", ""), "statuses": PaymentFileLine.Status.choices})
