"""Infonavit's relief solutions (Cobranza Social): one pure rule per solution, each answering eligibility,
every unmet condition as a Reason (Spanish and English), and the amounts and new terms it implies.

Source: shared/domain/infonavit.md, "Relief solutions (Cobranza Social)"; seed 001; issue 4. Where the
official rule is not public the value lives in SolutionTerms and is listed in ASSUMED_TERMS.

    results = evaluate_all(facts, params_at(facts.as_of))  # the nine solutions in SOLUTION_CODES order

The public simulator builds CreditFacts from a request; a stored credit builds them from its ledger.
"""

from collections.abc import Callable

from ventanilla.infonavit.rules.solutions.arrears import bcn_reward, borron_y_cuenta_nueva, estimated_arrears
from ventanilla.infonavit.rules.solutions.base import (
    ASSUMED_TERMS,
    DEFAULT_TERMS,
    DENOMINATIONS,
    MAX_AMOUNT,
    PRODUCTS,
    SEXES,
    SOLUTION_CODES,
    AssumedTerm,
    CreditFacts,
    RateBand,
    SolutionResult,
    SolutionTerms,
    present_value,
)
from ventanilla.infonavit.rules.solutions.conversion import (
    continuous_payments,
    rc_rate,
    responsabilidad_compartida,
)
from ventanilla.infonavit.rules.solutions.payoff import (
    DlaPaymentOutcome,
    dla_payment_outcome,
    early_payoff_discount,
)
from ventanilla.infonavit.rules.solutions.relief import (
    apoyo_a_jubilados,
    dictamen_capacidad_de_pago,
    fondo_de_proteccion_de_pagos,
    paro_tecnico,
    prorroga,
    solucion_a_tu_medida,
)
from ventanilla.reference.params import ParamSnapshot

Rule = Callable[[CreditFacts, ParamSnapshot, SolutionTerms], SolutionResult]

RULES: dict[str, Rule] = {
    "RC": responsabilidad_compartida,
    "DLA": early_payoff_discount,
    "BCN": borron_y_cuenta_nueva,
    "JUBILADOS": apoyo_a_jubilados,
    "DCP": dictamen_capacidad_de_pago,
    "STM": solucion_a_tu_medida,
    "PARO_TECNICO": paro_tecnico,
    "FPP": fondo_de_proteccion_de_pagos,
    "PRORROGA": prorroga,
}
assert tuple(RULES) == SOLUTION_CODES


def evaluate_all(facts: CreditFacts, params: ParamSnapshot,
                 terms: SolutionTerms = DEFAULT_TERMS) -> list[SolutionResult]:
    """Every solution for one credit, in the fixed order of SOLUTION_CODES. `params` is the snapshot in
    force on `facts.as_of`."""
    if params.on != facts.as_of:
        raise ValueError(f"the solutions use the parameters in force on {facts.as_of}, not those of {params.on}")
    return [rule(facts, params, terms) for rule in RULES.values()]


__all__ = [
    "ASSUMED_TERMS", "DEFAULT_TERMS", "DENOMINATIONS", "MAX_AMOUNT", "PRODUCTS", "RULES", "SEXES", "SOLUTION_CODES",
    "AssumedTerm", "CreditFacts", "DlaPaymentOutcome", "RateBand", "SolutionResult", "SolutionTerms",
    "apoyo_a_jubilados", "bcn_reward", "borron_y_cuenta_nueva", "continuous_payments",
    "dictamen_capacidad_de_pago", "dla_payment_outcome", "early_payoff_discount", "estimated_arrears",
    "evaluate_all", "fondo_de_proteccion_de_pagos", "paro_tecnico", "present_value", "prorroga", "rc_rate",
    "responsabilidad_compartida", "solucion_a_tu_medida",
]
