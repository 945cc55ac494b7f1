"""Figures for the tablero. No group smaller than MINIMUM_GROUP_SIZE is shown (it could identify people)."""

from django.db.models import Count

from ventanilla.people.access import consulate_scope
from ventanilla.people.models import Person

MINIMUM_GROUP_SIZE = 5  # assumed: the working group's disclosure threshold; no official rule was published


def persons_by_consulate(user) -> list[dict]:
    """Persons attended per consulate; an officer sees only their consulate. Small groups are suppressed."""
    persons = Person.objects.filter(consulate__isnull=False)
    scope = consulate_scope(user)
    if scope is not None:
        persons = persons.filter(consulate_id=scope)
    rows = (persons.values("consulate__code", "consulate__name_es", "consulate__country")
            .annotate(persons=Count("id")).order_by("-persons", "consulate__code"))
    return [
        {"code": r["consulate__code"], "name": r["consulate__name_es"], "country": r["consulate__country"],
         "persons": r["persons"] if r["persons"] >= MINIMUM_GROUP_SIZE else None}
        for r in rows
    ]


# --- IMSS abroad and Mi Cuenta figures (issue 6, "imssind") -------------------------------------------------
# Each takes a reports.indicators.Filters (duck-typed here: selectors never import the indicator layer) and
# returns plain rows, people counted so the indicator can suppress groups under MINIMUM_GROUP_SIZE.

from collections import defaultdict  # noqa: E402
from datetime import date, datetime, time, timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.db.models import CharField, F, OuterRef, Q, Subquery, Sum, Value  # noqa: E402
from django.db.models.functions import TruncMonth  # noqa: E402
from django.utils import timezone  # noqa: E402

from ventanilla.core.money import round_to, to_centavos  # noqa: E402
from ventanilla.people.models import Role, User  # noqa: E402
from ventanilla.reports.memo import per_view  # noqa: E402

AFFILIATION_GROUPS = {  # what "by consulate/country/month/sex" groups on
    "consulate": ("consulate__code", "consulate__name_es"),
    "country": ("consulate__country",),
    "month": ("month",),
    "sex": ("person__sex",),
}


def as_month(value) -> date:
    """TruncMonth gives a date over a DateField and an aware datetime over a DateTimeField: always a date."""
    return value.date() if isinstance(value, datetime) else value


def first_data_month() -> date | None:
    """The 1st of the earliest month any month-row figure can count (reports.models.MonthlyRows): persons
    registered, affiliations enrolled, contribution periods starting or paid; None without any."""
    from django.db.models import Min

    from ventanilla.imss.models import Affiliation, ContributionPeriod

    days = [Person.objects.filter(consulate__isnull=False).aggregate(day=Min("created_at"))["day"],
            Affiliation.objects.aggregate(day=Min("enrolled_on"))["day"],
            *ContributionPeriod.objects.aggregate(start=Min("period_start"), paid=Min("paid_at")).values()]
    days = [timezone.localdate(day) if isinstance(day, datetime) else day for day in days if day is not None]
    return date(min(days).year, min(days).month, 1) if days else None


def report_date(filters) -> date:
    """The day "in force" figures are read on: the end of the range (the last day of its month), or today
    when that is later (a month not over yet is read as of today, never a day still to come)."""
    today = timezone.localdate()
    return min(filters.end, today) if filters.end else today


def imss_affiliations(filters, *, dated: bool = True):
    """Affiliations under the state (the Mexican address's) and consulate (where enrolled) filters;
    `dated`: enrolled inside start/end."""
    from ventanilla.imss.models import Affiliation

    rows = Affiliation.objects.all()
    if filters.state:
        rows = rows.filter(person__mx_state=filters.state)
    if filters.consulate is not None:
        rows = rows.filter(consulate_id=filters.consulate)
    if dated and filters.start:
        rows = rows.filter(enrolled_on__gte=filters.start)
    if dated and filters.end:
        rows = rows.filter(enrolled_on__lte=filters.end)
    return rows


