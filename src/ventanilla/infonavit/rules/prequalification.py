"""Precalificación y puntos and credit simulation (issue 5): pure arithmetic over plain values and a
parameter snapshot; no Django, no database, no clock.

Source of every published figure: shared/domain/infonavit.md, "Prequalification and credit conditions".
Only the maxima of six variables, the minimum points, the rate-table ends, the term limits and the 2025 caps
are published. How each variable turns a fact into points, the unpublished remainder of the model, the
payment-to-income ratio and the rate steps between the published ends are ASSUMED: they live in
`PrequalificationTerms` with documented defaults and are listed in ASSUMED_TERMS, so screens and the API
show them as such.
"""

from dataclasses import dataclass, field, replace
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal

from ventanilla.core.money import CENTAVO, ZERO, to_centavos
from ventanilla.core.reasons import Reason, money
from ventanilla.reference.params import ParamSnapshot

SEXES = ("H", "M")
WORKER_TYPES = ("permanent", "temporary")
PRODUCTS = ("credito_infonavit", "unamos", "cofinavit", "mejoravit")
MAX_AMOUNT = Decimal("100000000")  # a typo guard for typed amounts (no salary or balance reaches it)
MAX_BIMESTERS = 360  # 60 years of contributions

# Published maxima per variable (infonavit.md, "Points"); "other" is the unpublished remainder (ASSUMED).
PUBLISHED_MAXIMA = {
    "age_salary": 235,
    "scv_savings": 124,
    "continuous_contribution": 191,
    "worker_type": 123,
    "job_stability": 130,
    "employer_record": 129,
}
VARIABLES = (*PUBLISHED_MAXIMA, "other")
# Variables that need a current labour relation: zero for a person abroad without a job (2020 reform path).
LABOUR_VARIABLES = ("worker_type", "job_stability", "employer_record")

T1000_MINIMUM = 1080  # model T1000 since May 2021 (infonavit.md)
# Before May 2021 the minimum was 116 points on another model (infonavit.md): earlier dates are refused
# (prequal_checks), not scored with T1000.
T1000_FROM = date(2021, 5, 1)
T100_MINIMUM = 100  # model T100 for low incomes since 2025 (infonavit.md)
T100_FROM = date(2025, 1, 1)
BIENESTAR_FROM = date(2025, 10, 1)  # Vivienda para el Bienestar asks no points from Oct 2025 (infonavit.md)
RATES_2025_FROM = date(2025, 1, 1)  # the 2025 table: 3.50 % up to 2.4 UMA, 10.45 % from 6.6 UMA (infonavit.md)
MAX_TERM_YEARS = 30  # term 1-30 years (infonavit.md)
AGE_LIMIT = {"H": 70, "M": 75}  # age + term <= 70 men, 75 women (infonavit.md)

# June 2021 rate table (infonavit.md): (from UMA, to UMA, rate at from, rate at to), in 0.1-UMA steps.
RATES_2021 = (
    (Decimal("1.5"), Decimal("2.0"), Decimal("1.91"), Decimal("3.33")),
    (Decimal("2.1"), Decimal("3.0"), Decimal("3.55"), Decimal("5.51")),
    (Decimal("3.1"), Decimal("4.0"), Decimal("5.70"), Decimal("7.21")),
    (Decimal("4.1"), Decimal("5.0"), Decimal("7.41"), Decimal("8.86")),
    (Decimal("5.1"), Decimal("6.0"), Decimal("9.03"), Decimal("10.42")),
)
TOP_RATE = Decimal("10.45")  # >= 6.1 UMA (2021) and from 6.6 UMA (2025); Cofinavit's Infonavit part
RATE_2025_LOW = (Decimal("2.4"), Decimal("3.50"))
RATE_2025_HIGH = (Decimal("6.6"), TOP_RATE)
MEJORAVIT_RATE_THRESHOLD = Decimal("41273.47")  # 10 % up to it, 11 % above (infonavit.md, 2025)
MEJORAVIT_RATES = (Decimal("10.00"), Decimal("11.00"))
MEJORAVIT_SCV_SHARE = Decimal("0.90")  # at most 90 % of the SCV (infonavit.md)


