"""Reads for the staff screen of portfolio job runs: yearly VSM adjustments and campaigns."""

from django.db.models import QuerySet

from ventanilla.batch.models import CampaignRun
from ventanilla.infonavit.models import AdjustmentRun
from ventanilla.infonavit.rules.solutions import SOLUTION_CODES
from ventanilla.people.models import Role

JOB_RUN_READER_ROLES = frozenset({Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})


def adjustment_runs() -> QuerySet[AdjustmentRun]:
    return AdjustmentRun.objects.select_related("actor").order_by("-year")


def campaign_runs() -> QuerySet[CampaignRun]:
    return CampaignRun.objects.select_related("actor").order_by("-started_at", "-id")


def campaign_run(run_id) -> CampaignRun | None:
    """The campaign with this id, or None for a missing or malformed id."""
    try:
        return campaign_runs().filter(pk=int(run_id)).first()
    except (TypeError, ValueError):
        return None


def solution_rows(figures: dict) -> list[dict]:
    """A campaign's figures per solution in SOLUTION_CODES order: code, eligible credits, pesos (or None)."""
    solutions = figures.get("solutions", {})
    return [{"code": code, "eligible": solutions.get(code, {}).get("eligible", 0),
             "amount": solutions.get(code, {}).get("amount")} for code in SOLUTION_CODES]


def state_rows(figures: dict) -> list[dict]:
    """Per state: credits, eligible credits per solution (SOLUTION_CODES order), RC and DLA discounts."""
    rows = []
    for state in figures.get("by_state", []):
        solutions = state["solutions"]
        rows.append({"state": state["state"], "credits": state["credits"],
                     "eligible": [solutions[code]["eligible"] for code in SOLUTION_CODES],
                     "rc_discount": solutions["RC"].get("amount"), "dla_discount": solutions["DLA"].get("amount")})
    return rows
