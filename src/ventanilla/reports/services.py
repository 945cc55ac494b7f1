"""Writes of the reports app: portal usage counters and their retention, the precomputed indicator tables."""

import time
from collections.abc import Callable, Mapping
from datetime import date, datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone, translation

from ventanilla.core import audit, locks
from ventanilla.reports.models import PortalDay, PortalServiceUse


def record_portal_use(user_id: int, day: date, seen_at: datetime, requests: int,
                      services: Mapping[str, int]) -> PortalDay:
    """Add `requests` (and per-service counts) seen up to `seen_at` to the user's row for `day`.

    Usage counters are telemetry, not a business record: no audit entry (it would double every write this
    throttled path is built to avoid). Counts only ever grow, so a replay after a lost cache adds, never
    rewrites."""
    with transaction.atomic():
        visit = PortalDay.objects.select_for_update().filter(user_id=user_id, day=day).first()
        if visit is None:
            try:
                with transaction.atomic():  # two first requests at once: the second one adds to the first's row
                    visit = PortalDay.objects.create(user_id=user_id, day=day, first_seen=seen_at,
                                                     last_seen=seen_at, requests=requests)
            except IntegrityError:
                visit = PortalDay.objects.select_for_update().get(user_id=user_id, day=day)
                _add(visit, seen_at, requests)
        else:
            _add(visit, seen_at, requests)
        for service, count in services.items():
            updated = PortalServiceUse.objects.filter(visit=visit, service=service).update(
                requests=F("requests") + count)
            if not updated:
                PortalServiceUse.objects.create(visit=visit, service=service, requests=count)
    return visit


def _add(visit: PortalDay, seen_at: datetime, requests: int) -> None:
    last_seen = max(visit.last_seen, seen_at)
    PortalDay.objects.filter(pk=visit.pk).update(
        last_seen=last_seen, requests=F("requests") + requests,
        active_seconds=int((last_seen - visit.first_seen).total_seconds()))
    visit.refresh_from_db()


def forget_usage_before(actor, day: date) -> int:
    """Delete the per-user usage rows of days before `day` (retention, reports.models.USAGE_RETENTION_DAYS);
    returns how many days-of-a-user were deleted."""
    with transaction.atomic():
        deleted = PortalDay.objects.filter(day__lt=day).count()
        PortalDay.objects.filter(day__lt=day).delete()
        audit.record(actor, "reports.usage_forgotten", object_type="reports.portalday",
                     after={"before": day.isoformat(), "deleted": deleted})
    return deleted


def refresh_snapshots(actor, names: list[str] | None = None,
                      progress: Callable[[str, int, int], None] | None = None, *, months: int | None = None) -> dict:
    """Recompute the precomputed indicators' default views (reports.snapshots.default_views) in every language,
    and the month-row indicators' rows (Indicator.has_month_rows), national and by state, of every month since
    the first data (snapshots.stored_window; exactly the last `months` when given), and replace their snapshots
    and month rows at once: the old set stays
    readable until the new one commits, and a failure leaves it whole. `names`: only these indicators (default:
    every one marked `precompute`). Returns the run's summary (also the audit entry's `after`)."""
    from ventanilla.people import access
    from ventanilla.reports import indicators, memo, snapshots
    from ventanilla.reports.models import IndicatorSnapshot, MonthlyRows

    access.require_role(actor, {access.Role.ADMINISTRATOR, access.Role.SUPERVISOR})
    chosen = names if names is not None else [i.name for i in indicators.indicators_for() if i.precompute]
    for name in chosen:
        indicators.get_indicator(name)  # NotFoundError for a name not registered
    views = snapshots.default_views(chosen)
    languages = [code for code, _label in settings.LANGUAGES]
    step = progress or (lambda *_: None)
    with_months = [name for name in chosen if indicators.get_indicator(name).has_month_rows]
    total = len(views) * len(languages) + len(with_months)
    started = time.perf_counter()
    computing_since = timezone.now()
    built: list[IndicatorSnapshot] = []
    seconds_by_indicator: dict[str, float] = dict.fromkeys(chosen, 0.0)
    # Computed outside the write transaction: reads only, possibly minutes long at full size. Each view's
    # selectors run once (memo.remembering); the languages differ only in their texts.
    for name, filters in views:
        indicator = indicators.get_indicator(name)
        with memo.remembering():
            for lang in languages:
                clock = time.perf_counter()
                with translation.override(lang):
                    table = indicator.compute(indicators.Scope(consulate=filters.consulate), filters)
                    data = snapshots.dump_table(table)
                seconds = time.perf_counter() - clock
                seconds_by_indicator[name] += seconds
                built.append(IndicatorSnapshot(indicator=name, key=snapshots.snapshot_key(filters, lang),
                                               table=data, computed_at=timezone.now(), duration=seconds))
                step(name, len(built), total)
    recent, history_complete = snapshots.stored_window(months)
    months = len(recent)
    monthly: list[MonthlyRows] = []
    for done, name in enumerate(with_months if recent else [], start=len(built) + 1):
        indicator = indicators.get_indicator(name)
        clock = time.perf_counter()
        first, last = recent[0], indicators.month_end(recent[-1])
        # National, then every state from one pass grouped by state; a state without rows stores empty months
        # (its range is then served as empty, as the live read would answer it).
        national, states = indicator.month_rows(first, last), indicator.month_rows(first, last, by_state=True)
        monthly += [MonthlyRows(indicator=name, state=scope, month=month, computed_at=timezone.now(),
                                rows=snapshots.dump_rows(rows.get(month, [])),
                                history_starts=history_complete and month == recent[0])
                    for scope, rows in [("", national), *((code, states.get(code, {}))
                                                          for code in sorted(indicators.STATE_CODES))]
                    for month in recent]
        seconds_by_indicator[name] += time.perf_counter() - clock
        step(f"{name} ({months})", done, total)
    summary = {"indicators": chosen, "views": len(views), "languages": languages, "snapshots": len(built),
               "months": months, "history_complete": history_complete, "monthly_rows": len(monthly),
               "seconds": round(time.perf_counter() - started, 3),
               "seconds_by_indicator": {name: round(s, 3) for name, s in seconds_by_indicator.items()}}
    with transaction.atomic():
        # Two refreshes at once (the nightly one and the campaign's) would each delete, then both insert the
        # same (indicator, key): the second fails on the unique constraint and loses its work. One at a time.
        locks.hold_for_transaction(locks.REPORTS_PRECOMPUTED)
        # A refresh that began computing after this one and wrote first (the campaign's, during the nightly
        # one's minutes of reading) holds newer figures: its indicators are kept, not replaced by older ones.
        newer = sorted(set(IndicatorSnapshot.objects.filter(indicator__in=chosen, computed_at__gt=computing_since)
                           .values_list("indicator", flat=True))
                       | set(MonthlyRows.objects.filter(indicator__in=chosen, computed_at__gt=computing_since)
                             .values_list("indicator", flat=True)))
        writing = [name for name in chosen if name not in newer]
        replaced = IndicatorSnapshot.objects.filter(indicator__in=writing).delete()[0]
        IndicatorSnapshot.objects.bulk_create([s for s in built if s.indicator in writing], batch_size=500)
        MonthlyRows.objects.filter(indicator__in=writing).delete()
        MonthlyRows.objects.bulk_create([m for m in monthly if m.indicator in writing], batch_size=500)
        summary["replaced"] = replaced
        summary["kept_newer"] = newer
        audit.record(actor, "reports.snapshots_refreshed", object_type="reports.indicatorsnapshot", after=summary)
    return summary