@dataclass(frozen=True)
class YearCaps:
    year: int
    credito_infonavit: Decimal
    unamos: Decimal
    cofinavit: Decimal
    mejoravit: Decimal
    assumed: bool


# Maximum amounts 2025 (infonavit.md, "Maximum amounts 2025"; Mejoravit "at most 163,030.21 (2025)").
CAPS_2025 = YearCaps(2025, Decimal("2830672.54"), Decimal("5095210.00"), Decimal("1117823.00"),
                     Decimal("163030.21"), assumed=False)


def caps_for(year: int) -> YearCaps:
    """The year's caps: 2025 as published; any other year carries the 2025 figures (ASSUMED, flagged)."""
    return CAPS_2025 if year == 2025 else replace(CAPS_2025, year=year, assumed=True)


@dataclass(frozen=True)
class PrequalificationTerms:
    """What the published model does not say, with its defaults. Every field is ASSUMED."""

    other_maximum: int = 268  # the unpublished remainder: 932 published + 268 = 1,200 points in all
    full_salary_uma: Decimal = Decimal("3")  # age_salary: the salary part is full from 3 UMA a month
    full_age_until: int = 50  # age_salary: the age part is full up to 50 years old...
    age_factor_at_65: Decimal = Decimal("0.60")  # ...and falls linearly to 60 % at 65 (and stays there)
    full_scv_salaries: Decimal = Decimal("6")  # scv_savings: full when the SCV holds 6 monthly salaries
    full_continuous_bimesters: int = 12  # continuous_contribution (and "other"): full after 2 years
    full_stability_bimesters: int = 6  # job_stability: full after a year in the current job
    temporary_share: Decimal = Decimal("0.5")  # worker_type: a temporary worker gets half the points
    payment_to_income: Decimal = Decimal("0.30")  # the monthly payment may take 30 % of the income
    low_income_sm: Decimal = Decimal("2")  # T100 applies up to 2 minimum wages a month
    month_days: Decimal = Decimal("30.4")  # a month of minimum wage, as UMA monthly = daily x 30.4
    mejoravit_max_years: int = 5
    bienestar_min_bimesters: int = 3  # 6 months of contribution (infonavit.md), in bimesters


DEFAULT_TERMS = PrequalificationTerms()


@dataclass(frozen=True)
class AssumedTerm:
    name: str
    es: str
    en: str

    def text(self, language: str) -> str:
        return self.en if language.lower().startswith("en") else self.es


