"""Mexican personal identifiers: CURP, NSS, RFC, CLABE.

CURP and RFC: python-stdnum (RENAPO and SAT formats, with their check digits).
NSS: 11 digits, office (2) + registration year (2) + birth year (2) + sequence (4) + Luhn check digit
over the first ten (shared/domain/imss-abroad.md, "Identifiers").
CLABE: 18 digits, bank (3) + branch (3) + account (11) + check digit with weights 3, 7, 1 (Banxico).
Each validator returns the normalised value or raises DomainError naming the field and the reason.
"""

from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError
from stdnum.mx import curp as stdnum_curp
from stdnum.mx import rfc as stdnum_rfc

from ventanilla.core.errors import DomainError, FieldError


def _code(exc: ValidationError) -> str:
    if isinstance(exc, InvalidLength):
        return "invalid_length"
    if isinstance(exc, InvalidChecksum):
        return "invalid_check_digit"
    if isinstance(exc, InvalidComponent):
        return "invalid_component"
    return "invalid_format"


CURP_MESSAGES = {
    "invalid_length": _("La CURP tiene 18 caracteres."),
    "invalid_check_digit": _("El dígito verificador de la CURP no corresponde."),
    "invalid_component": _("La CURP contiene una fecha, un sexo o una entidad que no existe."),
    "invalid_format": _("La CURP no tiene el formato oficial."),
}
RFC_MESSAGES = {
    "invalid_length": _("El RFC de una persona tiene 13 caracteres."),
    "invalid_check_digit": _("El dígito verificador del RFC no corresponde."),
    "invalid_component": _("El RFC contiene una fecha o una homoclave que no existe."),
    "invalid_format": _("El RFC no tiene el formato oficial."),
}


def validate_curp(value: str, field: str = "curp") -> str:
    try:
        return stdnum_curp.validate(value or "")
    except ValidationError as exc:
        code = _code(exc)
        raise DomainError(FieldError(field, code, CURP_MESSAGES[code])) from exc


def validate_rfc(value: str, field: str = "rfc") -> str:
    try:
        number = stdnum_rfc.validate(value or "", validate_check_digits=True)
    except ValidationError as exc:
        code = _code(exc)
        raise DomainError(FieldError(field, code, RFC_MESSAGES[code])) from exc
    if len(number) != 13:  # a person's RFC has 13 characters; 12 is a company's
        raise DomainError(
            FieldError(field, "not_a_person", _("El RFC debe ser de persona física (13 caracteres)."))
        )
    return number


def nss_check_digit(first_ten: str) -> str:
    return luhn.calc_check_digit(first_ten)


def validate_nss(value: str, field: str = "nss") -> str:
    number = "".join(ch for ch in (value or "") if not ch.isspace() and ch != "-")
    if not number.isdigit():
        raise DomainError(FieldError(field, "invalid_format", _("El NSS solo lleva dígitos.")))
    if len(number) != 11:
        raise DomainError(FieldError(field, "invalid_length", _("El NSS tiene 11 dígitos.")))
    if not luhn.is_valid(number):
        raise DomainError(
            FieldError(field, "invalid_check_digit", _("El dígito verificador del NSS no corresponde."))
        )
    return number


CLABE_WEIGHTS = (3, 7, 1)


def clabe_check_digit(first_seventeen: str) -> str:
    total = sum(int(d) * CLABE_WEIGHTS[i % 3] % 10 for i, d in enumerate(first_seventeen))
    return str((10 - total % 10) % 10)


def validate_clabe(value: str, field: str = "clabe") -> str:
    number = "".join(ch for ch in (value or "") if ch.isdigit())
    if len(number) != 18 or number != (value or "").replace(" ", ""):
        raise DomainError(FieldError(field, "invalid_length", _("La CLABE tiene 18 dígitos.")))
    if clabe_check_digit(number[:17]) != number[17]:
        raise DomainError(
            FieldError(field, "invalid_check_digit", _("El dígito verificador de la CLABE no corresponde."))
        )
    return number
