"""Reads of parameters and catalogues."""

from datetime import date

from django.core.cache import cache
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.reference.models import (
    CeavEmployerRate,
    Consulate,
    ConsulateService,
    ExchangeRate,
    ImssBranchRate,
    MinimumWage,
    Uma,
    VsmAdjustment,
    WorkRiskPremium,
)
from ventanilla.reference.params import BranchRate, CeavBand, ParamSnapshot, ParamsUnavailable

VERSION_KEY = "reference:version"


def _in_force(queryset, on: date):
    return queryset.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))


def _one(model, on: date, name: str, required: bool = True):
    row = _in_force(model.objects.all(), on).order_by("-valid_from").first()
    if row is None and required:
        raise ParamsUnavailable(name, on)
    return row


def reference_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def params_at(on: date) -> ParamSnapshot:
    """The parameters in force on a date. Cached per date; any parameter change bumps the version."""
    key = f"reference:params:{reference_version()}:{on.isoformat()}"
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = _build_snapshot(on)
        cache.set(key, snapshot, timeout=3600)
    return snapshot


def _build_snapshot(on: date) -> ParamSnapshot:
    uma = _one(Uma, on, "uma")
    wage = _one(MinimumWage, on, "minimum_wage")
    vsm = vsm_adjustment_at(on)
    usd = _in_force(ExchangeRate.objects.filter(currency="USD"), on).order_by("-valid_from").first()
    assumed = [
        name
        for name, row in (("uma", uma), ("minimum_wage", wage), ("umi", vsm), ("usd_mxn", usd))
        if row is not None and row.assumed
    ]
    branches = {
        row.branch: BranchRate(row.branch, row.article, row.base, row.employer_rate, row.worker_rate)
        for row in _in_force(ImssBranchRate.objects.all(), on)
    }
    bands = tuple(
        CeavBand(row.band, row.minimum_wage_only, row.upper_uma, row.rate)
        for row in _in_force(CeavEmployerRate.objects.all(), on).order_by("band")
    )
    premiums = {row.risk_class: row.premium for row in _in_force(WorkRiskPremium.objects.all(), on)}
    return ParamSnapshot(
        on=on,
        uma_daily=uma.daily,
        uma_monthly=uma.monthly,
        uma_annual=uma.annual,
        sm_general=wage.general,
        sm_zlfn=wage.zlfn,
        umi_daily=vsm.umi_daily if vsm else None,
        vsm_adjustment_rate=vsm.rate if vsm else None,
        branch_rates=branches,
        ceav_bands=bands,
        work_risk_premiums=premiums,
        usd_mxn=usd.rate if usd else None,
        assumed=tuple(assumed),
    )


PARAMETER_LABELS = {
    "uma": "UMA", "minimum_wage": gettext_lazy("salario mínimo"), "sm_zlfn": gettext_lazy("salario mínimo ZLFN"),
    "umi": "UMI", "umi_daily": "UMI", "usd_mxn": gettext_lazy("tipo de cambio USD"),
}


def unavailable_message(exc: ParamsUnavailable) -> str:
    """The user-facing sentence for a date no parameter row covers."""
    return _("No hay valores de %(parameter)s vigentes el %(date)s.") % {
        "parameter": PARAMETER_LABELS.get(exc.parameter, exc.parameter), "date": exc.on.isoformat()}


def vsm_adjustment_at(on: date) -> VsmAdjustment | None:
    """The yearly VSM adjustment row in force on a date (rate, who decided it, whether it is assumed)."""
    return _one(VsmAdjustment, on, "umi", required=False)


def flag_enabled(key: str, on: date) -> bool:
    """A programme flag in force on a date; a flag with no row is off."""
    from ventanilla.reference.models import ProgramFlag

    row = _in_force(ProgramFlag.objects.filter(key=key), on).order_by("-valid_from").first()
    return bool(row and row.enabled)


def known_range() -> tuple[date, date | None]:
    """First and last dates for which both the UMA and the minimum wage are known."""
    starts = [Uma.objects.order_by("valid_from").values_list("valid_from", flat=True).first(),
              MinimumWage.objects.order_by("valid_from").values_list("valid_from", flat=True).first()]
    ends = [Uma.objects.order_by("-valid_from").values_list("valid_to", flat=True).first(),
            MinimumWage.objects.order_by("-valid_from").values_list("valid_to", flat=True).first()]
    known_ends = [end for end in ends if end is not None]
    return max(s for s in starts if s), (min(known_ends) if known_ends else None)


def consulates():
    return Consulate.objects.filter(active=True).order_by("country", "city")


def service_opening(consulate: Consulate, service: str) -> date | None:
    return (
        ConsulateService.objects.filter(consulate=consulate, service=service)
        .values_list("opens_on", flat=True)
        .first()
    )
