"""Reads of the IMSS affiliation: periods, coverage, weeks, what a claim's rule needs."""

from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ventanilla.core.calendar import add_months
from ventanilla.core.errors import NotFoundError
from ventanilla.core.money import plain
from ventanilla.imss.models import Affiliation, Beneficiary, ContributionPeriod, IncomeDeclaration
from ventanilla.imss.rules import coverage as coverage_rules
from ventanilla.imss.rules.beneficiaries import beneficiary_right
from ventanilla.imss.rules.benefits import funeral_window
from ventanilla.imss.rules.contributions import Quote
from ventanilla.imss.rules.weeks import DAYS_PER_CONTRIBUTED_MONTH, weeks_for_days, weeks_in_window
from ventanilla.people.access import visible_persons
from ventanilla.reference.selectors import flag_enabled


def visible_affiliations(user):
    return Affiliation.objects.filter(person__in=visible_persons(user)).select_related("person", "consulate")


def get_visible_affiliation(user, affiliation_id: int) -> Affiliation:
    affiliation = visible_affiliations(user).filter(pk=affiliation_id).first()
    if affiliation is None:
        raise NotFoundError("affiliation")
    return affiliation


def income_in_force(affiliation: Affiliation, on: date) -> Decimal:
    row = (IncomeDeclaration.objects.filter(affiliation=affiliation, effective_from__lte=on)
           .order_by("-effective_from").first())
    if row is None:  # enrolment records one from the month of enrolment; earlier months use it too
        row = IncomeDeclaration.objects.filter(affiliation=affiliation).order_by("effective_from").first()
    return row.monthly_income


def live_periods(affiliation: Affiliation):
    return affiliation.periods.exclude(status=ContributionPeriod.Status.CANCELLED)


def last_issued_day(affiliation: Affiliation) -> date | None:
    last = live_periods(affiliation).order_by("-period_end").values_list("period_end", flat=True).first()
    return last


def payable_period(affiliation: Affiliation, on: date) -> ContributionPeriod | None:
    """A pending period whose reference can still be paid on `on`."""
    return (affiliation.periods.filter(status=ContributionPeriod.Status.PENDING, due_date__gte=on)
            .select_related("reference").order_by("period_start").first())


def paid_spans(affiliation: Affiliation) -> list[tuple[date, date]]:
    return list(affiliation.periods.filter(status=ContributionPeriod.Status.PAID)
                .values_list("period_start", "period_end"))


def contributed_weeks(affiliation: Affiliation) -> Decimal:
    """Weeks from paid periods (30-day months) plus prior weeks recognised by art. 151."""
    months = sum(affiliation.periods.filter(status=ContributionPeriod.Status.PAID).values_list("months", flat=True))
    own = weeks_for_days(months * DAYS_PER_CONTRIBUTED_MONTH)
    return own + recognised_prior_weeks(affiliation, own)


def recognised_prior_weeks(affiliation: Affiliation, new_weeks: Decimal) -> Decimal:
    from ventanilla.imss.rules.weeks import conservation, recognition_of_prior_weeks

    total = Decimal("0")
    for prior in affiliation.prior_weeks.all():
        kept = conservation(prior.last_contribution_date, prior.weeks)
        reentry = affiliation.enrolled_on
        break_start = prior.last_contribution_date + timedelta(days=1)  # the first day without contributions
        result = recognition_of_prior_weeks(break_start, reentry, prior.weeks, new_weeks,
                                            reentry <= kept.pension_rights_until)
        total += result.recognised_weeks
    return total


def coverage(affiliation: Affiliation, on: date) -> coverage_rules.Coverage:
    return coverage_rules.coverage_on(on, paid_spans(affiliation), contributed_weeks(affiliation),
                                      pending_nss=affiliation.status == Affiliation.Status.PENDING_NSS)


def current_beneficiaries(affiliation: Affiliation, on: date) -> list[Beneficiary]:
    rows = (affiliation.beneficiaries.select_related("person")
            .filter(registered_on__lte=on).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=on)))
    return list(rows)


