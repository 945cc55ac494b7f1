"""Reads behind the Infonavit indicators (reports.indicators_infonavit): relief actually granted (the solution
applications and the ledger's discount and reward entries), VSM credits, payments at the window, and the
latest portfolio campaign's precomputed figures (batch.models.CampaignRun.figures).

"Granted" means what the ledger and the applications say happened, never eligibility: an application counts
once it was put in force (active, ended or completed), and a discount counts unless it was reversed.
Every read takes the same bounds: start/end (inclusive dates), state (the home's state, Credit.state) and
consulate (the borrower's consulate, Person.consulate).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear

from ventanilla.batch.models import CampaignRun
from ventanilla.core.money import to_centavos
from ventanilla.infonavit.models import Credit, LedgerEntry, SolutionApplication
from ventanilla.reports.memo import per_view

GRANTED = (SolutionApplication.Status.ACTIVE, SolutionApplication.Status.ENDED,
           SolutionApplication.Status.COMPLETED)
# The entries a solution posts that lower what the borrower owes: RC and DLA discounts, BCN's reward
# (shared/domain/infonavit.md, "Soluciones").
RELIEF_KINDS = (LedgerEntry.Kind.DISCOUNT, LedgerEntry.Kind.REWARD)


@dataclass(frozen=True)
class Bounds:
    start: date | None = None
    end: date | None = None
    state: str | None = None
    consulate: int | None = None


def _credits_in(queryset: QuerySet, bounds: Bounds, prefix: str) -> QuerySet:
    """Bound a queryset by the credit reached through `prefix` (e.g. "credit__")."""
    if bounds.state:
        queryset = queryset.filter(**{f"{prefix}state": bounds.state})
    if bounds.consulate is not None:
        queryset = queryset.filter(**{f"{prefix}borrower__consulate_id": bounds.consulate})
    return queryset


def _dated(queryset: QuerySet, bounds: Bounds, field: str) -> QuerySet:
    if bounds.start:
        queryset = queryset.filter(**{f"{field}__gte": bounds.start})
    if bounds.end:
        queryset = queryset.filter(**{f"{field}__lte": bounds.end})
    return queryset


def _relief_entries(bounds: Bounds) -> QuerySet:
    entries = LedgerEntry.objects.filter(kind__in=RELIEF_KINDS, application__isnull=False,
                                         reversed_by__isnull=True)
    return _dated(_credits_in(entries, bounds, "credit__"), bounds, "posted_on")


@per_view
def solution_figures(bounds: Bounds, code: str | None = None) -> list[dict]:
    """Per state and solution: people helped and pesos of discounts granted in the period.

    People: distinct borrowers whose granted solution started in the period or gave them a discount in it
    (with no start or end, every granted application counts).
    Discounts: the discount and reward entries posted in the period (as positive pesos), reversed ones left out;
    discount_people: the distinct borrowers behind those entries (the group the sum could point at).
    """
    applications = _credits_in(SolutionApplication.objects.filter(status__in=GRANTED), bounds, "credit__")
    if code:
        applications = applications.filter(code=code)
    if bounds.start or bounds.end:
        started = Q(starts_on__gte=bounds.start) if bounds.start else Q()
        started &= Q(starts_on__lte=bounds.end) if bounds.end else Q()
        helped = applications.filter(started | Q(pk__in=_relief_entries(bounds).values("application_id")))
    else:  # no bounds: every granted application (an empty Q() would vanish from `Q() | X`)
        helped = applications
    people = {(r["credit__state"], r["code"]): r["people"] for r in
              helped.values("credit__state", "code").annotate(people=Count("credit__borrower_id", distinct=True))}
    entries = _relief_entries(bounds)
    if code:
        entries = entries.filter(application__code=code)
    pesos = {(r["credit__state"], r["application__code"]): r for r in
             entries.values("credit__state", "application__code").annotate(
                 discount=Sum("amount"), discount_people=Count("credit__borrower_id", distinct=True))}
    return [{"state": state, "solution": solution, "people": people.get((state, solution), 0),
             "discount": -to_centavos(pesos.get((state, solution), {}).get("discount") or 0),  # entries lower the balance
             "discount_people": pesos.get((state, solution), {}).get("discount_people", 0)}
            for state, solution in sorted(set(people) | set(pesos))]


@per_view
def vsm_figures(bounds: Bounds) -> list[dict]:
    """Per state: VSM credits still in force today (vsm_left), and RC conversions to pesos posted in the period
    (not reversed) with the distinct borrowers converted (vsm_converted)."""
    return vsm_rows(vsm_left(bounds), vsm_converted(bounds))


def vsm_left(bounds: Bounds) -> list[dict]:
    """VSM credits in force today by state, with their distinct borrowers, whatever the dates (live count: the
    partial index credit_vsm_adjustable_idx does not cover frozen credits, so this reads the credits table)."""
    left = _credits_in(Credit.objects.filter(denomination=Credit.Denomination.VSM, status=Credit.Status.ACTIVE),
                       bounds, "")
    return list(left.values("state").annotate(credits=Count("id"), people=Count("borrower_id", distinct=True))
                .order_by("state"))


def vsm_converted(bounds: Bounds) -> list[dict]:
    """RC conversions to pesos posted in the period (not reversed) by state: credits and distinct borrowers."""
    conversions = _dated(_credits_in(LedgerEntry.objects.filter(kind=LedgerEntry.Kind.CONVERSION,
                                                                reversed_by__isnull=True), bounds, "credit__"),
                         bounds, "posted_on")
    return [{"state": r["credit__state"], "credits": r["credits"], "people": r["people"]}
            for r in conversions.values("credit__state").annotate(
                credits=Count("credit_id", distinct=True), people=Count("credit__borrower_id", distinct=True))
            .order_by("credit__state")]


def vsm_rows(left: list[dict], converted: list[dict]) -> list[dict]:
    left_by_state = {r["state"]: r for r in left}
    converted_by_state = {r["state"]: r for r in converted}
    rows = []
    for state in sorted(set(left_by_state) | set(converted_by_state)):
        left_row = left_by_state.get(state, {})
        converted_row = converted_by_state.get(state, {})
        rows.append({"state": state, "vsm_left": left_row.get("credits", 0), "vsm_people": left_row.get("people", 0),
                     "converted": converted_row.get("credits", 0),
                     "converted_people": converted_row.get("people", 0)})
    return rows


@per_view
def window_payments_live(bounds: Bounds) -> list[dict]:
    """Payments taken at the window by year, read from the ledger: what the borrower handed over
    (applied plus excess), reversed payments left out: the same reading as batch.services.window_payments,
    which precomputes it for the whole portfolio."""
    payments = LedgerEntry.objects.filter(kind=LedgerEntry.Kind.PAYMENT, channel="window", reversed_by__isnull=True)
    payments = _dated(_credits_in(payments, bounds, "credit__"), bounds, "posted_on")
    grouped = (payments.annotate(year=ExtractYear("posted_on")).values("year")
               .annotate(payments=Count("id"), people=Count("credit__borrower_id", distinct=True),
                         amount=Sum(F("excess") - F("amount")))
               .order_by("year"))
    return [{"year": int(r["year"]), "payments": r["payments"], "people": r["people"],
             "amount": to_centavos(r["amount"] or 0)} for r in grouped]


def latest_campaign() -> CampaignRun | None:
    """The newest finished campaign still in force (a replaced run keeps figures that are no longer current)."""
    return (CampaignRun.objects.filter(finished_at__isnull=False, replaced_by__isnull=True)
            .order_by("-finished_at", "-id").first())
