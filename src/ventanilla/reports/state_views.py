"""The state-level report in the style of seed 001 (Michoacán): one state, the relief solutions granted there
(people and discounts), DLA, VSM credits converted, and the window-payment flow by year as a bar chart.
Printable (web/base.html's print styles). Figures come from the indicator registry, like the dashboards,
so the numbers are the API's; an officer's consulate is forced by indicators.compute."""

from django.http import Http404
from django.shortcuts import render

from ventanilla.people import access
from ventanilla.people.decorators import role_required
from ventanilla.people.models import MEXICAN_STATES
from ventanilla.reports import indicators
from ventanilla.reports.indicators import Filters
from ventanilla.reports.snapshots import STATE_REPORT_INDICATORS
from ventanilla.reports.views import _query, panel, read_filters


@role_required(access.FIGURES_ROLES)
def state_report(request, state: str):
    names = dict(MEXICAN_STATES)
    code = state.upper()
    if code not in names:
        raise Http404
    form, filters = read_filters(request)
    panels = []
    if filters is not None:
        filters = Filters(filters.start, filters.end, code, filters.consulate)  # the page's state, whatever asked
        panels = [panel(request.user, indicators.get_indicator(name), filters) for name in STATE_REPORT_INDICATORS]
    return render(request, "reports/state_report.html",
                  {"state": code, "state_name": names[code], "form": form, "panels": panels,
                   "query": _query(request), "states": MEXICAN_STATES}, status=422 if filters is None else 200)