# What the art. 84 rule reads of a registered beneficiary (besides the person's birth date).
RIGHT_FIELDS = ("relationship", "studying_until", "disabled", "lives_with_worker", "economically_dependent",
                "years_together", "child_in_common")


def right_on(on: date, birth_date: date, relationship: str, **facts):
    """A registered beneficiary's own right on `on` (LSS art. 84, imss.rules.beneficiaries) from what was
    registered about them (RIGHT_FIELDS): the one reading the worker's screen and the tablero's figures share;
    bulk reads pass plain values."""
    return beneficiary_right(relationship, birth_date=birth_date, on=on, **facts)


def right_of(beneficiary: Beneficiary, on: date):
    return right_on(on, beneficiary.person.birth_date, **{f: getattr(beneficiary, f) for f in RIGHT_FIELDS})


def beneficiary_coverage(affiliation: Affiliation, on: date) -> list[dict]:
    """Each beneficiary's right on a date: their own right (art. 84) and the worker's coverage."""
    worker = coverage(affiliation, on)
    worker_ok = worker.status in (coverage_rules.COVERED, coverage_rules.CONSERVATION)
    result = []
    for beneficiary in affiliation.beneficiaries.select_related("person").order_by("registered_on", "pk"):
        right = right_of(beneficiary, on)
        ended = beneficiary.ended_on is not None and beneficiary.ended_on <= on
        result.append({
            "beneficiary": beneficiary, "right": right, "ended": ended,
            "covered": worker_ok and right.eligible and not ended and beneficiary.registered_on <= on,
        })
    return result


def quote_income(start: date, income_per_day: Decimal, zone: str, periodicity: str) -> Quote:
    """The contributions of a period from `start`, each month with the parameters in force in it.
    The one path the calculator, the API and the services quote by."""
    from ventanilla.imss.rules import contributions
    from ventanilla.reference.selectors import params_at

    months = contributions.period_months(start, periodicity)
    return contributions.quote({month: params_at(month) for month in months}, income_per_day, zone, periodicity,
                               start)


def breakdown_json(result: Quote) -> list[dict]:
    return [
        {"month": m.month.isoformat(), "sbc_daily": str(m.sbc_daily), "uma_daily": str(m.uma_daily),
         "ceav_employer_rate": plain(m.ceav_employer_rate), "total": str(m.total),
         "branches": [{"branch": b.branch, "employer": str(b.employer), "worker": str(b.worker)} for b in m.branches]}
        for m in result.months
    ]


def period_description(period: ContributionPeriod) -> str:
    end_month = add_months(period.period_start, period.months - 1)
    if period.months == 1:
        return _("Cuotas IMSS %(month)s") % {"month": period.period_start.strftime("%m/%Y")}
    return _("Cuotas IMSS %(start)s a %(end)s") % {"start": period.period_start.strftime("%m/%Y"),
                                                   "end": end_month.strftime("%m/%Y")}


def claim_facts(affiliation: Affiliation, event_date: date) -> dict:
    """What the record says about a worker at an event: weeks in the windows the rules ask, last SBC."""
    spans = paid_spans(affiliation)
    last_paid = (affiliation.periods.filter(status=ContributionPeriod.Status.PAID, period_start__lte=event_date)
                 .order_by("-period_start").first())
    return {
        "weeks_in_last_9_months": weeks_in_window(spans, *funeral_window(event_date)),
        "weeks_in_last_12_months": weeks_in_window(spans, add_months(event_date, -12), event_date),
        # Assumed: "4 weekly contributions just before" (LSS art. 97) is read over the month before the event.
        "weeks_just_before": weeks_in_window(spans, add_months(event_date, -1), event_date),
        "total_weeks": contributed_weeks(affiliation),
        "last_daily_sbc": last_paid.sbc_daily if last_paid else Decimal("0"),
    }


def maternity_cash_abroad_enabled(on: date | None = None) -> bool:
    return flag_enabled("maternity_cash_abroad", on or timezone.localdate())
