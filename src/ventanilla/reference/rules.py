"""Pure rules over parameter values."""

from decimal import Decimal

from ventanilla.core.money import round_to


def vsm_adjustment_rate(sm_previous: Decimal, sm_current: Decimal,
                        uma_previous: Decimal, uma_current: Decimal) -> Decimal:
    """Yearly adjustment of VSM credits, percent to two decimals.

    Infonavit's default rule since 2016 (UMA law, DOF 27-01-2016; shared/domain/reference-values.md):
    a = min(% rise of the minimum wage, % rise of the UMA). The board may override it for a year.
    """
    sm_rise = sm_current / sm_previous - 1
    uma_rise = uma_current / uma_previous - 1
    return round_to(min(sm_rise, uma_rise) * 100, 2)


def next_umi(umi_previous: Decimal, rate_percent: Decimal) -> Decimal:
    """UMI_t = UMI_{t-1} × (1 + a), to centavos (Infonavit; shared/domain/reference-values.md)."""
    return round_to(umi_previous * (1 + rate_percent / 100), 2)
