"""Writes about persons and accounts. One transaction and one audit entry each."""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit
from ventanilla.core.errors import DomainError, FieldError, PermissionDeniedError
from ventanilla.people import access
from ventanilla.people.models import ApiToken, Person, Role, User
from ventanilla.people.validation import clean_person_data
from ventanilla.reference.models import Consulate

logger = logging.getLogger(__name__)

PERSON_FIELDS = (
    "first_names", "last_name_1", "last_name_2", "curp", "nss", "rfc", "birth_date", "sex", "nationality",
    "phone", "email", "mx_state", "mx_municipality", "mx_postal_code", "abroad_country", "abroad_region",
    "abroad_city",
)


def register_person(actor, data: dict) -> Person:
    """Register a person. Officers register at their own consulate; a CURP or NSS on file is refused."""
    role = access.require_role(actor, access.PERSON_REGISTRAR_ROLES)
    clean = clean_person_data({k: data.get(k) for k in PERSON_FIELDS if k in data}, timezone.localdate())
    consulate = _consulate_for(actor, role, data.get("consulate"))
    _refuse_duplicates(clean)
    clean["nss"] = clean.get("nss") or None
    try:
        with transaction.atomic():
            person = Person.objects.create(consulate=consulate, **clean)
            audit.record(actor, "person.register", person, after=audit.snapshot(person))
    except IntegrityError as exc:  # a concurrent registration of the same CURP or NSS won the race
        raise DomainError(FieldError("curp", "duplicate", _("Ya existe una persona registrada con esta CURP."))) from exc
    logger.info("person %s registered by %s", person.pk, actor.get_username())
    return person


def _refuse_duplicates(clean: dict) -> None:
    """No duplicate persons: a CURP or an NSS already on file is refused."""
    duplicates = []
    if Person.objects.filter(curp=clean["curp"]).exists():
        duplicates.append(FieldError("curp", "duplicate", _("Ya existe una persona registrada con esta CURP.")))
    if clean.get("nss") and Person.objects.filter(nss=clean["nss"]).exists():
        duplicates.append(FieldError("nss", "duplicate", _("Ya existe una persona registrada con este NSS.")))
    if duplicates:
        raise DomainError(duplicates)


def _consulate_for(actor, role, requested) -> Consulate | None:
    if role == Role.CONSULAR_OFFICER:
        return actor.consulate  # an officer cannot file a person under another consulate
    if requested in (None, ""):
        return None
    consulate = Consulate.objects.filter(code=requested).first() or (
        Consulate.objects.filter(pk=requested).first() if str(requested).isdigit() else None
    )
    if consulate is None:
        raise DomainError(FieldError("consulate", "not_found", _("El consulado no existe.")))
    return consulate


def create_account(actor, *, username: str, password: str, role: str, email: str = "",
                   consulate: Consulate | None = None, person: Person | None = None,
                   password_hash: str | None = None) -> User:
    """An account for a role. `password_hash` lets bulk seeding reuse one Argon2 hash."""
    if role == Role.CONSULAR_OFFICER and consulate is None:
        raise DomainError(FieldError("consulate", "required", _("El personal consular necesita un consulado.")))
    with transaction.atomic():
        user = User(username=username, email=email, role=role, consulate=consulate, person=person,
                    is_staff=role in access.STAFF_ROLES)
        if password_hash:
            user.password = password_hash
        else:
            user.set_password(password)
        user.save()
        audit.record(actor, "account.create", user, after=audit.snapshot(user))
    return user


def issue_api_token(actor, user: User, name: str) -> tuple[ApiToken, str]:
    """A new token; the secret is returned once and only its digest is stored."""
    secret = ApiToken.new_secret()
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, name=name, digest=ApiToken.digest_of(secret), prefix=secret[:8])
        audit.record(actor, "api_token.issue", token, after={"user": user.pk, "name": name, "prefix": token.prefix})
    return token, secret


def revoke_api_token(actor, token: ApiToken) -> None:
    with transaction.atomic():
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "api_token.revoke", token, after={"revoked_at": token.revoked_at})


def bulk_insert_persons(rows) -> int:
    """Load generated person rows fast (demo seeding): rows are trusted, built valid by people.demo."""
    from ventanilla.core.bulk import copy_rows
    from ventanilla.people.demo import PERSON_COLUMNS

    now = timezone.now()
    with transaction.atomic():
        return copy_rows(Person, (*PERSON_COLUMNS, "created_at", "updated_at"), ((*row, now, now) for row in rows))


def register_relative(actor, data: dict, *, on_behalf_of: Person) -> Person:
    """A worker registers a relative from the portal: only for themselves, filed at their consulate."""
    if access.role_of(actor) != Role.DERECHOHABIENTE or actor.person_id != on_behalf_of.pk:
        raise PermissionDeniedError("relative")
    clean = clean_person_data({k: data.get(k) for k in PERSON_FIELDS if k in data}, timezone.localdate())
    _refuse_duplicates(clean)
    clean["nss"] = clean.get("nss") or None
    try:
        with transaction.atomic():
            person = Person.objects.create(consulate=on_behalf_of.consulate, **clean)
            audit.record(actor, "person.register_relative", person, after=audit.snapshot(person))
    except IntegrityError as exc:  # a concurrent registration of the same CURP or NSS won the race
        raise DomainError(FieldError("curp", "duplicate", _("Ya existe una persona registrada con esta CURP."))) from exc
    return person


SYSTEM_USERNAME = "sistema"


def system_account() -> User:
    """The account scheduled jobs and seeding act as (administrator role, no password: it cannot log in)."""
    user = User.objects.filter(username=SYSTEM_USERNAME).first()
    if user is None:
        user = User(username=SYSTEM_USERNAME, role=Role.ADMINISTRATOR, first_name="Procesos automáticos")
        user.set_unusable_password()
        user.save()
    return user
