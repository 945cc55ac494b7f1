"""Eligibility and amounts of the IMSS benefits a worker abroad and their family may claim.

Source: Ley del Seguro Social (articles cited on each rule); shared/domain/imss-abroad.md, "Benefits".
Every decision says why: `reasons` carries a code and the sentence in Spanish and in English; when the
benefit is refused `amount` is None. Amounts are rounded half-up to centavos once, on the total.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from ventanilla.core.ages import birthday
from ventanilla.core.calendar import add_months
from ventanilla.core.money import to_centavos
from ventanilla.core.reasons import Reason, date_en, date_es, money, number
from ventanilla.imss.rules.weeks import DAYS_PER_WEEK, as_weeks
from ventanilla.reference.params import ParamSnapshot

FUNERAL_AID_UMA_MONTHS = 2  # LSS art. 104: two monthly UMA at the date of death
FUNERAL_MIN_WEEKS = 12  # LSS art. 104: 12 weekly contributions ...
FUNERAL_WINDOW_MONTHS = 9  # LSS art. 104: ... in the 9 months before death
FUNERAL_CLAIM_MONTHS = 12  # LSS art. 300: the right to funeral aid lapses after one year

SICK_PAY_RATE = Decimal("0.60")  # LSS art. 98: 60 % of the last daily SBC
SICK_PAY_WAITING_DAYS = 3  # LSS art. 96: paid from the 4th day of incapacity
SICK_PAY_MIN_WEEKS = 4  # LSS art. 97: 4 weekly contributions just before the illness
SICK_PAY_MAX_WEEKS = 52  # LSS art. 96: up to 52 weeks ...
SICK_PAY_EXTENSION_WEEKS = 26  # LSS art. 96: ... plus up to 26 more after an IMSS medical opinion

WORK_RISK_RATE = Decimal("1.00")  # LSS art. 58 I: 100 % of the SBC from day 1, no minimum weeks

MATERNITY_RATE = Decimal("1.00")  # LSS art. 101: 100 % of the last daily SBC
MATERNITY_DAYS_BEFORE = 42  # LSS art. 101: 42 days before birth
MATERNITY_DAYS_AFTER = 42  # LSS art. 101: 42 days after birth
MATERNITY_MIN_WEEKS = 30  # LSS art. 102 I: 30 weekly contributions ...
MATERNITY_WINDOW_MONTHS = 12  # LSS art. 102 I: ... in the 12 months before
# ASSUMED (shared/domain/imss-abroad.md, "The five insurances"): one 2025 report says maternity cash
# benefits are excluded for workers abroad; a parameter, off unless someone switches it on.
MATERNITY_CASH_ABROAD_DEFAULT = False

DISABILITY_MIN_WEEKS = 250  # LSS art. 122: 250 weeks ...
DISABILITY_SEVERE_MIN_WEEKS = 150  # LSS art. 122: ... or 150 with a disability of 75 % or more
DISABILITY_SEVERE_PERCENT = 75  # LSS art. 122
SURVIVORS_MIN_WEEKS = 150  # LSS art. 128 II: 150 weeks, or the deceased was a disability pensioner
ORPHAN_SHARE = Decimal("0.20")  # LSS art. 134: 20 % of the disability pension
ORPHAN_SHARE_BOTH_PARENTS = Decimal("0.30")  # LSS art. 134: 30 % when both parents died

DAY_CARE_MIN_AGE_DAYS = 43  # LSS art. 201: from 43 days old ...
DAY_CARE_MAX_AGE_YEARS = 4  # LSS art. 201: ... until the child turns 4


@dataclass(frozen=True)
class BenefitDecision:
    eligible: bool
    reasons: list[Reason] = field(default_factory=list)
    amount: Decimal | None = None
    detail: dict = field(default_factory=dict)


def _money(value: Decimal | int, name: str) -> Decimal:
    if isinstance(value, float):
        raise TypeError(f"{name} must be a Decimal, not a float")
    value = Decimal(value)
    if value < 0 or not value.is_finite():
        raise ValueError(f"{name} must be a finite amount, not negative")
    return value


def _days(value: int, name: str) -> int:
    if value < 0:
        raise ValueError(f"{name} must not be negative")
    return value


def _insufficient_weeks(required: int, have: Decimal, es_window: str, en_window: str) -> Reason:
    return Reason(
        "insufficient_weeks",
        f"Se requieren {required} semanas cotizadas{es_window}; hay {number(have)}.",
        f"{required} contributed weeks are required{en_window}; there are {number(have)}.")


# --- Funeral aid -------------------------------------------------------------------------------------

def funeral_window(date_of_death: date) -> tuple[date, date]:
    """The 9 months before death over which art. 104 counts weekly contributions (inclusive)."""
    return add_months(date_of_death, -FUNERAL_WINDOW_MONTHS), date_of_death - timedelta(days=1)


def funeral_aid(params: ParamSnapshot, *, date_of_death: date, weeks_in_last_9_months: Decimal | int,
                work_risk: bool, claim_date: date | None = None) -> BenefitDecision:
    """Funeral aid: 2 monthly UMA at the date of death, to whoever shows the death certificate and invoice.

    `params` must be the snapshot in force on the date of death (`params.on == date_of_death`).
    """
    if params.on != date_of_death:
        raise ValueError(f"funeral aid uses the parameters in force on the date of death ({date_of_death}), "
                         f"not those of {params.on}")
    if claim_date is not None and claim_date < date_of_death:
        raise ValueError("claim_date is before date_of_death")
    weeks = as_weeks(weeks_in_last_9_months)
    uma_monthly = params.require("uma_monthly")
    deadline = add_months(date_of_death, FUNERAL_CLAIM_MONTHS)
    reasons = []
    # LSS art. 104 (art. 64 for a work-risk death); shared/domain/imss-abroad.md: 12 weeks in 9 months
    if weeks < FUNERAL_MIN_WEEKS and not work_risk:
        reasons.append(_insufficient_weeks(
            FUNERAL_MIN_WEEKS, weeks, f" en los {FUNERAL_WINDOW_MONTHS} meses previos",
            f" in the {FUNERAL_WINDOW_MONTHS} months before death"))
    # LSS art. 300; shared/domain/imss-abroad.md: claim within 1 year of death
    if claim_date is not None and claim_date > deadline:
        reasons.append(Reason(
            "claim_too_late",
            f"La ayuda para gastos de funeral se reclama dentro de un año del fallecimiento "
            f"(a más tardar el {date_es(deadline)}); se reclamó el {date_es(claim_date)}.",
            f"Funeral aid must be claimed within one year of death (by {date_en(deadline)}); "
            f"it was claimed on {date_en(claim_date)}."))
    # LSS art. 104; shared/domain/imss-abroad.md: 2 × monthly UMA at the date of death, to centavos
    amount = to_centavos(FUNERAL_AID_UMA_MONTHS * uma_monthly)
    detail = {
        "uma_monthly": uma_monthly, "uma_months": FUNERAL_AID_UMA_MONTHS, "weeks": weeks,
        "weeks_required": FUNERAL_MIN_WEEKS, "work_risk": work_risk, "window": funeral_window(date_of_death),
        "claim_deadline": deadline, "documents": ("death_certificate", "funeral_invoice"),
    }
    if reasons:
        return BenefitDecision(False, reasons, None, detail)
    return BenefitDecision(True, [Reason(
        "funeral_aid",
        f"Ayuda para gastos de funeral: {FUNERAL_AID_UMA_MONTHS} × UMA mensual de {money(uma_monthly)} = "
        f"{money(amount)} pesos.",
        f"Funeral aid: {FUNERAL_AID_UMA_MONTHS} × monthly UMA of {money(uma_monthly)} = {money(amount)} "
        f"pesos.")], amount, detail)


# --- Sick pay and work-risk incapacity ----------------------------------------------------------------

def sick_pay(*, last_daily_sbc: Decimal, weeks_just_before: Decimal | int, incapacity_days: int,
             extension_approved: bool = False) -> BenefitDecision:
    """Sick pay for a non-work illness: 60 % of the last daily SBC from the 4th day.

    ASSUMED: the 52-week limit (78 with the extension) counts the days paid, i.e. after the 3 waiting days.
    """
    sbc = _money(last_daily_sbc, "last_daily_sbc")
    weeks = as_weeks(weeks_just_before)
    days = _days(incapacity_days, "incapacity_days")
    max_weeks = SICK_PAY_MAX_WEEKS + (SICK_PAY_EXTENSION_WEEKS if extension_approved else 0)
    max_days = max_weeks * DAYS_PER_WEEK
    detail = {"rate": SICK_PAY_RATE, "last_daily_sbc": sbc, "weeks_required": SICK_PAY_MIN_WEEKS,
              "weeks": weeks, "waiting_days": SICK_PAY_WAITING_DAYS, "max_payable_days": max_days}
    # LSS art. 97; shared/domain/imss-abroad.md: at least 4 weekly contributions just before
    if weeks < SICK_PAY_MIN_WEEKS:
        return BenefitDecision(False, [_insufficient_weeks(
            SICK_PAY_MIN_WEEKS, weeks, " inmediatamente antes de la enfermedad",
            " immediately before the illness")], None, detail)
    # LSS art. 96; shared/domain/imss-abroad.md: from the 4th day, up to 52 weeks (+26 with an opinion)
    payable = min(max(days - SICK_PAY_WAITING_DAYS, 0), max_days)
    # LSS art. 98; shared/domain/imss-abroad.md: 60 % of the last daily SBC per payable day
    amount = to_centavos(SICK_PAY_RATE * sbc * payable)
    detail["payable_days"] = payable
    reasons = []
    if days <= SICK_PAY_WAITING_DAYS:
        reasons.append(Reason(
            "within_waiting_days",
            f"El subsidio se paga desde el cuarto día de incapacidad; la incapacidad es de {days} días.",
            f"Sick pay starts on the 4th day of incapacity; the incapacity lasts {days} days."))
    if days - SICK_PAY_WAITING_DAYS > max_days:
        hint_es = hint_en = ""
        if not extension_approved:
            hint_es = f" (prorrogable {SICK_PAY_EXTENSION_WEEKS} semanas con dictamen)"
            hint_en = f" (extendable by {SICK_PAY_EXTENSION_WEEKS} weeks on a medical opinion)"
        reasons.append(Reason(
            "max_period_reached",
            f"El subsidio se paga hasta {max_weeks} semanas{hint_es}; se pagan {payable} días.",
            f"Sick pay lasts up to {max_weeks} weeks{hint_en}; {payable} days are paid."))
    return BenefitDecision(True, reasons, amount, detail)


def work_risk_incapacity(*, last_daily_sbc: Decimal, days: int) -> BenefitDecision:
    """Incapacity from a work risk: 100 % of the SBC from day 1, whatever the weeks contributed."""
    sbc = _money(last_daily_sbc, "last_daily_sbc")
    days = _days(days, "days")
    # LSS art. 58 I; shared/domain/imss-abroad.md: 100 % of the SBC from day 1, no minimum of weeks
    amount = to_centavos(WORK_RISK_RATE * sbc * days)
    detail = {"rate": WORK_RISK_RATE, "last_daily_sbc": sbc, "payable_days": days}
    return BenefitDecision(True, [], amount, detail)


# --- Maternity ----------------------------------------------------------------------------------------

def maternity(*, last_daily_sbc: Decimal, weeks_in_last_12_months: Decimal | int,
              maternity_cash_abroad_enabled: bool = MATERNITY_CASH_ABROAD_DEFAULT) -> BenefitDecision:
    """Maternity cash benefit: 100 % of the last daily SBC for 42 days before and 42 after birth."""
    sbc = _money(last_daily_sbc, "last_daily_sbc")
    weeks = as_weeks(weeks_in_last_12_months)
    days = MATERNITY_DAYS_BEFORE + MATERNITY_DAYS_AFTER
    detail = {"rate": MATERNITY_RATE, "last_daily_sbc": sbc, "days": days, "weeks": weeks,
              "weeks_required": MATERNITY_MIN_WEEKS, "cash_abroad_enabled": maternity_cash_abroad_enabled}
    reasons = []
    # shared/domain/imss-abroad.md ("The five insurances"), ASSUMED: the cash benefit abroad is a parameter
    if not maternity_cash_abroad_enabled:
        reasons.append(Reason(
            "parameter_off",
            "El subsidio en dinero por maternidad no está habilitado para personas trabajadoras en el "
            "extranjero (parámetro desactivado); la atención obstétrica en México sí se presta.",
            "The maternity cash benefit is not enabled for workers abroad (parameter switched off); "
            "obstetric care in Mexico is still provided."))
    # LSS art. 102 I; shared/domain/imss-abroad.md: 30 weekly contributions in the previous 12 months
    if weeks < MATERNITY_MIN_WEEKS:
        reasons.append(_insufficient_weeks(
            MATERNITY_MIN_WEEKS, weeks, f" en los {MATERNITY_WINDOW_MONTHS} meses previos",
            f" in the previous {MATERNITY_WINDOW_MONTHS} months"))
    if reasons:
        return BenefitDecision(False, reasons, None, detail)
    # LSS art. 101; shared/domain/imss-abroad.md: 100 % of the SBC for 42 + 42 days
    return BenefitDecision(True, [], to_centavos(MATERNITY_RATE * sbc * days), detail)


# --- Pensions (weeks only; the amounts come from the pension calculation) ------------------------------

def disability_pension_weeks(*, total_weeks: Decimal | int,
                             disability_percent: Decimal | int) -> BenefitDecision:
    """Whether the weeks contributed give right to a disability pension."""
    weeks = as_weeks(total_weeks)
    percent = Decimal(disability_percent)
    if not 0 <= percent <= 100:
        raise ValueError("disability_percent must be between 0 and 100")
    # LSS art. 122; shared/domain/imss-abroad.md: 250 weeks, or 150 with a disability of 75 % or more
    required = DISABILITY_SEVERE_MIN_WEEKS if percent >= DISABILITY_SEVERE_PERCENT else DISABILITY_MIN_WEEKS
    detail = {"weeks": weeks, "weeks_required": required, "disability_percent": percent}
    if weeks < required:
        return BenefitDecision(False, [_insufficient_weeks(
            required, weeks, f" con una invalidez del {number(percent)} %",
            f" with a disability of {number(percent)} %")], None, detail)
    return BenefitDecision(True, [], None, detail)


def survivors_pension_weeks(*, total_weeks: Decimal | int,
                            disability_pensioner: bool = False) -> BenefitDecision:
    """Whether the deceased's weeks give their survivors (widow(er), orphans, parents) a pension."""
    weeks = as_weeks(total_weeks)
    detail = {"weeks": weeks, "weeks_required": SURVIVORS_MIN_WEEKS,
              "disability_pensioner": disability_pensioner}
    # LSS art. 128 II; shared/domain/imss-abroad.md: 150 weeks, or the deceased drew a disability pension
    if weeks < SURVIVORS_MIN_WEEKS and not disability_pensioner:
        return BenefitDecision(False, [_insufficient_weeks(
            SURVIVORS_MIN_WEEKS, weeks, " a la fecha del fallecimiento", " at the date of death")],
            None, detail)
    return BenefitDecision(True, [], None, detail)


