"""Writes about persons and accounts. One transaction and one audit entry each."""

import logging
import secrets as _secrets
import time as _time
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError as _DjangoValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email as _django_validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext_lazy as _

from ventanilla.core import audit, encryption
from ventanilla.core.errors import DomainError, FieldError, NotFoundError, PermissionDeniedError
from ventanilla.core.identifiers import validate_curp, validate_nss, validate_rfc
from ventanilla.people import access, throttle, totp
from ventanilla.people.models import (
    ApiToken,
    CorrectionRequest,
    Person,
    Role,
    SecondFactor,
    User,
    VerificationCode,
)
from ventanilla.people.validation import clean_mobile_phone, clean_person_data
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


# --- Mi Cuenta: self-registration, e-mail codes, contact data, second factor, corrections (issue 5) ---

CODE_LIFETIME = timedelta(minutes=15)  # brief, issue 5
CODE_ATTEMPTS = 5  # brief, issue 5: a code dies after five wrong tries
# Registration budget: ASSUMED defaults (no official figure), per client address and per NSS per hour.
REGISTRATION_LIMIT_PER_ADDRESS = 10
REGISTRATION_LIMIT_PER_NSS = 5
REGISTRATION_WINDOW_SECONDS = 3600
# Mail to one typed address (registration, password reset, e-mail change), per hour: ASSUMED, so nobody can
# flood an inbox through us. E-mail changes per account per hour: ASSUMED.
MAIL_LIMIT_PER_ADDRESS = 3
EMAIL_CHANGE_LIMIT_PER_ACCOUNT = 5
# Second-factor codes: five wrong codes lock the account's code entry for the log-in window (ASSUMED).
TOTP_FAILURE_LIMIT = 5
TOTP_ISSUER = "Ventanilla"
CORRECTION_DECIDER_ROLES = frozenset({Role.IMSS_STAFF, Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})

SAME_ANSWER = _("Si los datos coinciden con nuestros registros, recibirá un código de verificación en el correo "
                "que escribió. El código vence en 15 minutos.")
WRONG_CODE = _("El código no es correcto.")
EXPIRED_CODE = _("El código venció. Solicite uno nuevo.")
SPENT_CODE = _("Demasiados intentos con este código. Solicite uno nuevo.")
TOO_MANY = _("Demasiados intentos. Espere unos minutos e intente de nuevo.")
EMAIL_IN_USE = _("Ese correo ya está en uso en otra cuenta.")


def _code_hash(token: str, code: str) -> str:
    # keyed with SECRET_KEY: a leaked table does not give the code away by trying the million values
    return salted_hmac("ventanilla.verification-code", f"{token}:{code}", algorithm="sha256").hexdigest()


def _new_code(purpose: str, *, user: User | None, email: str, phone: str = "") -> tuple[VerificationCode, str]:
    code = f"{_secrets.randbelow(10**6):06d}"
    token = _secrets.token_urlsafe(32)
    row = VerificationCode.objects.create(purpose=purpose, user=user, token=token, email=email, phone=phone,
                                          code_hash=_code_hash(token, code),
                                          expires_at=timezone.now() + CODE_LIFETIME)
    return row, code


def _mail(template: str, to: str, context: dict, *, bcc: str = "") -> None:
    """One message, sent while the request waits. Timing: every path of registration, password reset and
    e-mail change sends exactly one message (a code, or a neutral notice when nothing matched), so the answer
    takes as long whether or not the data matched anyone. A second reader (the owner of an account the
    typed data belong to) rides in Bcc of that same message rather than costing a second send."""
    subject = render_to_string(f"people/email/{template}_subject.txt", context).strip()
    body = render_to_string(f"people/email/{template}.txt", context)
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], bcc=[bcc] if bcc else None).send()


def throttle_mail_to(email: str) -> None:
    """Refuse when the typed address already got MAIL_LIMIT_PER_ADDRESS messages in the window, else count
    this one. Applies whether or not the address has an account, so it tells nothing."""
    if throttle.over_limit("mail-to", [email], MAIL_LIMIT_PER_ADDRESS):
        raise DomainError(FieldError("email", "throttled", TOO_MANY))
    throttle.count("mail-to", [email], REGISTRATION_WINDOW_SECONDS)


