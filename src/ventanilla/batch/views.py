"""The staff screen of portfolio job runs: yearly VSM adjustments and campaigns, with their summaries."""

from decimal import Decimal

from django.shortcuts import render
from django.utils.translation import get_language

from ventanilla.batch import selectors
from ventanilla.infonavit.rules.solutions import SOLUTION_CODES
from ventanilla.people.decorators import role_required
from ventanilla.people.models import MEXICAN_STATES

STATE_NAMES = dict(MEXICAN_STATES)


@role_required(selectors.JOB_RUN_READER_ROLES)
def job_runs(request):
    campaigns = list(selectors.campaign_runs()[:50])
    chosen = selectors.campaign_run(request.GET.get("campana")) if request.GET.get("campana") else None
    if chosen is None and campaigns:
        chosen = next((run for run in campaigns if run.replaced_by_id is None), campaigns[0])
    english = (get_language() or "es").startswith("en")
    context = {"adjustments": selectors.adjustment_runs(), "campaigns": campaigns, "chosen": chosen,
               "codes": SOLUTION_CODES}
    if chosen is not None:
        context["solutions"] = selectors.solution_rows(chosen.figures)
        context["states"] = [{**row, "name": STATE_NAMES.get(row["state"], row["state"])}
                             for row in selectors.state_rows(chosen.figures)]
        context["window_payments"] = [{**row, "amount": Decimal(row["amount"]),
                                       "name": STATE_NAMES.get(row["state"], row["state"])}
                                      for row in chosen.figures.get("window_payments", [])]
        context["assumed"] = [en if english else es for _name, es, en in chosen.assumed_facts]
    return render(request, "batch/job_runs.html", context)