def orphan_share(pension: Decimal, both_parents_dead: bool) -> Decimal:
    """An orphan's pension: 20 % of the (actual or notional) disability pension, 30 % if both parents died."""
    pension = _money(pension, "pension")
    # LSS art. 134 (listed under art. 128 in shared/domain/imss-abroad.md): 20 %, or 30 % if orphan of both
    return to_centavos(pension * (ORPHAN_SHARE_BOTH_PARENTS if both_parents_dead else ORPHAN_SHARE))


# --- Day care -----------------------------------------------------------------------------------------

def day_care(*, child_birth_date: date, on: date, in_mexico: bool = True) -> BenefitDecision:
    """Day care for a child from 43 days old until the 4th birthday, in an IMSS day-care centre in Mexico."""
    starts = child_birth_date + timedelta(days=DAY_CARE_MIN_AGE_DAYS)
    ends = birthday(child_birth_date, DAY_CARE_MAX_AGE_YEARS)  # first day without the right
    detail = {"from": starts, "ends_on": ends}
    reasons = []
    # LSS art. 201; shared/domain/imss-abroad.md: from 43 days old
    if on < starts:
        reasons.append(Reason(
            "child_too_young",
            f"La guardería atiende desde los {DAY_CARE_MIN_AGE_DAYS} días de edad, es decir desde el "
            f"{date_es(starts)}.",
            f"Day care takes children from {DAY_CARE_MIN_AGE_DAYS} days old, that is from "
            f"{date_en(starts)}."))
    # LSS art. 201; shared/domain/imss-abroad.md: until the child turns 4
    if on >= ends:
        reasons.append(Reason(
            "child_too_old",
            f"La guardería atiende hasta los {DAY_CARE_MAX_AGE_YEARS} años; los cumplió el {date_es(ends)}.",
            f"Day care takes children until age {DAY_CARE_MAX_AGE_YEARS}; the child turned "
            f"{DAY_CARE_MAX_AGE_YEARS} on {date_en(ends)}."))
    # shared/domain/imss-abroad.md ("The five insurances"; LSS art. 201): the service is given in Mexico
    if not in_mexico:
        reasons.append(Reason(
            "not_in_mexico",
            "El servicio de guardería se presta solo en México.",
            "Day care is provided only in Mexico."))
    return BenefitDecision(not reasons, reasons, None, detail)