def _state_of(person: str, by_state: bool):
    """The person's state (reached through `person`, e.g. "affiliation__person__") when grouping by state; a
    constant NULL otherwise, so one values_list serves both."""
    return F(f"{person}mx_state") if by_state else Value(None, output_field=CharField())


AFFILIATION_ROW_KEYS = {"consulate": ("code", "name"), "country": ("country",), "month": ("month",), "sex": ("sex",)}


@per_view
def affiliations_by(filters, group: str) -> list[dict]:
    """Affiliations enrolled in the range, grouped; every status counts (an ended affiliation was one)."""
    return sort_affiliations(_affiliation_groups(filters, group, by_month=False), group)


@per_view
def affiliations_by_month(filters, group: str, *, by_state: bool = False) -> dict:
    """affiliations_by for each month of the range apart (`ventanilla report refresh` stores them: a count of
    affiliations enrolled in a range is the sum of its months'): {month: rows}; by_state: {state: {month:
    rows}}, the state being the person's Mexican address as the state filter reads it."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for state, month, row in _affiliation_groups(filters, group, by_month=True, by_state=by_state):
        groups[(state, month)].append(row)
    if not by_state:
        return {month: sort_affiliations(rows, group) for (_state, month), rows in groups.items()}
    states: dict[str, dict] = defaultdict(dict)
    for (state, month), rows in groups.items():
        states[state][month] = sort_affiliations(rows, group)
    return dict(states)


def add_affiliations(months: list[list[dict]], group: str) -> list[dict]:
    """The rows of several months' affiliations_by as one range's: counts added per group."""
    keys = AFFILIATION_ROW_KEYS[group]
    added: dict[tuple, dict] = {}
    for rows in months:
        for row in rows:
            group_of = tuple(row[key] for key in keys)
            if group_of in added:
                added[group_of]["affiliations"] += row["affiliations"]
            else:
                added[group_of] = dict(row)  # the live row's key order
    return sort_affiliations(list(added.values()), group)


def sort_affiliations(rows: list[dict], group: str) -> list[dict]:
    """Months in order; other groups most first, ties by their values (in Python, not the database's
    collation, so a live table and one added from months come in the same order: suppression picks among
    equals by position)."""
    keys = AFFILIATION_ROW_KEYS[group]
    if group == "month":
        return sorted(rows, key=lambda r: r["month"])
    return sorted(rows, key=lambda r: (-r["affiliations"],
                                       *((r[key] is None, r[key] if r[key] is not None else "") for key in keys)))


def _affiliation_groups(filters, group: str, *, by_month: bool, by_state: bool = False):
    """Rows of counts by `group`; by_month: (state or None, month, row) triples, by the state too if by_state."""
    fields = AFFILIATION_GROUPS[group]
    rows = imss_affiliations(filters)
    if group == "month" or by_month:
        rows = rows.annotate(month=TruncMonth("enrolled_on"))
    values = (*fields, "month") if by_month and group != "month" else fields
    if by_state:
        values = (*values, "person__mx_state")
    result = []
    for row in rows.values(*values).annotate(affiliations=Count("id")).order_by(*values):
        value = {"affiliations": row["affiliations"]}
        if group == "consulate":
            value.update(code=row["consulate__code"], name=row["consulate__name_es"])
        elif group == "country":
            value["country"] = row["consulate__country"]
        elif group == "month":
            value["month"] = as_month(row["month"])
        else:
            value["sex"] = row["person__sex"]
        result.append((row.get("person__mx_state"), as_month(row["month"]), value) if by_month else value)
    return result


@per_view
def relatives_covered(filters, *, by_state: bool = False) -> list[dict] | dict[str, list[dict]]:
    """Beneficiaries in force on the report date, by consulate, with the workers they hang from (seed 004:
    "15,375 workers with 14,705 relatives"): registered, not yet ended, and still entitled under LSS art. 84
    on that date (a child past 16 not studying, a parent no longer dependent...), read by the same
    imss.selectors.right_on the worker's screen uses, once per distinct set of facts (many relatives share
    one: the rule reads dates and flags only). by_state: {state: rows}, the worker's state as the filter reads it."""
    from ventanilla.imss.models import Beneficiary
    from ventanilla.imss.selectors import RIGHT_FIELDS, right_on
    from ventanilla.reference.models import Consulate

    on = report_date(filters)
    affiliations = imss_affiliations(filters, dated=False).filter(enrolled_on__lte=on)
    beneficiaries = (Beneficiary.objects.filter(affiliation__in=affiliations.values("pk"), registered_on__lte=on)
                     .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on))
                     .annotate(worker_state=_state_of("affiliation__person__", by_state))
                     .values_list("affiliation_id", "affiliation__consulate_id", "worker_state", "person__birth_date",
                                  *RIGHT_FIELDS))
    holds: dict[tuple, bool] = {}
    groups: dict[tuple, dict] = {}
    for affiliation_id, consulate_id, state, *facts in beneficiaries.iterator(chunk_size=10_000):
        key = tuple(facts)
        if key not in holds:
            holds[key] = right_on(on, facts[0], **dict(zip(RIGHT_FIELDS, facts[1:], strict=True))).holds_on(on)
        if not holds[key]:
            continue
        group = groups.setdefault((state if by_state else None, consulate_id), {"workers": set(), "relatives": 0})
        group["workers"].add(affiliation_id)
        group["relatives"] += 1
    consulates = {pk: (code, name) for pk, code, name in Consulate.objects.filter(
        pk__in={pk for _state, pk in groups}).values_list("pk", "code", "name_es")}
    states: dict = defaultdict(list)
    for (state, pk), g in groups.items():
        states[state].append({"code": consulates.get(pk, ("", ""))[0], "name": consulates.get(pk, ("", ""))[1],
                              "workers": len(g["workers"]), "relatives": g["relatives"]})
    for rows in states.values():
        rows.sort(key=lambda r: (-r["relatives"], r["code"]))
    return dict(states) if by_state else states.get(None, [])