ASSUMED_TERMS = (
    AssumedTerm("other_maximum", "El resto del modelo de puntos no es público: 268 puntos más (total 1,200), "
                "que se otorgan en proporción a la cotización continua.",
                "The rest of the points model is not public: 268 more points (1,200 in all), awarded in "
                "proportion to the continuous contribution."),
    AssumedTerm("variable_scales", "Cómo cada variable convierte los datos en puntos (salario pleno desde 3 UMA, "
                "edad plena hasta 50 años, ahorro pleno con 6 salarios, cotización plena con 12 bimestres, "
                "estabilidad plena con 6 bimestres, eventual con la mitad, historial del patrón pleno con empleo).",
                "How each variable turns facts into points (full salary from 3 UMA, full age up to 50, full "
                "savings at 6 salaries, full contribution at 12 bimesters, full stability at 6 bimesters, "
                "temporary workers half, employer's record full when employed)."),
    AssumedTerm("payment_to_income", "El pago mensual puede tomar hasta el 30 % del ingreso.",
                "The monthly payment may take up to 30 % of the income."),
    AssumedTerm("rate_steps", "Las tasas entre los extremos publicados se interpolan en línea recta "
                "(pasos de 0.1 UMA).", "Rates between the published ends are interpolated linearly "
                "(0.1-UMA steps)."),
    AssumedTerm("t100_income", "El modelo T100 aplica a ingresos de hasta 2 salarios mínimos al mes; sus puntos "
                "son los del modelo T1000 divididos entre 10.", "The T100 model applies to incomes up to 2 "
                "minimum wages a month; its points are the T1000 points divided by 10."),
    AssumedTerm("abroad_minimum", "Sin relación laboral (reforma de 2020) el mínimo se prorratea a las variables "
                "que se pueden calificar.", "Without a labour relation (2020 reform) the minimum is prorated "
                "to the variables that can be scored."),
    AssumedTerm("unamos", "Unamos Crédito se calcula sobre el ingreso sumado, con el plazo de la persona de "
                "menor plazo; ambas deben alcanzar los puntos.", "Unamos Crédito is computed on the combined "
                "income, with the shorter of the two terms; both people must reach the points."),
    AssumedTerm("mejoravit_term", "Mejoravit: plazo de hasta 5 años.", "Mejoravit: term up to 5 years."),
    AssumedTerm("caps_years", "Los montos máximos publicados son los de 2025; otros años usan esas cifras.",
                "The published caps are 2025's; other years carry those figures."),
    AssumedTerm("month_days", "Un mes de salario mínimo o de UMA son 30.4 días.",
                "A month of minimum wage or of UMA is 30.4 days."),
    AssumedTerm("rate_below_1_5_uma", "Antes de 2025, por debajo de 1.5 UMA se aplica la tasa de 1.91 % del "
                "inicio de la tabla publicada.", "Before 2025, below 1.5 UMA the 1.91 % rate at the start of the "
                "published table applies."),
)


@dataclass(frozen=True)
class Applicant:
    birth_date: date
    sex: str  # "H" or "M"
    monthly_salary: Decimal  # pesos; for someone abroad without a job, the income they declare
    scv_balance: Decimal
    continuous_bimesters: int
    worker_type: str  # "permanent" or "temporary"
    employed: bool  # a current formal labour relation in Mexico
    owns_home: bool = False


@dataclass(frozen=True)
class ProductOffer:
    product: str
    eligible: bool
    max_amount: Decimal
    rate: Decimal  # percent a year
    term_years: int
    monthly_payment: Decimal
    total_cost: Decimal


@dataclass(frozen=True)
class BienestarPath:
    """Vivienda para el Bienestar, its own path without points (infonavit.md, from Oct 2025): whether the
    person meets it and why (each condition missed, or the one reason it is met). It does not open the
    point-gated products; the note publishes no amount, rate or term for it, so it carries no product offer."""

    eligible: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Prequalification:
    as_of: date
    points: dict[str, int]
    total_points: int
    model: str  # "T1000" or "T100"
    minimum_points: int
    qualifies: bool  # by points only (T1000/T100): the products below are gated on it
    bienestar: BienestarPath
    products: tuple[ProductOffer, ...]
    reasons: tuple[Reason, ...]
    second_person_points: int | None = None
    assumed_caps: bool = False
    assumed: tuple[str, ...] = field(default=tuple(term.name for term in ASSUMED_TERMS))


# --- small arithmetic ---------------------------------------------------------------------------------

