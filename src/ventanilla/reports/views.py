"""The dashboards (/tablero/imss/, /tablero/infonavit/, /tablero/mi-cuenta/), the exports of each table and the
monthly PDF on demand. Every figure comes from reports.indicators.compute (one registry, one access rule)."""

from datetime import date

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.core.errors import DomainError
from ventanilla.core.forms import DomainErrorsMixin
from ventanilla.people import access
from ventanilla.people.decorators import domain_http, role_required
from ventanilla.people.models import MEXICAN_STATES
from ventanilla.reference.models import Consulate
from ventanilla.reports import charts, exports, indicators
from ventanilla.reports.indicators import Filters, plain

# URL slug → the indicators' domain and the page's heading.
DOMAINS = {
    "imss": ("imss", gettext_lazy("Tablero IMSS")),
    "infonavit": ("infonavit", gettext_lazy("Tablero Infonavit")),
    "mi-cuenta": ("mi_cuenta", gettext_lazy("Tablero Mi Cuenta")),
}


class FilterForm(DomainErrorsMixin, forms.Form):
    """Only shows the filters and their errors: the values are parsed by indicators.parse_filters (one path)."""

    # Months, not days (issue 6 privacy: ranges a day apart could single a person out); a YYYY-MM-DD in the
    # query string is accepted and shown as its month.
    start = forms.CharField(label=gettext_lazy("Desde"), required=False,
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"}),
                            help_text=gettext_lazy("Desde el primer día de este mes."))
    end = forms.CharField(label=gettext_lazy("Hasta"), required=False,
                          widget=forms.TextInput(attrs={"type": "month", "placeholder": "AAAA-MM"}),
                          help_text=gettext_lazy("Hasta el último día de este mes (vacío: el mes en curso)."))
    state = forms.CharField(label=gettext_lazy("Estado"), required=False, widget=forms.Select())
    consulate = forms.CharField(label=gettext_lazy("Consulado"), required=False, widget=forms.Select())

    def __init__(self, data, *, confined_to: int | None):
        super().__init__(data)
        self.fields["state"].widget.choices = [("", _("Todos"))] + list(MEXICAN_STATES)
        consulates = Consulate.objects.order_by("name_es")
        if confined_to is not None:
            # An officer's figures are their consulate's, whatever the query string says: the filter shows it.
            consulates = consulates.filter(pk=confined_to)
            self.fields["consulate"].widget.attrs["disabled"] = True
            self.fields["consulate"].help_text = _("Como personal consular, ve solo las cifras de su consulado.")
            self.fields["consulate"].widget.choices = [(c.pk, c.name_es) for c in consulates]
        else:
            self.fields["consulate"].widget.choices = [("", _("Todos"))] + [(c.pk, c.name_es) for c in consulates]


def read_filters(request) -> tuple[FilterForm, Filters | None]:
    """The filter form for the page and the parsed Filters, or None when a filter is wrong (errors on the form)."""
    scope = indicators.scope_of(request.user)
    data = {key: request.GET.get(key, "") for key in ("start", "end", "state", "consulate")}
    if scope.consulate is not None:
        data["consulate"] = str(scope.consulate)
    try:
        filters = indicators.parse_filters(data)
    except DomainError as exc:
        form = FilterForm(data, confined_to=scope.consulate)
        form.is_valid()
        form.add_domain_errors(exc)
        return form, None
    # The form shows the months the figures cover (a day asked for becomes its month).
    shown = {**data, **{key: getattr(filters, key).strftime("%Y-%m") for key in ("start", "end")
                        if getattr(filters, key)}}
    form = FilterForm(shown, confined_to=scope.consulate)
    form.is_valid()
    return form, filters


def panel(user, indicator, filters: Filters) -> dict:
    """One indicator as the dashboard shows it: its table, its chart (SVG) and where it comes from."""
    table = indicators.compute(user, indicator.name, filters)
    svg = charts.render(table, indicator.chart, empty_text=_("Sin datos para estos filtros.")) if indicator.chart \
        else ""
    headers = [{"key": c.key, "label": c.label, "numeric": c.kind not in ("text", "date", "month")}
               for c in table.columns]
    # Cells as the API and the CSV give them (decimal strings, ISO dates): the page's numbers are the API's.
    rows = [[{"value": plain(row.get(c["key"])), "numeric": c["numeric"]} for c in headers] for row in table.rows]
    return {"indicator": indicator, "table": table, "svg": mark_safe(svg), "headers": headers, "rows": rows,  # noqa: S308  (charts escapes every text)
            "computed": indicators.computed_label(table)}


def _query(request) -> str:
    return request.GET.urlencode()


@role_required(access.FIGURES_ROLES)
def dashboard(request, domain: str):
    if domain not in DOMAINS:
        raise Http404
    key, heading = DOMAINS[domain]
    form, filters = read_filters(request)
    panels = [panel(request.user, i, filters) for i in indicators.indicators_for(key)] if filters else []
    return render(request, "reports/dashboard.html",
                  {"heading": heading, "form": form, "panels": panels, "query": _query(request),
                   "domains": DOMAINS}, status=422 if filters is None else 200)


@role_required(access.FIGURES_ROLES)
@domain_http
def export(request, indicator: str, extension: str):
    indicators.get_indicator(indicator)
    try:
        filters = indicators.parse_filters(request.GET)
    except DomainError as exc:
        text = "\n".join(f"{e.field}: {e.message}" for e in exc.errors)
        return HttpResponse(text, status=422, content_type="text/plain; charset=utf-8")
    table = indicators.compute(request.user, indicator, filters)
    if extension == "csv":
        response = HttpResponse(exports.table_csv(table).encode("utf-8"), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(exports.table_xlsx(table), content_type="application/vnd.openxmlformats-"
                                "officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{indicator}.{extension}"'
    return response


def export_csv(request, indicator: str):
    return export(request, indicator, "csv")


def export_xlsx(request, indicator: str):
    return export(request, indicator, "xlsx")


def parse_month(text: str) -> date:
    """'YYYY-MM' → the month's first day, or ValueError."""
    year, _sep, month = text.partition("-")
    if len(year) != 4 or len(month) != 2:
        raise ValueError(text)
    return date(int(year), int(month), 1)


@role_required(access.FIGURES_ROLES)
@domain_http
def monthly_pdf(request, month: str):
    from ventanilla.reports import pdf

    try:
        first = parse_month(month)
    except ValueError:
        raise Http404 from None
    content = pdf.monthly_report_pdf(pdf.month_tables(first, user=request.user), first)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="reporte-{month}.pdf"'
    return response
