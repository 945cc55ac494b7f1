"""Every change to the offer catalogue: one transaction, a new version (never an edit), an audit entry, and
the cached answers made stale once the change is committed."""

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit
from ventanilla.core.errors import DomainError, FieldError, PermissionDeniedError
from ventanilla.offers import selectors
from ventanilla.offers.models import AUDIENCES, Offer, OfferVersion
from ventanilla.people import access
from ventanilla.people.models import Role

EDITOR_ROLES = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})
CATALOGUE_FILE = Path(__file__).parent / "data" / "catalogue.json"
TEXT_FIELDS = ("name", "summary", "conditions", "requirements", "abroad")
REQUIRED_TEXTS = ("name", "summary")
# What a version holds besides its offer and number (the fields a change may set).
VERSION_FIELDS = (*(f"{name}_{lang}" for name in TEXT_FIELDS for lang in ("es", "en")), "audiences", "max_amount",
                  "rate_from", "rate_to", "source", "assumed", "valid_from", "valid_to")


def _decimal(data: dict, name: str, errors: list[FieldError], upper: Decimal) -> Decimal | None:
    raw = data.get(name)
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw))
    except InvalidOperation:
        errors.append(FieldError(name, "invalid_number", _("Use un número válido.")))
        return None
    if not value.is_finite() or value < 0 or value >= upper or value.as_tuple().exponent < -2:
        errors.append(FieldError(name, "out_of_range", _("Escriba un valor positivo con hasta dos decimales.")))
        return None
    return value


def _clean(data: dict) -> dict:
    """The fields of a version, checked: every refusal names its field."""
    errors: list[FieldError] = []
    values = {name: str(data.get(name) or "").strip() for name in VERSION_FIELDS
              if name.endswith(("_es", "_en")) or name == "source"}
    for name in REQUIRED_TEXTS:
        for lang in ("es", "en"):
            if not values[f"{name}_{lang}"]:
                errors.append(FieldError(f"{name}_{lang}", "required", _("Este dato es obligatorio.")))
    if len(values["name_es"]) > 120 or len(values["name_en"]) > 120:
        errors.append(FieldError("name_es", "too_long", _("El nombre admite hasta 120 caracteres.")))
    if not values["source"]:
        errors.append(FieldError("source", "required", _("Indique la fuente de la información.")))
    audiences = list(data.get("audiences") or [])
    if not audiences or any(code not in AUDIENCES for code in audiences):
        errors.append(FieldError("audiences", "invalid_choice", _("Elija al menos un público de la lista.")))
    values["audiences"] = [code for code in AUDIENCES if code in audiences]  # catalogue order, no repeats
    values["max_amount"] = _decimal(data, "max_amount", errors, Decimal("1000000000000"))
    values["rate_from"] = _decimal(data, "rate_from", errors, Decimal(100))
    values["rate_to"] = _decimal(data, "rate_to", errors, Decimal(100))
    if values["rate_from"] is not None and values["rate_to"] is not None and values["rate_from"] > values["rate_to"]:
        errors.append(FieldError("rate_to", "below_rate_from", _("La tasa máxima no puede ser menor que la mínima.")))
    for name in ("valid_from", "valid_to"):
        raw = data.get(name)
        try:
            values[name] = date.fromisoformat(raw) if isinstance(raw, str) and raw else raw or None
        except ValueError:
            errors.append(FieldError(name, "invalid_date", _("Use una fecha válida (AAAA-MM-DD).")))
            values[name] = None
    if values.get("valid_from") is None and not any(e.field == "valid_from" for e in errors):
        errors.append(FieldError("valid_from", "required", _("Este dato es obligatorio.")))
    if values.get("valid_from") and values.get("valid_to") and values["valid_to"] <= values["valid_from"]:
        errors.append(FieldError("valid_to", "before_valid_from", _("El fin debe ser posterior al inicio.")))
    values["assumed"] = bool(data.get("assumed"))
    if errors:
        raise DomainError(errors)
    return values


def publish_version(actor, code: str, data: dict, *, change_note: str, kind: str | None = None,
                    position: int | None = None, check_role: bool = True) -> OfferVersion:
    """A new version of an offer (the offer is created when `kind` is given and the code is new). `data`
    holds VERSION_FIELDS; what it leaves out is copied from the latest version."""
    if check_role and not access.has_role(actor, EDITOR_ROLES):
        raise PermissionDeniedError
    note = (change_note or "").strip()
    if not note or len(note) > 300:
        raise DomainError(FieldError("change_note", "required", _("Diga en una frase qué cambió (hasta 300 caracteres).")))
    with transaction.atomic():
        offer = Offer.objects.select_for_update().filter(code=code).first()
        if offer is None:
            if kind not in Offer.Kind.values:
                raise DomainError(FieldError("kind", "invalid_choice", _("Elija el tipo de oferta.")))
            offer = Offer(code=code, kind=kind, position=position or 100)
            try:
                offer.full_clean()
            except Exception as exc:  # a malformed code
                raise DomainError(FieldError("code", "invalid", _("Use letras minúsculas, números y guiones."))) from exc
            offer.save()
            previous = None
        else:
            previous = offer.versions.order_by("-version").first()
        base = {name: getattr(previous, name) for name in VERSION_FIELDS} if previous else {}
        values = _clean({**base, **data})
        number = (offer.versions.aggregate(last=Max("version"))["last"] or 0) + 1
        try:
            version = OfferVersion.objects.create(offer=offer, version=number, change_note=note,
                                                  published_at=timezone.now(),
                                                  published_by=actor if getattr(actor, "is_authenticated", False)
                                                  else None, **values)
        except IntegrityError as exc:  # two editors at once: the unique (offer, version) refuses the second
            raise DomainError(FieldError("change_note", "concurrent_change",
                                         _("Otra persona publicó un cambio al mismo tiempo; intente de nuevo."))) from exc
        audit.record(actor, "offers.publish", version,
                     before=audit.snapshot(previous) if previous else None, after=audit.snapshot(version))
        transaction.on_commit(selectors.catalogue_changed)
    return version


def withdraw_offer(actor, code: str, on: date, change_note: str) -> OfferVersion:
    """Withdrawn from `on`: a new version equal to the latest, ending that day."""
    latest = selectors.latest_version(code)
    return publish_version(actor, code, {"valid_from": latest.valid_from, "valid_to": on}, change_note=change_note)


def load_catalogue(path: Path = CATALOGUE_FILE) -> int:
    """Seed the offers missing from the data file (version 1 each, by the system). Offers staff already
    hold are never touched."""
    rows = json.loads(path.read_text(encoding="utf-8"))["offers"]
    known = set(Offer.objects.values_list("code", flat=True))
    created = 0
    for row in rows:
        if row["code"] in known:
            continue
        data = {name: row.get(name) for name in VERSION_FIELDS}
        publish_version(None, row["code"], data, change_note="Catálogo inicial (datos sembrados)", kind=row["kind"],
                        position=row.get("position"), check_role=False)
        created += 1
    return created


def load_catalogue_after_migrate(**_kwargs) -> None:
    load_catalogue()