def mail_unknown_password_reset(email: str) -> None:
    """Password reset for an address with no active account: a neutral notice, so this path sends one
    message like the one with an account (see _mail)."""
    _mail("password_reset_unknown", email, {})


def clean_registration(data: dict) -> dict:
    """Formats only (nothing here reads the database, so nothing here can tell who is on file)."""
    errors: list[FieldError] = []
    clean = {}
    for name, validator in (("nss", validate_nss), ("curp", validate_curp), ("rfc", validate_rfc)):
        try:
            clean[name] = validator(str(data.get(name) or "").strip().upper(), name)
        except DomainError as exc:
            errors.extend(exc.errors)
    email = str(data.get("email") or "").strip().lower()
    try:
        _django_validate_email(email)
        clean["email"] = email
    except _DjangoValidationError:
        errors.append(FieldError("email", "invalid_format", _("El correo electrónico no es válido.")))
    try:
        clean["phone"] = clean_mobile_phone(str(data.get("phone") or ""))
    except DomainError as exc:
        errors.extend(exc.errors)
    password = str(data.get("password") or "")
    if password != str(data.get("password_confirm") or ""):
        errors.append(FieldError("password_confirm", "mismatch", _("Las contraseñas no coinciden.")))
    # Compared with what the person typed (UserAttributeSimilarityValidator), not with the names on file,
    # which would tell whether the NSS matched someone.
    typed = User(username=email, email=email, first_name=clean.get("curp", ""),
                 last_name=" ".join((clean.get("nss", ""), clean.get("rfc", ""))))
    try:
        password_validation.validate_password(password, user=typed)
    except _DjangoValidationError as exc:
        errors.extend(FieldError("password", "weak", message) for message in exc.messages)
    clean["password"] = password
    if errors:
        raise DomainError(errors)
    return clean


def start_registration(data: dict, *, client_ip: str) -> VerificationCode:
    """Self-registration, first step. Always answers with a code row (a decoy when nothing matched), so the
    caller shows the same SAME_ANSWER whatever happened; the account stays inactive until the code."""
    clean = clean_registration(data)
    addresses = [client_ip]
    if throttle.over_limit("register-ip", addresses, REGISTRATION_LIMIT_PER_ADDRESS) or throttle.over_limit(
            "register-nss", [clean["nss"]], REGISTRATION_LIMIT_PER_NSS):
        raise DomainError(FieldError("__all__", "throttled", TOO_MANY))
    throttle_mail_to(clean["email"])
    throttle.count("register-ip", addresses, REGISTRATION_WINDOW_SECONDS)
    throttle.count("register-nss", [clean["nss"]], REGISTRATION_WINDOW_SECONDS)
    # Hash the password on every path, so the answer takes as long whether or not the data matched.
    password_hash = make_password(clean["password"])
    person = Person.objects.filter(nss=clean["nss"], curp=clean["curp"], rfc=clean["rfc"]).first()
    account = User.objects.filter(person=person).first() if person else None
    email_owner = User.objects.filter(_email_q(clean["email"])).exclude(pk=account.pk if account else None
                                                                              ).first()
    notify = None
    with transaction.atomic():
        if person is None:
            outcome, user = "no_match", None
        elif email_owner is not None:
            outcome, user, notify = "email_in_use", None, email_owner
        elif account is not None and (account.is_active or not _pending_registration(account)):
            outcome, user, notify = "already_registered", None, account
        else:
            outcome = "pending" if account else "new"
            if account is not None:
                # earlier codes die: only the newest registration (its e-mail and password) can be confirmed
                account.verification_codes.filter(purpose=VerificationCode.Purpose.REGISTRATION,
                                                  used_at__isnull=True).update(used_at=timezone.now())
            user = account or User(role=Role.DERECHOHABIENTE, person=person, is_active=False)
            user.username = user.email = clean["email"]
            user.password = password_hash
            user.save()
        row, code = _new_code(VerificationCode.Purpose.REGISTRATION, user=user, email=clean["email"],
                              phone=clean["phone"])
        audit.record(None, "account.registration_start", row, after={"outcome": outcome, "user": user and user.pk})
    # Exactly one message on every path, always to the typed address (see _mail).
    if user is not None:
        _mail("registration_code", clean["email"], {"code": code, "minutes": 15})
    elif outcome == "email_in_use":
        _mail("registration_attempt", clean["email"], {"when": timezone.localtime()})
    else:
        owner = notify.email if notify is not None and notify.email.lower() != clean["email"] else ""
        _mail("registration_unverified", clean["email"], {"when": timezone.localtime()}, bcc=owner)
    logger.info("registration step 1: %s", outcome)
    return row


