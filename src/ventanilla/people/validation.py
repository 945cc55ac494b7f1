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


# --- Mi Cuenta: mobile phone (issue 5) ---

_NANP = re.compile(r"^[2-9]\d{2}[2-9]\d{6}$")  # US/Canada: area code and exchange never start with 0 or 1


def clean_mobile_phone(raw: str, field: str = "phone") -> str:
    """A mobile number in E.164: Mexico (+52, 10 digits; the old mobile '1' after 52 is dropped, IFT 2019)
    or the United States / Canada (+1, 10 digits). The message says which part is wrong."""
    text = (raw or "").strip()
    digits = re.sub(r"[\s().-]", "", text)
    if not digits:
        raise DomainError(FieldError(field, "required", _("Este dato es obligatorio.")))
    if not digits.startswith("+") or not digits[1:].isdigit():
        raise DomainError(FieldError(field, "missing_country_code", _(
            "Escriba el celular con la clave de país: +52 (México) o +1 (Estados Unidos o Canadá), "
            "seguida de 10 dígitos.")))
    number = digits[1:]
    if number.startswith("52"):
        national = number[2:]
        if len(national) == 11 and national.startswith("1"):
            national = national[1:]
        if len(national) != 10:
            raise DomainError(FieldError(field, "invalid_mx_length", _(
                "Un celular de México (+52) lleva 10 dígitos después de la clave de país.")))
        return "+52" + national
    if number.startswith("1"):
        national = number[1:]
        if len(national) != 10:
            raise DomainError(FieldError(field, "invalid_us_length", _(
                "Un celular de Estados Unidos o Canadá (+1) lleva 10 dígitos después de la clave de país.")))
        if not _NANP.match(national):
            raise DomainError(FieldError(field, "invalid_us_number", _(
                "El número de Estados Unidos o Canadá no existe: la lada y el siguiente dígito no empiezan "
                "con 0 ni 1.")))
        return "+1" + national
    raise DomainError(FieldError(field, "unsupported_country", _(
        "Solo aceptamos celulares de México (+52) o de Estados Unidos o Canadá (+1).")))
