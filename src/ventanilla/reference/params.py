"""The parameter snapshot every rule receives: plain immutable values, no database, no clock."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class BranchRate:
    branch: str
    article: str
    base: str  # "sbc", "uma" or "sbc_over_3_uma"
    employer_rate: Decimal  # percent
    worker_rate: Decimal  # percent


@dataclass(frozen=True)
class CeavBand:
    band: int
    minimum_wage_only: bool
    upper_uma: Decimal | None  # None: no upper limit
    rate: Decimal  # percent


@dataclass(frozen=True)
class ParamSnapshot:
    on: date
    uma_daily: Decimal
    uma_monthly: Decimal
    uma_annual: Decimal
    sm_general: Decimal
    sm_zlfn: Decimal | None
    umi_daily: Decimal | None = None
    vsm_adjustment_rate: Decimal | None = None  # percent, for the calendar year of `on`
    branch_rates: dict[str, BranchRate] = field(default_factory=dict)
    ceav_bands: tuple[CeavBand, ...] = ()
    work_risk_premiums: dict[str, Decimal] = field(default_factory=dict)
    usd_mxn: Decimal | None = None
    assumed: tuple[str, ...] = ()  # names of the values above that no official text confirms

    def minimum_wage(self, zone: str) -> Decimal:
        """Minimum wage of a zone: "general" or "zlfn" (northern border free zone, from 2019)."""
        if zone == "zlfn":
            if self.sm_zlfn is None:
                raise ParamsUnavailable("sm_zlfn", self.on)
            return self.sm_zlfn
        return self.sm_general

    def require(self, name: str):
        value = getattr(self, name)
        if value is None or value == {} or value == ():
            raise ParamsUnavailable(name, self.on)
        return value


class ParamsUnavailable(LookupError):
    """No parameter row covers the date: never a silent default."""

    def __init__(self, parameter: str, on: date):
        self.parameter = parameter
        self.on = on
        super().__init__(f"{parameter} has no value in force on {on.isoformat()}")
