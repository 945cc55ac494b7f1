"""`ventanilla imss issue-references [--date YYYY-MM-DD]`: the monthly issuing job."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from ventanilla.imss.services import issue_monthly_references
from ventanilla.people.services import system_account


class Command(BaseCommand):
    help = "IMSS abroad jobs. issue-references: quote and issue the next period for every active affiliation."

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["issue-references"])
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="as if run on this date")

    def handle(self, *args, job, date, **options):
        started = time.perf_counter()
        try:
            result = issue_monthly_references(system_account(), on=date or timezone.localdate())
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        elapsed = time.perf_counter() - started
        self.stdout.write(f"period {result['period_start']}: {result['issued']:,} references issued, "
                          f"{result['amount']:,} pesos, {result['distinct_quotes']:,} distinct quotes, {elapsed:.1f} s")
