"""Writes of the reports app: portal usage counters and their retention."""

from collections.abc import Mapping
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from ventanilla.core import audit
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
