from datetime import date

from django.utils import translation
from ninja import Router, Schema

from ventanilla.core.throttling import public_throttle
from ventanilla.reference import selectors

router = Router(tags=["reference"])


class ParamsOut(Schema):
    date: date
    uma_daily: str
    uma_monthly: str
    sm_general: str
    sm_zlfn: str | None
    umi_daily: str | None
    assumed: list[str]


class ConsulateOut(Schema):
    code: str
    kind: str
    name: str
    city: str
    region: str
    country: str


def _text(value) -> str | None:
    return None if value is None else str(value)


@router.get("/params", response=ParamsOut, auth=None, throttle=public_throttle(),
            summary="Parameters in force on a date (UMA, minimum wages, UMI)")
def params(request, date: date):
    snapshot = selectors.params_at(date)
    return {
        "date": date,
        "uma_daily": str(snapshot.uma_daily),
        "uma_monthly": str(snapshot.uma_monthly),
        "sm_general": str(snapshot.sm_general),
        "sm_zlfn": _text(snapshot.sm_zlfn),
        "umi_daily": _text(snapshot.umi_daily),
        "assumed": list(snapshot.assumed),
    }


@router.get("/consulates", response=list[ConsulateOut], auth=None, throttle=public_throttle(),
            summary="Mexican consular offices")
def consulates(request, country: str | None = None):
    language = translation.get_language() or "es"
    rows = selectors.consulates()
    if country:
        rows = rows.filter(country=country.upper())
    return [
        {"code": c.code, "kind": c.kind, "name": c.display_name(language), "city": c.city, "region": c.region,
         "country": c.country}
        for c in rows
    ]