@per_view
def average_declared_base(filters) -> list[dict]:
    """Average SBC (pesos a day) by consulate: each affiliation counts once, with the SBC of its latest live
    (not cancelled) period starting inside the range; averaged in Decimal, half-up to centavos. The latest
    period is picked in SQL, one probe per affiliation down the partial unique index one_live_period_per_start
    (affiliation, period_start; no two live periods share a start), not by reading every period."""
    groups: dict[tuple, list] = defaultdict(lambda: [0, Decimal("0")])
    for code, name, sbc, _start in _latest_declared_base(filters):
        groups[(code, name)][0] += 1
        groups[(code, name)][1] += sbc
    return _average_rows(groups)


@per_view
def declared_base_since(filters, *, by_state: bool = False) -> list[dict] | dict[str, list[dict]]:
    """For the end of the range only (national or not, the start ignored): each affiliation's latest live period
    starting by the end, counted by consulate and the month that period starts in (`since`), with their SBC
    summed. average_declared_base of any range ending then is these rows from the start's month on, added
    (average_from_since): the latest period by the end either starts inside the range or none does.
    by_state: {state: rows}, the person's state as the filter reads it."""
    groups: dict[tuple, list] = defaultdict(lambda: [0, Decimal("0")])
    for code, name, sbc, start, state in _latest_declared_base(filters, use_start=False, with_state=by_state):
        group = groups[(state, code, name, date(start.year, start.month, 1))]
        group[0] += 1
        group[1] += sbc
    states: dict = defaultdict(list)
    for (state, code, name, since), (count, total) in groups.items():
        states[state].append({"code": code, "name": name, "since": since, "affiliations": count,
                              "sbc_sum": total})
    return dict(states) if by_state else states.get(None, [])