def _email_q(email: str) -> Q:
    return Q(username__iexact=email) | Q(email__iexact=email)


def _pending_registration(account: User) -> bool:
    """An inactive account that never logged in and came from self-registration (not one staff switched off)."""
    return account.last_login is None and account.verification_codes.filter(
        purpose=VerificationCode.Purpose.REGISTRATION).exists()


def _check_code(row: VerificationCode | None, code: str) -> None:
    """Count the attempt, then refuse a wrong, expired, spent or decoy code. The count is stored even when the
    code is refused (the caller's transaction is not the one that counts)."""
    if row is None or row.used_at is not None:
        raise DomainError(FieldError("code", "wrong", WRONG_CODE))
    if timezone.now() >= row.expires_at:
        raise DomainError(FieldError("code", "expired", EXPIRED_CODE))
    # One conditional UPDATE takes an attempt or finds none left, so parallel guesses cannot share a count
    # read before the others landed; the code is compared only once this request holds an attempt.
    with transaction.atomic():
        counted = VerificationCode.objects.filter(pk=row.pk, attempts__lt=CODE_ATTEMPTS, used_at__isnull=True
                                                  ).update(attempts=F("attempts") + 1)
    row.refresh_from_db(fields=["attempts", "used_at"])
    if not counted:
        if row.used_at is not None:
            raise DomainError(FieldError("code", "wrong", WRONG_CODE))
        raise DomainError(FieldError("code", "too_many_attempts", SPENT_CODE))
    code = "".join((code or "").split())
    if not constant_time_compare(row.code_hash, _code_hash(row.token, code)) or row.user_id is None:
        if row.attempts >= CODE_ATTEMPTS:
            raise DomainError(FieldError("code", "too_many_attempts", SPENT_CODE))
        raise DomainError(FieldError("code", "wrong", WRONG_CODE))


def confirm_registration(token: str, code: str) -> User:
    """Second step: the right code activates the account and stores the e-mail and phone on the person."""
    row = VerificationCode.objects.select_related("user__person").filter(
        token=token or "-", purpose=VerificationCode.Purpose.REGISTRATION).first()
    if row is not None and row.user_id is not None and row.user.verification_codes.filter(
            purpose=VerificationCode.Purpose.REGISTRATION, pk__gt=row.pk).exists():
        raise DomainError(FieldError("code", "wrong", WRONG_CODE))  # a newer registration replaced this one
    _check_code(row, code)
    user = row.user
    if User.objects.filter(_email_q(row.email)).exclude(pk=user.pk).exists():
        raise DomainError(FieldError("email", "in_use", EMAIL_IN_USE))
    try:
        with transaction.atomic():
            _spend(row)
            person = user.person
            before = {"email": person.email, "phone": person.phone}
            person.email, person.phone = row.email, row.phone
            person.save(update_fields=["email", "phone", "updated_at"])
            # the log-in name and e-mail are the confirmed row's, whatever a later attempt wrote on the user
            user.username = user.email = row.email
            user.is_active = True
            user.save(update_fields=["username", "email", "is_active"])
            audit.record(user, "account.registration_confirm", user, before=before,
                     after={"email": row.email, "phone": row.phone, "is_active": True})
    except IntegrityError as exc:  # another account took the address between the check and the write
        raise DomainError(FieldError("email", "in_use", EMAIL_IN_USE)) from exc
    return user


