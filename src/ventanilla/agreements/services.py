"""Every change to the working group's register: one transaction and one audit entry each, recorded against
the action so its history (agreements.selectors.history) shows who changed what, when, before and after."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.agreements.models import ActionComment, ActionEvidence, AgreedAction, Agreement, Institution
from ventanilla.core import audit
from ventanilla.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from ventanilla.infonavit.refunds_services import _check_document  # same accepted files and size limit
from ventanilla.people import access
from ventanilla.people.models import Role

EDITOR_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})
# Institution staff follow up their own institution's actions: comments and evidence, not status.
STAFF_INSTITUTION = {Role.IMSS_STAFF: Institution.IMSS, Role.INFONAVIT_STAFF: Institution.INFONAVIT}
READER_ROLES = EDITOR_ROLES | set(STAFF_INSTITUTION) | {Role.CONSULAR_OFFICER}
MAX_TEXT = 2000


def may_follow_up(user, action: AgreedAction) -> bool:
    """Comment and add evidence: editors on every action, IMSS/Infonavit staff on their institution's."""
    role = access.role_of(user)
    return role in EDITOR_ROLES or STAFF_INSTITUTION.get(role) == action.owner_institution


def _text(field: str, value: str, *, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(FieldError(field, "required", _("Este campo es obligatorio.")))
    if len(value) > limit:
        raise DomainError(FieldError(field, "too_long", _("El texto es demasiado largo.")))
    return value


def _snapshot(action: AgreedAction) -> dict:
    return audit.snapshot(action, exclude=("created_by",))


def _locked(action_id: int) -> AgreedAction:
    action = AgreedAction.objects.select_for_update().filter(pk=action_id).first()
    if action is None:
        raise NotFoundError("agreed_action")
    return action


def create_action(actor, *, agreement_id, action: str, owner_institution: str, due_on: date | None,
                  is_demo: bool = False) -> AgreedAction:
    access.require_role(actor, EDITOR_ROLES)
    errors = []
    agreement = Agreement.objects.filter(pk=agreement_id).first() if str(agreement_id or "").isdigit() else None
    if agreement is None:
        errors.append(FieldError("agreement", "unknown", _("Elija un convenio.")))
    if owner_institution not in Institution.values:
        errors.append(FieldError("owner_institution", "unknown", _("Elija la institución responsable.")))
    if due_on is None:
        errors.append(FieldError("due_on", "required", _("Indique la fecha compromiso.")))
    try:
        text = _text("action", action)
    except DomainError as exc:
        errors.extend(exc.errors)
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        row = AgreedAction.objects.create(agreement=agreement, action=text, owner_institution=owner_institution,
                                          due_on=due_on, is_demo=is_demo, created_by=actor)
        audit.record(actor, "agreements.action_created", row, after=_snapshot(row))
    return row


def change_status(actor, action_id: int, status: str, note: str = "") -> AgreedAction:
    """A new status; the note (why) goes to the audit entry and, when given, to the comments thread."""
    access.require_role(actor, EDITOR_ROLES)
    if status not in AgreedAction.Status.values:
        raise DomainError(FieldError("status", "unknown", _("Elija un estado válido.")))
    note = (note or "").strip()[:MAX_TEXT]
    with transaction.atomic():
        action = _locked(action_id)
        if action.status == status:
            raise DomainError(FieldError("status", "unchanged", _("La acción ya tiene ese estado.")))
        before = _snapshot(action)
        action.status = status
        action.save(update_fields=["status", "updated_at"])
        after = {**_snapshot(action), **({"note": note} if note else {})}
        audit.record(actor, "agreements.status_changed", action, before=before, after=after)
        if note:
            ActionComment.objects.create(agreed_action=action, body=note, author=actor)
    return action


def add_comment(actor, action_id: int, body: str) -> ActionComment:
    access.require_role(actor, READER_ROLES)
    text = _text("body", body)
    with transaction.atomic():
        action = _locked(action_id)
        if not may_follow_up(actor, action):
            raise PermissionDeniedError("agreed_action")
        comment = ActionComment.objects.create(agreed_action=action, body=text, author=actor)
        audit.record(actor, "agreements.comment_added", action, after={"comment_id": comment.pk, "body": text})
    return comment


def add_evidence(actor, action_id: int, *, description: str, upload=None, link: str = "") -> ActionEvidence:
    """A file or a link (one of the two), described."""
    access.require_role(actor, READER_ROLES)
    text = _text("description", description, limit=300)
    link = (link or "").strip()
    if upload is None and not link:
        raise DomainError(FieldError("file", "required", _("Adjunte un archivo o escriba un enlace.")))
    if upload is not None and link:
        raise DomainError(FieldError("link", "both", _("Adjunte un archivo o escriba un enlace, no ambos.")))
    content_type, size = "", 0
    if upload is not None:
        content_type, size = _check_document("file", upload)
    else:
        try:
            URLValidator(schemes=["http", "https"])(link)
        except ValidationError as exc:
            raise DomainError(FieldError("link", "invalid", _("Escriba un enlace http(s) válido."))) from exc
    with transaction.atomic():
        action = _locked(action_id)
        if not may_follow_up(actor, action):
            raise PermissionDeniedError("agreed_action")
        evidence = ActionEvidence(agreed_action=action, description=text, link=link, content_type=content_type,
                                  size=size, added_by=actor)
        if upload is not None:
            evidence.file.save(upload.name.rsplit("/", 1)[-1], upload, save=False)
        evidence.save()
        audit.record(actor, "agreements.evidence_added", action,
                     after={"evidence_id": evidence.pk, "description": text, "link": link,
                            "file": evidence.file.name, "content_type": content_type, "size": size})
    return evidence
