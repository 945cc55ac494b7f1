"""Who may be registered as a beneficiary of the worker, and until when (LSS art. 84).

Source: Ley del Seguro Social art. 84; shared/domain/imss-abroad.md, "Beneficiaries (art. 84)".

Dates: `Right.ends_on` is the first day WITHOUT the right (a child's right ends on the birthday that ends
it: the 16th birthday is no longer "under 16"). The right holds on `on` when `on < ends_on`; None means no
end date. When a child's right has already lapsed, `ends_on` says the day it ended. Everything is computed
from dates, so a right lapses by itself: nobody edits a record.

Fraction numbers of art. 84 follow the current text (III-IV spouse or concubine, V children under 16, VI
students and disabled children, VIII the worker's father and mother).
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ventanilla.core.ages import birthday
from ventanilla.core.reasons import Reason, date_en, date_es, number

SPOUSE = "spouse"
CONCUBINE = "concubine"
CHILD = "child"
FATHER = "father"
MOTHER = "mother"
RELATIONSHIPS = (SPOUSE, CONCUBINE, CHILD, FATHER, MOTHER)

CHILD_AGE_LIMIT = 16  # LSS art. 84 V (children under 16); shared/domain/imss-abroad.md
STUDENT_AGE_LIMIT = 25  # LSS art. 84 VI (under 25 while studying, national education system)
CONCUBINAGE_MIN_YEARS = 5  # LSS art. 84 III (five years together, or a child in common)


@dataclass(frozen=True)
class Right:
    eligible: bool
    reasons: list[Reason] = field(default_factory=list)
    ends_on: date | None = None  # first day without the right; None: no end date

    def holds_on(self, day: date) -> bool:
        return self.eligible and (self.ends_on is None or day < self.ends_on)


def beneficiary_right(relationship: str, *, birth_date: date, on: date, studying_until: date | None = None,
                      disabled: bool = False, lives_with_worker: bool = False,
                      economically_dependent: bool = False, years_together: Decimal | int | None = None,
                      child_in_common: bool = False, both_unmarried: bool = True) -> Right:
    """Whether a relative qualifies on `on`, and the day the right ends.

    `studying_until` is the date the proof of studies in the national education system stops being valid:
    the student's right ends on the earlier of that date and the 25th birthday.
    """
    if on < birth_date:
        return Right(False, [Reason(
            "born_after_date",
            f"La fecha de nacimiento ({date_es(birth_date)}) es posterior a la fecha evaluada "
            f"({date_es(on)}).",
            f"The birth date ({date_en(birth_date)}) is after the date evaluated ({date_en(on)}).")])
    if relationship == SPOUSE:
        # LSS art. 84 III-IV; shared/domain/imss-abroad.md: the spouse qualifies with no further condition
        return Right(True)
    if relationship == CONCUBINE:
        return _concubine(years_together, child_in_common, both_unmarried)
    if relationship == CHILD:
        return _child(birth_date, on, studying_until, disabled)
    if relationship in (FATHER, MOTHER):
        return _parent(lives_with_worker, economically_dependent)
    return Right(False, [Reason(
        "unknown_relationship",
        f"El parentesco «{relationship}» no da derecho como beneficiario (art. 84 LSS).",
        f"The relationship '{relationship}' does not qualify as a beneficiary (LSS art. 84).")])


def _concubine(years_together, child_in_common: bool, both_unmarried: bool) -> Right:
    reasons = []
    years = Decimal(years_together or 0)
    # LSS art. 84 III-IV; shared/domain/imss-abroad.md: 5 years living together or a child in common
    if years < CONCUBINAGE_MIN_YEARS and not child_in_common:
        reasons.append(Reason(
            "concubinage_too_short",
            f"El concubinato requiere {CONCUBINAGE_MIN_YEARS} años de vida en común o un hijo en común; "
            f"hay {number(years)} años y ningún hijo en común.",
            f"Concubinage requires {CONCUBINAGE_MIN_YEARS} years living together or a child in common; "
            f"there are {number(years)} years and no child in common."))
    # LSS art. 84 III-IV; shared/domain/imss-abroad.md: both must have stayed unmarried
    if not both_unmarried:
        reasons.append(Reason(
            "concubine_married",
            "En el concubinato ambos deben permanecer libres de matrimonio.",
            "In a concubinage both partners must remain unmarried."))
    return Right(not reasons, reasons)


def _child(birth_date: date, on: date, studying_until: date | None, disabled: bool) -> Right:
    # LSS art. 84 VI; shared/domain/imss-abroad.md: a disabled child qualifies at any age
    if disabled:
        return Right(True)
    sixteenth = birthday(birth_date, CHILD_AGE_LIMIT)
    twenty_fifth = birthday(birth_date, STUDENT_AGE_LIMIT)
    # LSS art. 84 V; shared/domain/imss-abroad.md: under 16, the right ends on the 16th birthday
    ends_on = sixteenth
    # LSS art. 84 VI; shared/domain/imss-abroad.md: studying, until the earlier of 25th birthday and proof
    if studying_until is not None:
        ends_on = max(ends_on, min(twenty_fifth, studying_until))
    if on < ends_on:
        return Right(True, [], ends_on)
    if on >= twenty_fifth:
        return Right(False, [Reason(
            "child_over_25",
            f"Los hijos tienen derecho hasta los {STUDENT_AGE_LIMIT} años (salvo incapacidad); "
            f"cumplió {STUDENT_AGE_LIMIT} el {date_es(twenty_fifth)}.",
            f"Children qualify until age {STUDENT_AGE_LIMIT} (unless disabled); "
            f"they turned {STUDENT_AGE_LIMIT} on {date_en(twenty_fifth)}.")], ends_on)
    if studying_until is not None:
        return Right(False, [Reason(
            "study_proof_expired",
            f"La constancia de estudios dejó de ser válida el {date_es(studying_until)}; "
            f"presente una vigente para conservar el derecho hasta los {STUDENT_AGE_LIMIT} años.",
            f"The proof of studies stopped being valid on {date_en(studying_until)}; "
            f"present a current one to keep the right until age {STUDENT_AGE_LIMIT}.")], ends_on)
    return Right(False, [Reason(
        "child_over_16_not_studying",
        f"Desde los {CHILD_AGE_LIMIT} años (cumplidos el {date_es(sixteenth)}) se requiere estudiar en el "
        f"sistema educativo nacional, hasta los {STUDENT_AGE_LIMIT}.",
        f"From age {CHILD_AGE_LIMIT} (reached on {date_en(sixteenth)}) the child must be studying in the "
        f"national education system, until age {STUDENT_AGE_LIMIT}.")], ends_on)


def _parent(lives_with_worker: bool, economically_dependent: bool) -> Right:
    reasons = []
    # LSS art. 84 VIII; shared/domain/imss-abroad.md: father and mother who live with the worker
    if not lives_with_worker:
        reasons.append(Reason(
            "parent_not_living_with_worker",
            "El padre o la madre deben vivir en el hogar de la persona asegurada.",
            "The father or mother must live in the insured person's household."))
    # LSS art. 84 (last paragraph, a); shared/domain/imss-abroad.md: and depend on the worker economically
    if not economically_dependent:
        reasons.append(Reason(
            "parent_not_dependent",
            "El padre o la madre deben depender económicamente de la persona asegurada.",
            "The father or mother must depend economically on the insured person."))
    return Right(not reasons, reasons)


def _relationship_of(item: str | Sequence) -> str:
    return item if isinstance(item, str) else item[0]


def validate_beneficiary_set(existing: Iterable[str | Sequence], new_relationship: str) -> list[Reason]:
    """Reasons to refuse adding `new_relationship` next to the registered ones (empty: allowed).

    `existing` holds the relationship codes already registered, or tuples whose first item is the code.
    """
    current = [_relationship_of(item) for item in existing]
    reasons: list[Reason] = []
    # LSS art. 84 III-IV; shared/domain/imss-abroad.md: a spouse, or else a concubine, never both
    if new_relationship == SPOUSE and SPOUSE in current:
        reasons.append(Reason(
            "spouse_already_registered",
            "Ya hay un cónyuge registrado; solo puede haber uno.",
            "A spouse is already registered; there can only be one."))
    if (new_relationship == SPOUSE and CONCUBINE in current) or (
            new_relationship == CONCUBINE and SPOUSE in current):
        reasons.append(Reason(
            "spouse_or_concubine",
            "Solo puede registrarse al cónyuge o, a falta de este, a la concubina o el concubinario; "
            "no ambos.",
            "Only the spouse or, failing one, the cohabiting partner may be registered; not both."))
    # LSS art. 84 III; shared/domain/imss-abroad.md: with several concubines none qualifies
    if new_relationship == CONCUBINE and CONCUBINE in current:
        reasons.append(Reason(
            "several_concubines",
            "Ya hay una concubina o concubinario registrado; si hubiera varios, ninguno tendría derecho.",
            "A cohabiting partner is already registered; with several, none would qualify."))
    # LSS art. 84 VIII; shared/domain/imss-abroad.md: one father and one mother
    if new_relationship == FATHER and FATHER in current:
        reasons.append(Reason(
            "father_already_registered",
            "Ya hay un padre registrado; solo puede haber uno.",
            "A father is already registered; there can only be one."))
    if new_relationship == MOTHER and MOTHER in current:
        reasons.append(Reason(
            "mother_already_registered",
            "Ya hay una madre registrada; solo puede haber una.",
            "A mother is already registered; there can only be one."))
    if new_relationship not in RELATIONSHIPS:
        reasons.append(Reason(
            "unknown_relationship",
            f"El parentesco «{new_relationship}» no da derecho como beneficiario (art. 84 LSS).",
            f"The relationship '{new_relationship}' does not qualify as a beneficiary (LSS art. 84)."))
    return reasons
