"""Portal usage, measured: one row per portal user and day, and the services they used that day.

Written by reports.middleware.PortalUsageMiddleware through reports.services.record_portal_use (at most once a
minute per user and day). Read only in aggregates (reports.selectors): daily active users, average session
length, most used services; no figure names a person, and days or services with fewer than 5 users are hidden.

Retention (ASSUMED, no official rule published): the per-user rows are kept USAGE_RETENTION_DAYS days and then
deleted by reports.services.forget_usage_before; the published figures are the aggregates, which carry no
personal data.
"""

from django.conf import settings
from django.db import models

USAGE_RETENTION_DAYS = 400  # ASSUMED: a year of daily figures plus a month to publish the last monthly report


class PortalDay(models.Model):
    """A portal user's activity on one day. Session length reads as last_seen − first_seen (ASSUMED:
    Infonavit's own definition of "duración media en el sitio", seed 002, is not public)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()
    active_seconds = models.PositiveIntegerField(default=0)  # last_seen − first_seen, kept so SQL can average it
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="portal_day_once")]
        indexes = [models.Index(fields=["day"], name="portal_day_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.requests}"


class PortalServiceUse(models.Model):
    """How many requests a user's day made to one service (the resolved URL name, e.g. "infonavit:statement")."""

    visit = models.ForeignKey(PortalDay, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(max_length=120)
    requests = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["visit", "service"], name="portal_service_once")]

    def __str__(self) -> str:
        return f"{self.service} {self.requests}"


class IndicatorSnapshot(models.Model):
    """One indicator's Table precomputed by `ventanilla report refresh` (issue 6, "Speed": a dashboard page under
    1 s at 1 M persons and 6.2 M credits) for one canonical key: the Filters the reader's page asks for (the
    officer's consulate already forced on them) and the language its texts are in. reports.indicators.compute
    serves it while it is younger than reports.snapshots.MAX_AGE; otherwise the figures are computed live."""

    indicator = models.CharField(max_length=80)
    key = models.CharField(max_length=200)  # reports.snapshots.snapshot_key(filters, language)
    table = models.JSONField()  # reports.snapshots.dump_table: columns, rows (typed cells), notes, suppressed
    computed_at = models.DateTimeField()  # when the refresh computed it (the staleness clock)
    duration = models.FloatField()  # seconds the live computation took: what the snapshot saves a reader

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "key"], name="indicator_snapshot_once")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.key}"


class MonthlyRows(models.Model):
    """One indicator's UNSUPPRESSED rows for one month, nationally (state "") or for one state, stored by
    `ventanilla report refresh` for the indicators whose ranges decompose by month (Indicator.by_month: counts
    of events dated in the range; by_end_month, stock_today). reports.snapshots.read_months answers a date
    range, national or of one state, by adding its months' rows and then suppressing the sum exactly as the
    live path does. Never served as is: rows under MINIMUM_GROUP_SIZE people are in here, so only the server
    reads this table (no view, API or export lists it)."""

    indicator = models.CharField(max_length=80)
    state = models.CharField(max_length=2, blank=True, default="")  # a MEXICAN_STATES code; "" national
    month = models.DateField()  # the 1st of the month
    rows = models.JSONField()  # the selector's rows, cells tagged as in a snapshot (reports.snapshots)
    computed_at = models.DateTimeField()  # the staleness clock, as IndicatorSnapshot's
    # Set on the earliest stored month when the refresh stored every month since the first data
    # (reports.selectors.first_data_month): no month before it has figures, so a range reaching further back
    # is served as starting here.
    history_starts = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["indicator", "state", "month"], name="monthly_rows_once")]

    def __str__(self) -> str:
        return f"{self.indicator} {self.state or 'MX'} {self.month}"
