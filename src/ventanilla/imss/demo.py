"""Demo IMSS affiliations abroad and a few months of payment history, for `ventanilla seed`.

Incomes follow the published figure: the average declared base of migrants enrolled in late 2025 was about
389 pesos a day (shared/domain/imss-abroad.md); most pay monthly. History goes through the real paths:
the monthly issuing job and bank files imported by `payments`.
"""

import csv
import io
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.utils import timezone

from ventanilla.core import audit
from ventanilla.core.bulk import allocate_ids, copy_rows
from ventanilla.core.calendar import add_months
from ventanilla.imss.models import Affiliation, ContributionPeriod, IncomeDeclaration
from ventanilla.imss.rules.contributions import due_date
from ventanilla.imss.services import issue_monthly_references
from ventanilla.payments.services import import_payment_file
from ventanilla.people.models import Person
from ventanilla.reference.zones import zone_for

AVERAGE_DAILY_BASE = 389  # pesos a day, late 2025 (IMSS, as reported)
PERIODICITY_SHARES = {"monthly": 0.8, "bimonthly": 0.1, "semiannual": 0.05, "annual": 0.05}  # assumed demo mix
OCCUPATIONS = ("Construcción", "Jardinería", "Cocina", "Limpieza", "Agricultura", "Cuidado de personas",
               "Manufactura", "Transporte", "Comercio", "Mantenimiento")


def seed_affiliations(actor, count: int, seed: int, latest_enrolment: date) -> int:
    """Enrol `count` persons who have an NSS and a consulate (deterministic by seed), in bulk."""
    rng = np.random.default_rng(seed + 3)
    candidates = list(Person.objects.filter(nss__isnull=False, consulate__isnull=False, imss_affiliation__isnull=True)
                      .order_by("pk").values_list("pk", "consulate_id", "mx_state", "mx_municipality"))
    if not candidates or count <= 0:
        return 0
    count = min(count, len(candidates))
    chosen = sorted(rng.choice(len(candidates), size=count, replace=False).tolist())
    daily = np.clip(rng.lognormal(np.log(AVERAGE_DAILY_BASE * 0.92), 0.35, size=count), 150, 3000)
    monthly = (np.round(daily * 30 / 100) * 100).astype(int)  # declared in round hundreds of pesos
    periodicity = rng.choice(list(PERIODICITY_SHARES), size=count, p=list(PERIODICITY_SHARES.values()))
    first_day = date(2023, 1, 2)
    span = (latest_enrolment - first_day).days
    enrolled = rng.integers(0, max(span, 1), size=count)
    occupation = rng.integers(0, len(OCCUPATIONS), size=count)
    now = timezone.now()
    zones: dict[tuple[str, str], str] = {}
    with transaction.atomic():
        ids = allocate_ids(Affiliation, count)
        affiliations, incomes = [], []
        for n, (affiliation_id, index) in enumerate(zip(ids, chosen, strict=True)):
            person_id, consulate_id, state, municipality = candidates[index]
            zone = zones.setdefault((state, municipality), zone_for(state, municipality))
            on = first_day + timedelta(days=int(enrolled[n]))
            affiliations.append((affiliation_id, person_id, consulate_id, "active", "window", zone, str(periodicity[n]),
                                 OCCUPATIONS[occupation[n]], "matricula", f"MC{person_id:09d}", "", on, actor.pk, now))
            incomes.append((affiliation_id, int(monthly[n]), on.replace(day=1), now, actor.pk))
        copy_rows(Affiliation, ("id", "person_id", "consulate_id", "status", "channel", "zone", "periodicity",
                                "occupation", "id_document_type", "id_document_number", "family_clinic",
                                "enrolled_on", "enrolled_by_id", "created_at"), affiliations)
        copy_rows(IncomeDeclaration, ("affiliation_id", "monthly_income", "effective_from", "declared_at",
                                      "declared_by_id"), incomes)
        audit.record(actor, "imss.seed_affiliations", object_type="imss.affiliation", after={"count": count})
    return count


def bank_file_for(periods, paid_at: datetime, prefix: str) -> bytes:
    """A bank's CSV paying the given periods' references in full."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["reference", "amount", "paid_at", "operation_id"])
    for period_id, code, amount in periods:
        writer.writerow([code, f"{amount:.2f}", paid_at.isoformat(), f"{prefix}-{period_id}"])
    return out.getvalue().encode()


def seed_payment_history(actor, today: date, months: int, paid_share: float, seed: int) -> dict:
    """For each of the last `months` months: the monthly job issues references by day 10, and a bank file
    pays most of them by day 18 (before the day-20 deadline). The current month's job runs today."""
    rng = np.random.default_rng(seed + 7)
    local = ZoneInfo("America/Mexico_City")
    summary = {"issued": 0, "paid": 0}
    issue_days = [add_months(today.replace(day=10), -k) for k in range(months - 1, -1, -1)]
    if today.day > 10:
        issue_days.append(today)
    for issue_day in issue_days:
        result = issue_monthly_references(actor, on=issue_day)
        summary["issued"] += result["issued"]
        start = result["period_start"]
        deadline = due_date(start)
        pay_day = min(deadline - timedelta(days=2), today)
        if pay_day < issue_day:
            continue
        periods = list(ContributionPeriod.objects.filter(period_start=start, status="pending")
                       .values_list("pk", "reference__code", "amount").order_by("pk"))
        paying = [p for p, keep in zip(periods, rng.random(len(periods)) < paid_share, strict=True) if keep]
        if not paying:
            continue
        paid_at = datetime.combine(pay_day, time(11, 30), tzinfo=local)
        if paid_at > timezone.now():
            paid_at = timezone.now() - timedelta(minutes=5)
        content = bank_file_for(paying, paid_at, f"DEMO{start:%Y%m}")
        imported = import_payment_file(actor, filename=f"banco-demo-{start:%Y-%m}.csv", content=content)
        summary["paid"] += imported.lines_applied
    return summary