def average_from_since(rows: list[dict], start: date | None) -> list[dict]:
    """average_declared_base from declared_base_since's rows of the range's end, for a range from `start`."""
    groups: dict[tuple, list] = defaultdict(lambda: [0, Decimal("0")])
    for row in rows:
        if start is None or row["since"] >= start:
            groups[(row["code"], row["name"])][0] += row["affiliations"]
            groups[(row["code"], row["name"])][1] += row["sbc_sum"]
    return _average_rows(groups)


def _latest_declared_base(filters, *, use_start: bool = True, with_state: bool = False):
    from ventanilla.imss.models import ContributionPeriod

    periods = ContributionPeriod.objects.exclude(status=ContributionPeriod.Status.CANCELLED).filter(
        affiliation=OuterRef("pk"))
    if filters.start and use_start:
        periods = periods.filter(period_start__gte=filters.start)
    if filters.end:
        periods = periods.filter(period_start__lte=filters.end)
    latest = periods.order_by("-period_start")
    affiliations = imss_affiliations(filters, dated=False).annotate(sbc=Subquery(latest.values("sbc_daily")[:1]))
    if use_start:  # the live figure needs no start date: one probe per affiliation, not two
        return ((code, name, sbc, None) for code, name, sbc in affiliations.filter(sbc__isnull=False).values_list(
            "consulate__code", "consulate__name_es", "sbc").iterator(chunk_size=10_000))
    state = ("person__mx_state",) if with_state else ()
    rows = affiliations.annotate(since=Subquery(latest.values("period_start")[:1])).filter(sbc__isnull=False).values_list(
        "consulate__code", "consulate__name_es", "sbc", "since", *state).iterator(chunk_size=10_000)
    return rows if with_state else ((*row, None) for row in rows)


def _average_rows(groups: dict[tuple, list]) -> list[dict]:
    rows = [{"code": code, "name": name, "affiliations": count, "average_sbc": to_centavos(total / count)}
            for (code, name), (count, total) in groups.items()]
    rows.sort(key=lambda r: (-r["affiliations"], r["code"]))
    return rows


@per_view
def contributions_collected(filters, *, by_state: bool = False) -> list[dict] | dict[str, list[dict]]:
    """Paid periods by the month they were paid in (local calendar): pesos, periods and workers. Each row is
    one month's alone (its workers distinct within it), so a range's rows are its months' rows.
    by_state: {state: rows}, the person's state as the filter reads it."""
    from ventanilla.imss.models import ContributionPeriod

    paid = ContributionPeriod.objects.filter(status=ContributionPeriod.Status.PAID, paid_at__isnull=False,
                                             affiliation__in=imss_affiliations(filters, dated=False))
    if filters.start:
        paid = paid.filter(paid_at__date__gte=filters.start)
    if filters.end:
        paid = paid.filter(paid_at__date__lte=filters.end)
    state = ("affiliation__person__mx_state",) if by_state else ()
    rows = (paid.annotate(month=TruncMonth("paid_at")).values("month", *state)
            .annotate(amount=Sum("amount"), periods=Count("id"), workers=Count("affiliation", distinct=True))
            .order_by("month"))
    states: dict = defaultdict(list)
    for r in rows:
        states[r.get("affiliation__person__mx_state")].append({
            "month": as_month(r["month"]), "amount": to_centavos(r["amount"]), "periods": r["periods"],
            "workers": r["workers"]})
    return dict(states) if by_state else states.get(None, [])


