"""`ventanilla forget_usage [--before YYYY-MM-DD]`: the Mi Cuenta usage retention. Deletes the per-user usage rows
older than USAGE_RETENTION_DAYS (reports/models.py, ASSUMED); run it daily from the scheduler."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from ventanilla.people.services import system_account
from ventanilla.reports.models import USAGE_RETENTION_DAYS
from ventanilla.reports.services import forget_usage_before


class Command(BaseCommand):
    help = f"Delete Mi Cuenta usage rows older than {USAGE_RETENTION_DAYS} days (or before --before)."

    def add_arguments(self, parser):
        parser.add_argument("--before", type=date.fromisoformat,
                            help="delete the days before this one (default: today minus the retention)")

    def handle(self, *args, before, **options):
        before = before or timezone.localdate() - timedelta(days=USAGE_RETENTION_DAYS)
        deleted = forget_usage_before(system_account(), before)
        self.stdout.write(f"usage before {before.isoformat()}: {deleted} user-days deleted")