def age_on(birth_date: date, on: date) -> int:
    """Completed years on a date."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def _points(maximum: int, share: Decimal) -> int:
    """A share (0-1) of a variable's maximum, half-up to whole points."""
    share = min(max(share, Decimal(0)), Decimal(1))
    return int((maximum * share).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def salary_in_uma(monthly_salary: Decimal, params: ParamSnapshot) -> Decimal:
    """The income as a multiple of the monthly UMA (the unit of the rate table, infonavit.md)."""
    return Decimal(monthly_salary) / params.uma_monthly


def monthly_minimum_wage(params: ParamSnapshot, terms: PrequalificationTerms = DEFAULT_TERMS) -> Decimal:
    return params.sm_general * terms.month_days


def max_term_years(age: int, sex: str, cap: int = MAX_TERM_YEARS) -> int:
    """Term 1-30 years with age + term <= 70 (men) or 75 (women) (infonavit.md). 0: no term fits."""
    return max(0, min(cap, AGE_LIMIT[sex] - age))


def rate_for_income(uma_multiple: Decimal, on: date) -> Decimal:
    """Annual rate (percent) by income band. From 2025: 3.50 % up to 2.4 UMA, 10.45 % from 6.6 UMA, linear
    in between (ASSUMED steps). Before: the June 2021 table, linear within each band (ASSUMED steps),
    1.91 % below 1.5 UMA (ASSUMED) and 10.45 % from 6.1 UMA (infonavit.md)."""
    x = Decimal(uma_multiple).quantize(Decimal("0.1"), rounding=ROUND_DOWN)  # the tables move in 0.1 UMA
    if on >= RATES_2025_FROM:
        (low_x, low_rate), (high_x, high_rate) = RATE_2025_LOW, RATE_2025_HIGH
        if x <= low_x:
            return low_rate
        if x >= high_x:
            return high_rate
        return (low_rate + (high_rate - low_rate) * (x - low_x) / (high_x - low_x)).quantize(CENTAVO, ROUND_HALF_UP)
    if x < RATES_2021[0][0]:
        return RATES_2021[0][2]
    for start, end, rate_start, rate_end in RATES_2021:
        if start <= x <= end:
            return (rate_start + (rate_end - rate_start) * (x - start) / (end - start)).quantize(
                CENTAVO, ROUND_HALF_UP)
    return TOP_RATE


def monthly_payment(amount: Decimal, rate_percent: Decimal, months: int) -> Decimal:
    """The fixed payment of a pesos credit (infonavit.md: payments fixed for the life of the credit):
    the French annuity, half-up to centavos; never a centavo short of repaying the amount in `months`."""
    amount = Decimal(amount)
    if months <= 0 or amount <= 0:
        return ZERO
    i = Decimal(rate_percent) / Decimal(1200)
    exact = amount / months if i == 0 else amount * i / (1 - (1 + i) ** -months)
    payment = to_centavos(exact)
    floor = (amount / months).quantize(CENTAVO, rounding=ROUND_UP)
    return max(payment, floor)


def present_value(payment: Decimal, rate_percent: Decimal, months: int) -> Decimal:
    """The amount a fixed monthly payment repays in `months` at the rate, half-up to centavos."""
    if months <= 0 or payment <= 0:
        return ZERO
    i = Decimal(rate_percent) / Decimal(1200)
    exact = payment * months if i == 0 else payment * (1 - (1 + i) ** -months) / i
    return to_centavos(exact)


def _offer(product: str, eligible: bool, amount: Decimal, rate: Decimal, years: int) -> ProductOffer:
    amount = to_centavos(max(amount, ZERO))
    months = years * 12
    payment = monthly_payment(amount, rate, months)
    return ProductOffer(product=product, eligible=eligible and amount > 0 and years > 0, max_amount=amount,
                        rate=rate, term_years=years, monthly_payment=payment, total_cost=to_centavos(payment * months))


# --- points -------------------------------------------------------------------------------------------

def score(person: Applicant, on: date, params: ParamSnapshot,
          terms: PrequalificationTerms = DEFAULT_TERMS) -> tuple[dict[str, int], list[Reason]]:
    """Points by variable (published maxima, ASSUMED scales) and a reason for every variable at zero."""
    reasons: list[Reason] = []
    age = age_on(person.birth_date, on)
    salary_share = salary_in_uma(person.monthly_salary, params) / terms.full_salary_uma
    if age <= terms.full_age_until:
        age_factor = Decimal(1)
    else:
        fall = (Decimal(1) - terms.age_factor_at_65) * (age - terms.full_age_until) / (65 - terms.full_age_until)
        age_factor = max(terms.age_factor_at_65, Decimal(1) - fall)
    scv_share = (person.scv_balance / (terms.full_scv_salaries * person.monthly_salary)
                 if person.monthly_salary > 0 else (Decimal(1) if person.scv_balance > 0 else Decimal(0)))
    continuous_share = Decimal(person.continuous_bimesters) / terms.full_continuous_bimesters
    points = {
        "age_salary": _points(PUBLISHED_MAXIMA["age_salary"], min(salary_share, Decimal(1)) * age_factor),
        "scv_savings": _points(PUBLISHED_MAXIMA["scv_savings"], scv_share),
        "continuous_contribution": _points(PUBLISHED_MAXIMA["continuous_contribution"], continuous_share),
        "worker_type": 0, "job_stability": 0, "employer_record": 0,
        "other": _points(terms.other_maximum, continuous_share),
    }
    if person.employed:
        points["worker_type"] = _points(PUBLISHED_MAXIMA["worker_type"],
                                        Decimal(1) if person.worker_type == "permanent" else terms.temporary_share)
        points["job_stability"] = _points(PUBLISHED_MAXIMA["job_stability"],
                                          Decimal(person.continuous_bimesters) / terms.full_stability_bimesters)
        points["employer_record"] = PUBLISHED_MAXIMA["employer_record"]  # presumed in good standing (ASSUMED)
    else:
        # 2020 reform (infonavit.md, "Living abroad"): no labour relation required; these cannot score.
        for name in LABOUR_VARIABLES:
            reasons.append(Reason(f"zero_{name}", "Sin relación laboral vigente no se califica esta variable "
                                  f"({name}); la reforma de 2020 permite solicitar crédito sin ella.",
                                  f"Without a current labour relation this variable ({name}) cannot score; the "
                                  "2020 reform allows applying without one."))
    if points["age_salary"] == 0:
        reasons.append(Reason("zero_age_salary", "Sin ingreso declarado, edad y salario no suman puntos.",
                              "With no income declared, age and salary score nothing."))
    if points["scv_savings"] == 0:
        reasons.append(Reason("zero_scv_savings", "Sin saldo en la subcuenta de vivienda, el ahorro no suma puntos.",
                              "With no housing-subaccount balance, savings score nothing."))
    if points["continuous_contribution"] == 0:
        reasons.append(Reason("zero_continuous_contribution", "Sin bimestres de cotización continua, esta "
                              "variable y el resto del modelo no suman puntos.", "With no bimesters of continuous "
                              "contribution, this variable and the rest of the model score nothing."))
    return points, reasons


def bienestar_path(person: Applicant, on: date, params: ParamSnapshot,
                   terms: PrequalificationTerms = DEFAULT_TERMS) -> BienestarPath:
    """Vivienda para el Bienestar, no points from Oct 2025: formal job, income 1-2 SM, no own home, 6 months
    of contribution (infonavit.md). A reason for every condition missed."""
    sm = monthly_minimum_wage(params, terms)
    low, high = to_centavos(sm), to_centavos(2 * sm)  # as shown; the test uses the exact figures
    missed: list[Reason] = []
    if on < BIENESTAR_FROM:
        missed.append(Reason("bienestar_not_yet", "Vivienda para el Bienestar rige desde octubre de 2025.",
                             "Vivienda para el Bienestar applies from October 2025."))
    if not person.employed:
        missed.append(Reason("bienestar_no_job", "Vivienda para el Bienestar pide empleo formal.",
                             "Vivienda para el Bienestar asks for a formal job."))
    if not sm <= person.monthly_salary <= 2 * sm:
        missed.append(Reason("bienestar_income", f"Vivienda para el Bienestar pide un ingreso de 1 a 2 salarios "
                             f"mínimos al mes (${money(low)} a ${money(high)}); el declarado es "
                             f"${money(person.monthly_salary)}.", "Vivienda para el Bienestar asks for an income of "
                             f"1-2 minimum wages a month (${money(low)} to ${money(high)}); the declared income "
                             f"is ${money(person.monthly_salary)}."))
    if person.owns_home:
        missed.append(Reason("bienestar_owns_home", "Vivienda para el Bienestar es para quien no tiene vivienda "
                             "propia.", "Vivienda para el Bienestar is for people without a home of their own."))
    if person.continuous_bimesters < terms.bienestar_min_bimesters:
        missed.append(Reason("bienestar_contribution", f"Vivienda para el Bienestar pide 6 meses de cotización "
                             f"({terms.bienestar_min_bimesters} bimestres); se declaran "
                             f"{person.continuous_bimesters}.", "Vivienda para el Bienestar asks for 6 months of "
                             f"contribution ({terms.bienestar_min_bimesters} bimesters); "
                             f"{person.continuous_bimesters} declared."))
    if missed:
        return BienestarPath(eligible=False, reasons=tuple(missed))
    return BienestarPath(eligible=True, reasons=(Reason(
        "bienestar_met", "Cumple Vivienda para el Bienestar, que no pide puntos (empleo formal, ingreso de 1 a 2 "
        "salarios mínimos, sin vivienda propia, 6 meses cotizando); se tramita como programa propio.",
        "Meets Vivienda para el Bienestar, which asks no points (formal job, income of 1-2 minimum wages, no own "
        "home, 6 months of contribution); it is applied for as a programme of its own."),))


def _minimum(person: Applicant, on: date, params: ParamSnapshot, terms: PrequalificationTerms) -> tuple[str, int]:
    """The model and its minimum: T100 for low incomes from 2025 (ASSUMED threshold), else T1000; without a
    labour relation the minimum is prorated to what can score (ASSUMED)."""
    if on >= T100_FROM and person.monthly_salary <= terms.low_income_sm * monthly_minimum_wage(params, terms):
        model, minimum = "T100", T100_MINIMUM
    else:
        model, minimum = "T1000", T1000_MINIMUM
    if not person.employed:
        total = sum(PUBLISHED_MAXIMA.values()) + terms.other_maximum
        available = total - sum(PUBLISHED_MAXIMA[name] for name in LABOUR_VARIABLES)
        minimum = int((Decimal(minimum) * available / total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return model, minimum


def _qualifies(person: Applicant, on: date, params: ParamSnapshot,
               terms: PrequalificationTerms) -> tuple[dict[str, int], int, str, int, bool, list[Reason]]:
    points, reasons = score(person, on, params, terms)
    total = sum(points.values())
    model, minimum = _minimum(person, on, params, terms)
    model_total = total if model == "T1000" else int((Decimal(total) / 10).quantize(Decimal(1), ROUND_HALF_UP))
    return points, model_total, model, minimum, model_total >= minimum, reasons


# --- the whole answer ---------------------------------------------------------------------------------

def prequalify(person: Applicant, on: date, params: ParamSnapshot, second_person: Applicant | None = None,
               terms: PrequalificationTerms = DEFAULT_TERMS) -> Prequalification:
    """Points, whether the person qualifies by points (T1000/T100), each product's maximum amount, rate, term,
    monthly payment and total cost within the year's caps, and Vivienda para el Bienestar as its own path: it
    asks no points but does not open the point-gated products (infonavit.md)."""
    points, total, model, minimum, qualifies, reasons = _qualifies(person, on, params, terms)
    bienestar = bienestar_path(person, on, params, terms)
    if qualifies:
        reasons.append(Reason("points_reached", f"Alcanza {total} puntos; el mínimo del modelo {model} es {minimum}.",
                              f"Reaches {total} points; the {model} model's minimum is {minimum}."))
    else:
        reasons.append(Reason("points_short", f"Suma {total} puntos; el mínimo del modelo {model} es {minimum}.",
                              f"Scores {total} points; the {model} model's minimum is {minimum}."))
    if bienestar.eligible:
        if qualifies:
            reasons.append(Reason("bienestar", "También cumple Vivienda para el Bienestar, un programa aparte que no "
                                  "pide puntos.", "Also meets Vivienda para el Bienestar, a separate programme that "
                                  "asks no points."))
        else:
            reasons.append(Reason("bienestar", "Sin los puntos no tiene los productos de abajo, pero cumple Vivienda "
                                  "para el Bienestar, un programa aparte que no pide puntos.", "Without the points "
                                  "the products below are not available, but Vivienda para el Bienestar applies: a "
                                  "separate programme that asks no points."))
    caps = caps_for(on.year)
    age = age_on(person.birth_date, on)
    years = max_term_years(age, person.sex)
    if years == 0:
        reasons.append(Reason("no_term", f"A los {age} años no cabe un plazo: edad más plazo no puede pasar de "
                              f"{AGE_LIMIT[person.sex]}.", f"At {age} no term fits: age plus term cannot exceed "
                              f"{AGE_LIMIT[person.sex]}."))
    capacity = to_centavos(person.monthly_salary * terms.payment_to_income)
    rate = rate_for_income(salary_in_uma(person.monthly_salary, params), on)

    def capped(amount: Decimal, cap: Decimal, product: str) -> Decimal:
        if amount > cap:
            reasons.append(Reason(f"cap_{product}", f"El monto se limita al máximo del año: ${money(cap)}.",
                                  f"The amount is limited to the year's maximum: ${money(cap)}."))
            return cap
        return amount

    credito = _offer("credito_infonavit", qualifies,
                     capped(present_value(capacity, rate, years * 12), caps.credito_infonavit, "credito_infonavit"),
                     rate, years)
    cofinavit = _offer("cofinavit", qualifies,
                       capped(present_value(capacity, TOP_RATE, years * 12), caps.cofinavit, "cofinavit"),
                       TOP_RATE, years)
    # Mejoravit: at most 90 % of the SCV and the year's cap; 10 % up to 41,273.47, 11 % above (infonavit.md).
    mejoravit_years = min(years, terms.mejoravit_max_years)
    wanted = min(to_centavos(person.scv_balance * MEJORAVIT_SCV_SHARE), caps.mejoravit)
    mejoravit_rate = MEJORAVIT_RATES[0] if wanted <= MEJORAVIT_RATE_THRESHOLD else MEJORAVIT_RATES[1]
    mejoravit_amount = min(wanted, present_value(capacity, mejoravit_rate, mejoravit_years * 12))
    mejoravit_rate = MEJORAVIT_RATES[0] if mejoravit_amount <= MEJORAVIT_RATE_THRESHOLD else MEJORAVIT_RATES[1]
    mejoravit = _offer("mejoravit", qualifies, mejoravit_amount, mejoravit_rate, mejoravit_years)
    products = [credito]
    second_total = None
    if second_person is not None:
        # Unamos Crédito (ASSUMED shape): combined income, the shorter term, both people reach the points.
        _, second_total, _, _, second_by_points, _ = _qualifies(second_person, on, params, terms)
        second_ok = second_by_points  # Unamos is point-gated: Bienestar does not open it
        if not second_ok:
            reasons.append(Reason("second_person_short", "La segunda persona no alcanza los puntos para Unamos.",
                                  "The second person does not reach the points for Unamos."))
        joint_years = min(years, max_term_years(age_on(second_person.birth_date, on), second_person.sex))
        joint_income = person.monthly_salary + second_person.monthly_salary
        joint_rate = rate_for_income(salary_in_uma(joint_income, params), on)
        joint_capacity = to_centavos(joint_income * terms.payment_to_income)
        products.append(_offer("unamos", qualifies and second_ok,
                               capped(present_value(joint_capacity, joint_rate, joint_years * 12), caps.unamos,
                                      "unamos"), joint_rate, joint_years))
    products += [cofinavit, mejoravit]
    if caps.assumed:
        reasons.append(Reason("caps_assumed", f"Los montos máximos de {on.year} no están publicados: se usan los de "
                              "2025 (supuesto).", f"The {on.year} maximum amounts are not published: 2025's are "
                              "used (assumed)."))
    return Prequalification(as_of=on, points=points, total_points=total, model=model, minimum_points=minimum,
                            qualifies=qualifies, bienestar=bienestar, products=tuple(products),
                            reasons=tuple(reasons), second_person_points=second_total, assumed_caps=caps.assumed)
