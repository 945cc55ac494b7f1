"""Idempotency-Key for API writes: a repeat gets the first answer; another body with the key is a 409.

The unique constraint on (scope, key) settles races: the loser of a concurrent insert rolls back its
whole write and answers from the winner's record.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import ConflictError, DomainError, FieldError
from ventanilla.core.models import IdempotencyRecord

MAX_KEY_LENGTH = 128


def request_fingerprint(body: object) -> str:
    canonical = json.dumps(body, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> tuple[int, dict]:
    if record.request_hash != fingerprint:
        raise ConflictError(
            "idempotency_key_reused",
            _("La clave Idempotency-Key ya se usó con otra solicitud."),
        )
    return record.status_code, record.response_body


def run_once(key: str | None, scope: str, body: object, write: Callable[[], tuple[int, dict]]) -> tuple[int, dict]:
    """Run `write` (which returns status and JSON body) once per (scope, key); without a key, just run it."""
    if not key:
        return write()
    if len(key) > MAX_KEY_LENGTH:
        raise DomainError(FieldError("Idempotency-Key", "too_long", _("La clave es demasiado larga.")))
    fingerprint = request_fingerprint(body)
    existing = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
    if existing is not None:
        return _replay(existing, fingerprint)
    try:
        with transaction.atomic():
            status, response = write()
            IdempotencyRecord.objects.create(
                scope=scope, key=key, request_hash=fingerprint, status_code=status,
                response_body=json.loads(json.dumps(response, cls=DjangoJSONEncoder)),
            )
    except IntegrityError:
        winner = IdempotencyRecord.objects.filter(scope=scope, key=key).first()
        if winner is None:
            raise
        return _replay(winner, fingerprint)
    return status, response