@per_view
def coverage_in_force(filters, *, by_state: bool = False) -> list[dict] | dict[str, list[dict]]:
    """Affiliations with vigencia de derechos on the report date, by consulate: covered by a paid period, or
    in the 8 weeks of conservation after it. The same rule the worker's own screen uses
    (imss.rules.coverage.coverage_on over the paid spans and contributed weeks of imss.selectors), read in bulk:
    plain rows, not model instances (300,000 affiliations at full size), and only the few affiliations with
    prior weeks as objects (imss.selectors.recognised_prior_weeks reads them). by_state: {state: rows}, the
    person's state as the filter reads it."""
    from ventanilla.imss.models import Affiliation, ContributionPeriod
    from ventanilla.imss.rules import coverage as coverage_rules
    from ventanilla.imss.rules.weeks import DAYS_PER_CONTRIBUTED_MONTH, weeks_for_days
    from ventanilla.imss.selectors import recognised_prior_weeks

    on = report_date(filters)
    affiliations = imss_affiliations(filters, dated=False).filter(enrolled_on__lte=on)
    spans: dict[int, list] = defaultdict(list)
    months: dict[int, int] = defaultdict(int)
    # Paid by the report date (local calendar): a past report must not count a period paid after it. Bounded
    # by the next local midnight rather than paid_at::date so the comparison stays a plain range.
    next_midnight = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))
    for affiliation_id, start, end, count in ContributionPeriod.objects.filter(
            status=ContributionPeriod.Status.PAID, paid_at__lt=next_midnight,
            affiliation__in=affiliations.values("pk")).values_list(
            "affiliation_id", "period_start", "period_end", "months"):
        spans[affiliation_id].append((start, end))
        months[affiliation_id] += count
    with_prior = {a.pk: a for a in affiliations.filter(prior_weeks__isnull=False).distinct()
                  .prefetch_related("prior_weeks")}
    groups: dict[tuple, dict] = {}
    pending = Affiliation.Status.PENDING_NSS
    # The rule reads only the paid spans, the months and the NSS flag: affiliations sharing them (a monthly
    # grid makes many) share the answer, worked out once.
    answers: dict[tuple, str] = {}
    for pk, status_code, code, name, state in affiliations.annotate(worker_state=_state_of("person__", by_state)).values_list(
            "pk", "status", "consulate__code", "consulate__name_es", "worker_state").iterator(chunk_size=10_000):
        facts = (tuple(spans.get(pk, ())), months[pk], status_code == pending)
        status = answers.get(facts) if pk not in with_prior else None
        if status is None:
            own = weeks_for_days(months[pk] * DAYS_PER_CONTRIBUTED_MONTH)
            weeks = own + recognised_prior_weeks(with_prior[pk], own) if pk in with_prior else own
            status = coverage_rules.coverage_on(on, list(facts[0]), weeks, pending_nss=facts[2]).status
            if pk not in with_prior:
                answers[facts] = status
        key = (state if by_state else None, code or "", name or "")
        row = groups.setdefault(key, {"code": key[1], "name": key[2], "affiliations": 0, "covered": 0,
                                      "conservation": 0, "in_force": 0})
        row["affiliations"] += 1
        row["covered"] += status == coverage_rules.COVERED
        row["conservation"] += status == coverage_rules.CONSERVATION
        row["in_force"] += status in (coverage_rules.COVERED, coverage_rules.CONSERVATION)
    states: dict = defaultdict(list)
    for (state, _code, _name), row in groups.items():
        row["share"] = round_to(Decimal(row["in_force"] * 100) / row["affiliations"], 1)
        states[state].append(row)
    for rows in states.values():
        rows.sort(key=lambda r: (-r["in_force"], r["code"]))
    return dict(states) if by_state else states.get(None, [])


def benefit_claims(filters) -> list[dict]:
    """Benefit claims registered in the range, by kind and status: claims, workers and pesos (approved amounts)."""
    from ventanilla.imss.models import BenefitClaim

    claims = BenefitClaim.objects.filter(affiliation__in=imss_affiliations(filters, dated=False))
    if filters.start:
        claims = claims.filter(registered_at__date__gte=filters.start)
    if filters.end:
        claims = claims.filter(registered_at__date__lte=filters.end)
    rows = (claims.values("kind", "status")
            .annotate(claims=Count("id"), workers=Count("affiliation", distinct=True), amount=Sum("amount"))
            .order_by("kind", "status"))
    return [{"kind": r["kind"], "status": r["status"], "claims": r["claims"], "workers": r["workers"],
             "amount": to_centavos(r["amount"] or 0)} for r in rows]