def _spend(row: VerificationCode) -> None:
    """Mark a code used; of two requests confirming the same code at once only one gets here."""
    if not VerificationCode.objects.filter(pk=row.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise DomainError(FieldError("code", "wrong", WRONG_CODE))


def update_contact(actor: User, data: dict) -> Person:
    """Phone and address abroad change at once; a new e-mail waits for its code (request_email_change)."""
    person = _own_person(actor)
    errors: list[FieldError] = []
    changes = {}
    try:
        changes["phone"] = clean_mobile_phone(str(data.get("phone") or ""))
    except DomainError as exc:
        errors.extend(exc.errors)
    country = str(data.get("abroad_country") or "").strip().upper()
    if country and not (len(country) == 2 and country.isalpha()):
        errors.append(FieldError("abroad_country", "invalid_format",
                                 _("Escriba el país con su clave ISO de dos letras (p. ej. US).")))
    changes["abroad_country"] = country
    changes["abroad_region"] = str(data.get("abroad_region") or "").strip()[:60]
    changes["abroad_city"] = str(data.get("abroad_city") or "").strip()[:80]
    if errors:
        raise DomainError(errors)
    with transaction.atomic():
        before = {name: getattr(person, name) for name in changes}
        for name, value in changes.items():
            setattr(person, name, value)
        person.save(update_fields=[*changes, "updated_at"])
        audit.record(actor, "person.contact_update", person, before=before, after=changes)
    return person


def _own_person(actor: User) -> Person:
    if access.role_of(actor) != Role.DERECHOHABIENTE or actor.person_id is None:
        raise PermissionDeniedError("contact")
    return actor.person


def request_email_change(actor: User, new_email: str) -> VerificationCode:
    """Always answers "code sent". The code goes only to a free address; an address another account uses
    gets a notice to its owner instead (one message either way, so neither the answer nor its timing says
    whether the address has an account). Throttled per account and per target address."""
    person = _own_person(actor)
    email = (new_email or "").strip().lower()
    try:
        _django_validate_email(email)
    except _DjangoValidationError as exc:
        raise DomainError(FieldError("email", "invalid_format", _("El correo electrónico no es válido."))) from exc
    if email == person.email:
        raise DomainError(FieldError("email", "unchanged", _("Ese ya es su correo electrónico.")))
    if throttle.over_limit("email-change", [str(actor.pk)], EMAIL_CHANGE_LIMIT_PER_ACCOUNT):
        raise DomainError(FieldError("email", "throttled", TOO_MANY))
    throttle_mail_to(email)
    throttle.count("email-change", [str(actor.pk)], REGISTRATION_WINDOW_SECONDS)
    in_use = User.objects.filter(_email_q(email)).exclude(pk=actor.pk).exists()
    with transaction.atomic():
        VerificationCode.objects.filter(user=actor, purpose=VerificationCode.Purpose.EMAIL_CHANGE,
                                        used_at__isnull=True).update(used_at=timezone.now())
        row, code = _new_code(VerificationCode.Purpose.EMAIL_CHANGE, user=actor, email=email)
        audit.record(actor, "person.email_change_request", person, after={"email": email, "in_use": in_use})
    if in_use:
        _mail("email_change_in_use", email, {"when": timezone.localtime()})
    else:
        _mail("email_change_code", email, {"code": code, "minutes": 15})
    return row


def pending_email_change(user: User) -> VerificationCode | None:
    return VerificationCode.objects.filter(user=user, purpose=VerificationCode.Purpose.EMAIL_CHANGE,
                                           used_at__isnull=True, expires_at__gt=timezone.now(),
                                           attempts__lt=CODE_ATTEMPTS).order_by("-pk").first()


def confirm_email_change(actor: User, code: str) -> Person:
    person = _own_person(actor)
    row = VerificationCode.objects.filter(user=actor, purpose=VerificationCode.Purpose.EMAIL_CHANGE,
                                          used_at__isnull=True).order_by("-pk").first()
    _check_code(row, code)
    # taken by another account since the request (or it was when the code was asked for): a field error
    if User.objects.filter(_email_q(row.email)).exclude(pk=actor.pk).exists():
        raise DomainError(FieldError("email", "in_use", EMAIL_IN_USE))
    try:
        with transaction.atomic():
            _spend(row)
            before = {"email": person.email}
            old = person.email
            person.email = row.email
            person.save(update_fields=["email", "updated_at"])
            fields = ["email"]
            actor.email = row.email
            if actor.username.lower() == (old or "").lower():
                actor.username = row.email  # the log-in name follows the address it was
                fields.append("username")
            actor.save(update_fields=fields)
            audit.record(actor, "person.email_change", person, before=before, after={"email": row.email})
    except IntegrityError as exc:  # the log-in name was taken between the check and the write
        raise DomainError(FieldError("email", "in_use", EMAIL_IN_USE)) from exc
    return person


# Second factor (TOTP)

def start_totp_enrolment(actor: User) -> SecondFactor:
    """A new secret, not yet in force: it is shown once and confirmed with a first code."""
    with transaction.atomic():
        factor = SecondFactor.objects.filter(user=actor).select_for_update().first()
        if factor is not None and factor.confirmed_at is not None:
            raise DomainError(FieldError("code", "already_enabled", _("La verificación en dos pasos ya está activa.")))
        if factor is not None and not _readable_secret(factor):
            # Not in force yet, so nothing is lost: a secret that no longer decrypts (a changed key) would
            # otherwise be offered again on every visit and fail to show.
            factor.delete()
            audit.record(actor, "account.totp_enrol_discard_unreadable", actor)
            factor = None
        if factor is None:
            factor = SecondFactor.objects.create(user=actor, secret=totp.new_secret())
            audit.record(actor, "account.totp_enrol_start", actor)
    return factor


def totp_uri(factor: SecondFactor) -> str:
    return totp.provisioning_uri(factor.secret, factor.user.get_username(), TOTP_ISSUER)


def _readable_secret(factor: SecondFactor) -> str:
    """The decrypted secret, or "" when it does not decrypt (a wrong key): the caller then refuses every
    code; the operators are told, without the secret or the code."""
    try:
        return factor.secret
    except encryption.DecryptionError:
        logger.error("TOTP secret of user %s does not decrypt: check FIELD_ENCRYPTION_KEY", factor.user_id)
        return ""


def check_totp(user: User, code: str, *, client_ip: str) -> None:
    """A right, unused code for this user's secret; five wrong codes lock code entry for the window."""
    keys = [str(user.pk), client_ip]
    if throttle.over_limit("totp", keys, TOTP_FAILURE_LIMIT):
        raise DomainError(FieldError("code", "throttled", TOO_MANY))
    factor = SecondFactor.objects.filter(user=user).first()
    secret = factor and _readable_secret(factor)
    # no secret, no match: an empty key would give codes anybody can compute
    step = secret and totp.matching_step(secret, code or "", _time.time(), factor.last_used_step)
    if not step:
        throttle.count("totp", keys, settings.LOGIN_FAILURE_WINDOW_SECONDS)
        raise DomainError(FieldError("code", "wrong", WRONG_CODE))
    # a code counts once: a concurrent request with the same code loses this update
    if not SecondFactor.objects.filter(pk=factor.pk, last_used_step__lt=step).update(last_used_step=step):
        raise DomainError(FieldError("code", "wrong", WRONG_CODE))
    throttle.reset("totp", str(user.pk))


def confirm_totp_enrolment(actor: User, code: str, *, client_ip: str) -> SecondFactor:
    factor = SecondFactor.objects.filter(user=actor, confirmed_at__isnull=True).first()
    if factor is None:
        raise DomainError(FieldError("code", "not_enrolling", _("Primero inicie la activación.")))
    check_totp(actor, code, client_ip=client_ip)
    with transaction.atomic():
        factor.confirmed_at = timezone.now()
        factor.save(update_fields=["confirmed_at"])
        audit.record(actor, "account.totp_enable", actor)
    return factor


def disable_totp(actor: User, code: str, *, client_ip: str) -> None:
    if not has_totp(actor):
        raise DomainError(FieldError("code", "not_enabled", _("La verificación en dos pasos no está activa.")))
    check_totp(actor, code, client_ip=client_ip)
    with transaction.atomic():
        SecondFactor.objects.filter(user=actor).delete()
        audit.record(actor, "account.totp_disable", actor)


def has_totp(user: User) -> bool:
    return SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).exists()


