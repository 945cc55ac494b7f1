"""Checks on a person's data before it is stored: identifiers and their agreement with each other (input
validation with translated messages; the pure law rules live in each domain's rules modules)."""

import re
from datetime import date

from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError, FieldError
from ventanilla.core.identifiers import validate_curp, validate_nss, validate_rfc

STATE_CODES = {
    "AS", "BC", "BS", "CC", "CL", "CM", "CS", "CH", "DF", "DG", "GT", "GR", "HG", "JC", "MC", "MN", "MS", "NT",
    "NL", "OC", "PL", "QT", "QR", "SP", "SL", "SR", "TC", "TS", "TL", "VZ", "YN", "ZS",
}
_PHONE = re.compile(r"^\+?[0-9 ()-]{8,20}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_POSTAL = re.compile(r"^\d{5}$")
REQUIRED = ("first_names", "last_name_1", "curp", "birth_date", "sex", "mx_state", "mx_municipality",
            "mx_postal_code")


def curp_birth_date(curp: str) -> date:
    """CURP positions 5-10 are YYMMDD; position 17 is a digit for births before 2000, a letter after."""
    century = 1900 if curp[16].isdigit() else 2000
    return date(century + int(curp[4:6]), int(curp[6:8]), int(curp[8:10]))


def clean_person_data(data: dict, today: date) -> dict:
    """Normalise and check every field; raise one DomainError listing every problem found."""
    errors: list[FieldError] = []
    clean = {key: (value.strip() if isinstance(value, str) else value) for key, value in data.items()}
    for name in REQUIRED:
        if clean.get(name) in (None, ""):
            errors.append(FieldError(name, "required", _("Este dato es obligatorio.")))

    def check(name, validator):
        if clean.get(name):
            try:
                clean[name] = validator(str(clean[name]).upper(), name)
            except DomainError as exc:
                errors.extend(exc.errors)
                return False
        return True

    curp_ok = check("curp", validate_curp)
    check("nss", validate_nss)
    check("rfc", validate_rfc)
    for name in ("first_names", "last_name_1", "last_name_2"):
        if clean.get(name):
            clean[name] = " ".join(clean[name].upper().split())

    birth = clean.get("birth_date")
    if isinstance(birth, str) and birth:
        try:
            birth = clean["birth_date"] = date.fromisoformat(birth)
        except ValueError:
            errors.append(FieldError("birth_date", "invalid_date", _("Use una fecha válida (AAAA-MM-DD).")))
            birth = None
    if isinstance(birth, date):
        if birth > today:
            errors.append(FieldError("birth_date", "in_future", _("La fecha de nacimiento no puede ser futura.")))
        elif curp_ok and clean.get("curp") and curp_birth_date(clean["curp"]) != birth:
            errors.append(FieldError("birth_date", "curp_mismatch",
                                     _("La fecha de nacimiento no coincide con la de la CURP.")))
    if clean.get("sex") and clean["sex"] not in {"H", "M", "X"}:
        errors.append(FieldError("sex", "invalid_choice", _("El sexo debe ser H, M o X.")))
    elif curp_ok and clean.get("curp") and clean.get("sex") and clean["sex"] != clean["curp"][10]:
        errors.append(FieldError("sex", "curp_mismatch", _("El sexo no coincide con el de la CURP.")))
    # RFC and CURP both carry the birth date (positions 5-10; SAT and RENAPO); their letters may differ
    # where each authority replaces an inconvenient word differently, so only the date is compared.
    if clean.get("rfc") and curp_ok and clean.get("curp") and clean["rfc"][4:10] != clean["curp"][4:10]:
        errors.append(FieldError("rfc", "curp_mismatch", _("La fecha del RFC no coincide con la de la CURP.")))
    if clean.get("mx_state") and clean["mx_state"] not in STATE_CODES:
        errors.append(FieldError("mx_state", "invalid_choice", _("Elija un estado de la lista.")))
    if clean.get("mx_postal_code") and not _POSTAL.match(clean["mx_postal_code"]):
        errors.append(FieldError("mx_postal_code", "invalid_format", _("El código postal tiene 5 dígitos.")))
    if clean.get("phone") and not _PHONE.match(clean["phone"]):
        errors.append(FieldError("phone", "invalid_format", _("Escriba el teléfono con lada, solo dígitos.")))
    if clean.get("email"):
        clean["email"] = clean["email"].lower()
        if not _EMAIL.match(clean["email"]):
            errors.append(FieldError("email", "invalid_format", _("El correo electrónico no es válido.")))
    if errors:
        raise DomainError(errors)
    return clean