def portal_accounts(filters):
    """Mi Cuenta accounts: users with the derechohabiente role; state and consulate are their person's."""
    users = User.objects.filter(role=Role.DERECHOHABIENTE, is_staff=False, is_superuser=False)
    if filters.state:
        users = users.filter(person__mx_state=filters.state)
    if filters.consulate is not None:
        users = users.filter(person__consulate_id=filters.consulate)
    return users


def accounts_by_month(filters) -> list[dict]:
    """New accounts per registration month (date_joined, local calendar) and the running total at the
    month's end, for EVERY month from the first account up to the end date: the start is not applied here,
    so the indicator decides what to suppress over the whole series before cutting it to the range
    (reports.indicators.suppress_running_total)."""
    users = portal_accounts(filters)
    if filters.end:
        users = users.filter(date_joined__date__lte=filters.end)
    total = 0
    rows = []
    for r in (users.annotate(month=TruncMonth("date_joined")).values("month")
              .annotate(new_accounts=Count("id")).order_by("month")):
        total += r["new_accounts"]
        rows.append({"month": as_month(r["month"]), "new_accounts": r["new_accounts"], "accounts": total})
    return rows


def accounts_by_state(filters) -> list[dict]:
    """Accounts opened up to the end date, by the state of their person's Mexican address (seed 002: "los
    cinco estados con mayor volumen de usuarios"); accounts not linked to a person have no state."""
    from ventanilla.people.models import MEXICAN_STATES

    names = dict(MEXICAN_STATES)
    users = portal_accounts(filters).filter(person__isnull=False)
    if filters.start:
        users = users.filter(date_joined__date__gte=filters.start)
    if filters.end:
        users = users.filter(date_joined__date__lte=filters.end)
    rows = users.values("person__mx_state").annotate(accounts=Count("id")).order_by("-accounts", "person__mx_state")
    return [{"state": r["person__mx_state"], "name": names.get(r["person__mx_state"], ""),
             "accounts": r["accounts"]} for r in rows]


def portal_days(filters):
    from ventanilla.reports.models import PortalDay

    visits = PortalDay.objects.all()
    if filters.start:
        visits = visits.filter(day__gte=filters.start)
    if filters.end:
        visits = visits.filter(day__lte=filters.end)
    if filters.state:
        visits = visits.filter(user__person__mx_state=filters.state)
    if filters.consulate is not None:
        visits = visits.filter(user__person__consulate_id=filters.consulate)
    return visits


def daily_users(filters) -> list[dict]:
    """Users active each day and their average session length, measured by the portal usage middleware.
    ASSUMED reading of "duración media en el sitio" (seed 002; Infonavit's definition is not public): a user's
    session on a day lasts from their first to their last request of that day."""
    rows = (portal_days(filters).values("day")
            .annotate(users=Count("user", distinct=True), seconds=Sum("active_seconds"), requests=Sum("requests"))
            .order_by("day"))
    return [{"day": r["day"], "users": r["users"], "requests": r["requests"],
             "average_session_seconds": round_to(Decimal(r["seconds"]) / r["users"], 0),
             "average_session_minutes": round_to(Decimal(r["seconds"]) / r["users"] / 60, 2)} for r in rows]


def most_used_services(filters) -> list[dict]:
    """Services (resolved URL names) by distinct users and requests in the range."""
    from ventanilla.reports.models import PortalServiceUse

    rows = (PortalServiceUse.objects.filter(visit__in=portal_days(filters)).values("service")
            .annotate(users=Count("visit__user", distinct=True), requests=Sum("requests"))
            .order_by("-users", "-requests", "service"))
    return [{"service": r["service"], "users": r["users"], "requests": r["requests"]} for r in rows]