def totp_unreadable(user: User) -> bool:
    """A second factor in force whose secret no longer decrypts: every code is refused until staff reset it."""
    factor = SecondFactor.objects.filter(user=user, confirmed_at__isnull=False).first()
    return factor is not None and not _readable_secret(factor)


def reset_totp(actor: User, user: User) -> bool:
    """An administrator removes an account's second factor (lost phone, a secret that no longer decrypts); the
    person enrols again after logging in with the password. Whether there was one to remove."""
    access.require_role(actor, {Role.ADMINISTRATOR})
    with transaction.atomic():
        removed, _count = SecondFactor.objects.filter(user=user).delete()
        if removed:
            audit.record(actor, "account.totp_reset", user)
    return bool(removed)


def record_login(user: User, *, second_factor: bool) -> None:
    audit.record(user, "account.login", user, after={"second_factor": second_factor})


# Data-correction requests (name, CURP, RFC): four eyes

def request_correction(actor: User, person: Person, field: str, new_value: str, reason: str) -> CorrectionRequest:
    """The person (from Mi Cuenta) or staff who may see them asks; the value is checked as the person's data."""
    if access.role_of(actor) == Role.DERECHOHABIENTE:
        if actor.person_id != person.pk:
            raise PermissionDeniedError("correction")
    else:
        access.require_role(actor, access.PERSON_REGISTRAR_ROLES)
        access.get_visible_person(actor, person.pk)
    errors = []
    if field not in CorrectionRequest.Field.values:
        errors.append(FieldError("field", "invalid_choice", _("Elija un dato de la lista.")))
    if not (reason or "").strip():
        errors.append(FieldError("reason", "required", _("Este dato es obligatorio.")))
    if errors:
        raise DomainError(errors)
    value = _checked_value(person, field, new_value)
    if CorrectionRequest.objects.filter(person=person, field=field, status=CorrectionRequest.Status.PENDING).exists():
        raise DomainError(FieldError("field", "pending", _("Ya hay una solicitud pendiente para este dato.")))
    with transaction.atomic():
        row = CorrectionRequest.objects.create(person=person, field=field, current_value=getattr(person, field),
                                               new_value=value, reason=reason.strip()[:300], requested_by=actor)
        audit.record(actor, "person.correction_request", row, after={"field": field})
    return row


