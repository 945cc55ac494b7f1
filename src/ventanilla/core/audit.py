"""One way to write the audit log; every service calls `record` inside its transaction."""

from django.db import models
from django.forms.models import model_to_dict

from ventanilla.core.middleware import current_request_id
from ventanilla.core.models import AuditEntry


def snapshot(instance: models.Model, exclude: tuple[str, ...] = ("password",)) -> dict:
    """A JSON-ready picture of a row for before/after."""
    data = model_to_dict(instance, exclude=list(exclude))
    return {key: (str(value) if not isinstance(value, (int, bool, type(None), list)) else value)
            for key, value in data.items()}


def record(actor, action: str, obj: models.Model | None = None, *, object_type: str = "",
           object_id: str = "", before: dict | None = None, after: dict | None = None) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    is_user = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if is_user else None,
        actor_label=actor.get_username() if is_user else "system",
        action=action,
        object_type=object_type,
        object_id=object_id,
        before=before,
        after=after,
        request_id=current_request_id() or "",
    )
