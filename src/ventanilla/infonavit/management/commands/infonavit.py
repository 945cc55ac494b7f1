"""`ventanilla infonavit adjust --year Y`: the yearly adjustment of VSM credits, with a progress bar."""

import time

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ventanilla.core.errors import DomainError
from ventanilla.core.money import plain
from ventanilla.infonavit.services import adjust_vsm_credits
from ventanilla.people.services import system_account


class Command(BaseCommand):
    help = ("Infonavit portfolio jobs. adjust: balance and monthly payment × (1 + a) for every active VSM "
            "credit not frozen, once per year.")

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["adjust"])
        parser.add_argument("--year", type=int, required=True, help="the January adjustment of this year")
        parser.add_argument("--batch-size", type=int, default=50_000, help="credits per transaction")

    def handle(self, *args, job, year, batch_size, **options):
        console = Console(stderr=True)
        started = time.perf_counter()
        columns = (TextColumn("[bold]VSM {task.fields[year]}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("credits"), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("adjust", total=None, year=year)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            try:
                run = adjust_vsm_credits(system_account(), year, progress=progress, batch_size=batch_size)
            except DomainError as exc:
                raise CommandError("; ".join(str(error.message) for error in exc.errors)) from exc
        elapsed = time.perf_counter() - started
        rate = run.credits_this_run / elapsed if elapsed else 0
        assumed = " (assumed value)" if run.rate_assumed else ""
        self.stdout.write(
            f"VSM adjustment {year}: a = {plain(run.rate)} % decided by {run.decided_by}{assumed}\n"
            f"  this run: {run.credits_this_run:,} credits adjusted, balances +{run.change_this_run:,} pesos, "
            f"{elapsed:.1f} s ({rate:,.0f} credits/s)\n"
            f"  year total: {run.credits:,} credits, balances +{run.total_change:,} pesos; "
            f"{run.frozen_skipped:,} frozen credits left unchanged")