def _checked_value(person: Person, field: str, new_value: str) -> str:
    """The new value checked with the rest of the person's data (CURP against birth date and sex, RFC
    against CURP) and against the persons on file."""
    data = {name: getattr(person, name) for name in PERSON_FIELDS}
    data["birth_date"] = person.birth_date.isoformat()
    data[field] = (new_value or "").strip()
    clean = clean_person_data(data, timezone.localdate())  # raises naming the field at fault
    value = clean[field] or ""
    if value == (getattr(person, field) or ""):
        raise DomainError(FieldError("new_value", "unchanged", _("El valor nuevo es igual al registrado.")))
    if field == "curp" and Person.objects.filter(curp=value).exclude(pk=person.pk).exists():
        raise DomainError(FieldError("new_value", "duplicate", _("Esta CURP no puede asignarse.")))
    return value


def pending_corrections(actor: User):
    access.require_role(actor, CORRECTION_DECIDER_ROLES)
    return CorrectionRequest.objects.filter(status=CorrectionRequest.Status.PENDING).select_related(
        "person", "requested_by")


def decide_correction(actor: User, request_id: int, *, approve: bool, reason: str = "") -> CorrectionRequest:
    """IMSS or Infonavit staff (not the requester) approve, and the value is applied to the person; or refuse
    with a reason."""
    access.require_role(actor, CORRECTION_DECIDER_ROLES)
    with transaction.atomic():
        row = CorrectionRequest.objects.select_for_update().select_related("person").filter(pk=request_id).first()
        if row is None:
            raise NotFoundError("correction")
        if row.status != CorrectionRequest.Status.PENDING:
            raise DomainError(FieldError("__all__", "decided", _("Esta solicitud ya fue resuelta.")))
        if row.requested_by_id == actor.pk:
            raise DomainError(FieldError("__all__", "four_eyes",
                                         _("Otra persona debe resolver una solicitud que usted hizo.")))
        row.decided_by, row.decided_at = actor, timezone.now()
        if approve:
            person = row.person
            value = _checked_value(person, row.field, row.new_value)
            before = {row.field: getattr(person, row.field)}
            setattr(person, row.field, value)
            person.save(update_fields=[row.field, "updated_at"])
            row.status = CorrectionRequest.Status.APPROVED
            audit.record(actor, "person.correct", person, before=before, after={row.field: value})
        else:
            if not (reason or "").strip():
                raise DomainError(FieldError("reason", "required", _("Escriba el motivo del rechazo.")))
            row.status, row.refusal_reason = CorrectionRequest.Status.REFUSED, reason.strip()[:300]
        row.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
        audit.record(actor, "person.correction_decide", row, after={"status": row.status})
    return row
