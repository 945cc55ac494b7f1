"""Reads of the working group's register for its screens: the filtered list with its warnings, one action,
its history (the audit log's entries about it)."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from ventanilla.agreements import rules
from ventanilla.agreements.models import AgreedAction, Agreement
from ventanilla.agreements.services import READER_ROLES
from ventanilla.core.errors import NotFoundError
from ventanilla.core.models import AuditEntry
from ventanilla.people import access


@dataclass(frozen=True)
class ActionRow:
    action: AgreedAction
    overdue: bool
    past_validity: bool


def row(action: AgreedAction, today: date) -> ActionRow:
    return ActionRow(action, rules.is_overdue(action.due_on, action.status, today),
                     rules.is_past_validity(action.due_on, action.agreement.valid_to))


def agreements() -> QuerySet[Agreement]:
    return Agreement.objects.all()


def actions(user, today: date, *, agreement_id: int | None = None, institution: str = "", status: str = "",
            overdue: bool = False) -> QuerySet[AgreedAction]:
    """Every role that may read the register reads all of it (it is about institutions, not persons)."""
    access.require_role(user, READER_ROLES)
    rows = AgreedAction.objects.select_related("agreement")
    if agreement_id:
        rows = rows.filter(agreement_id=agreement_id)
    if institution:
        rows = rows.filter(owner_institution=institution)
    if status:
        rows = rows.filter(status=status)
    if overdue:  # the same test as rules.is_overdue, in SQL
        rows = rows.filter(Q(due_on__lt=today) & ~Q(status__in=rules.CLOSED_STATUSES))
    return rows.order_by("due_on", "pk")


def get_action(user, action_id: int) -> AgreedAction:
    access.require_role(user, READER_ROLES)
    action = AgreedAction.objects.select_related("agreement").filter(pk=action_id).first()
    if action is None:
        raise NotFoundError("agreed_action")
    return action


EVENT_LABELS = {
    "agreements.action_created": _("Acción registrada"),
    "agreements.status_changed": _("Cambio de estado"),
    "agreements.evidence_added": _("Evidencia agregada"),
    "agreements.comment_added": _("Comentario agregado"),
}


@dataclass(frozen=True)
class HistoryRow:
    entry: AuditEntry
    label: str
    changes: list[tuple[str, object, object]]  # (field, before, after) of the fields that changed


def history_rows(action: AgreedAction) -> list[HistoryRow]:
    """The history for the screen: each entry's event in words and only the fields it changed."""
    rows = []
    for entry in history(action):
        before, after = entry.before or {}, entry.after or {}
        changes = [(field, before.get(field), after.get(field)) for field in sorted(set(before) | set(after))
                   if before.get(field) != after.get(field) and field not in ("updated_at", "id")]
        rows.append(HistoryRow(entry, EVENT_LABELS.get(entry.action, entry.action), changes))
    return rows


def history(action: AgreedAction) -> QuerySet[AuditEntry]:
    """Who, when, what, before and after: the audit entries the services wrote about this action."""
    return AuditEntry.objects.filter(object_type=AgreedAction._meta.label_lower,
                                     object_id=str(action.pk)).order_by("-pk")
