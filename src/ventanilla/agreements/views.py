"""Screens of the working group's register (/tablero/grupo-de-trabajo/): thin views over agreements.services
(writes) and agreements.selectors (reads). Supervisors and administrators edit; IMSS and Infonavit staff
comment and add evidence on their institution's actions; consular officers read."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ventanilla.agreements import selectors, services
from ventanilla.agreements.forms import ActionForm, CommentForm, EvidenceForm, FilterForm, StatusForm
from ventanilla.agreements.models import ActionEvidence
from ventanilla.core.errors import DomainError, PermissionDeniedError
from ventanilla.people import access
from ventanilla.people.decorators import domain_http, role_required

READERS = services.READER_ROLES
EDITORS = services.EDITOR_ROLES


@role_required(READERS)
def action_list(request):
    today = timezone.localdate()
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = selectors.actions(request.user, today, agreement_id=getattr(chosen.get("agreement"), "pk", None),
                             institution=chosen.get("institution", ""), status=chosen.get("status", ""),
                             overdue=chosen.get("overdue", False))
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "agreements/list.html", {
        "filters": filters, "page": page, "rows": [selectors.row(action, today) for action in page],
        "agreements": selectors.agreements(), "query": query.urlencode(), "today": today,
        "may_edit": access.has_role(request.user, EDITORS)})


@role_required(EDITORS)
@domain_http
def action_new(request):
    form = ActionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            action = services.create_action(request.user, agreement_id=str(data["agreement"].pk),
                                            action=data["action"], owner_institution=data["owner_institution"],
                                            due_on=data["due_on"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Acción registrada."))
            return redirect("agreements:action_detail", action_id=action.pk)
    status = 422 if request.method == "POST" else 200
    return render(request, "agreements/action_new.html", {"form": form}, status=status)


def _detail(request, action_id: int, *, status: int = 200, status_form=None, evidence_form=None,
            comment_form=None):
    action = selectors.get_action(request.user, action_id)
    today = timezone.localdate()
    return render(request, "agreements/action_detail.html", {
        "row": selectors.row(action, today), "action": action, "history": selectors.history_rows(action),
        "evidence": action.evidence.select_related("added_by"), "comments": action.comments.select_related("author"),
        "may_edit": access.has_role(request.user, EDITORS),
        "may_follow_up": services.may_follow_up(request.user, action),
        "status_form": status_form or StatusForm(initial={"status": action.status}),
        "evidence_form": evidence_form or EvidenceForm(), "comment_form": comment_form or CommentForm()},
        status=status)


@role_required(READERS)
@domain_http
def action_detail(request, action_id: int):
    return _detail(request, action_id)


@role_required(EDITORS)
@require_POST
@domain_http
def action_status(request, action_id: int):
    form = StatusForm(request.POST)
    if form.is_valid():
        try:
            services.change_status(request.user, action_id, form.cleaned_data["status"], form.cleaned_data["note"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Estado actualizado."))
            return redirect("agreements:action_detail", action_id=action_id)
    return _detail(request, action_id, status=422, status_form=form)


def _require_follow_up(user, action_id: int) -> None:
    """Who may not follow this action up gets a 403 before their input is looked at."""
    if not services.may_follow_up(user, selectors.get_action(user, action_id)):
        raise PermissionDeniedError("agreed_action")


@role_required(READERS)
@require_POST
@domain_http
def action_evidence(request, action_id: int):
    _require_follow_up(request.user, action_id)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(request.user, action_id, description=form.cleaned_data["description"],
                                  upload=form.cleaned_data["file"], link=form.cleaned_data["link"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Evidencia agregada."))
            return redirect("agreements:action_detail", action_id=action_id)
    return _detail(request, action_id, status=422, evidence_form=form)


@role_required(READERS)
@require_POST
@domain_http
def action_comment(request, action_id: int):
    _require_follow_up(request.user, action_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.add_comment(request.user, action_id, form.cleaned_data["body"])
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Comentario agregado."))
            return redirect("agreements:action_detail", action_id=action_id)
    return _detail(request, action_id, status=422, comment_form=form)


@role_required(READERS)
@domain_http
def evidence_file(request, evidence_id: int):
    evidence = ActionEvidence.objects.filter(pk=evidence_id).exclude(file="").first()
    if evidence is None:
        raise Http404
    selectors.get_action(request.user, evidence.agreed_action_id)  # the same readers as the action
    return FileResponse(evidence.file.open("rb"), content_type=evidence.content_type,
                        as_attachment=evidence.content_type == "application/pdf",
                        filename=evidence.file.name.rsplit("/", 1)[-1])
