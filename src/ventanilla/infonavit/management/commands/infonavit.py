"""`ventanilla infonavit adjust --year Y`: the yearly adjustment of VSM credits, with a progress bar."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ventanilla.core.errors import DomainError
from ventanilla.core.money import plain
from ventanilla.infonavit.services import adjust_vsm_credits
from ventanilla.people.services import system_account


class Command(BaseCommand):
    help = ("Infonavit portfolio jobs. adjust: balance and monthly payment × (1 + a) for every active VSM "
            "credit not frozen, once per year. campaign: every active credit's relief solutions as of a date "
            "(results table, Parquet file, figures by state and solution).")

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["adjust", "campaign"])
        parser.add_argument("--year", type=int, help="adjust: the January adjustment of this year")
        parser.add_argument("--as-of", type=date.fromisoformat, help="campaign: the day the rules are evaluated")
        parser.add_argument("--batch-size", type=int, default=50_000, help="credits per transaction")

    def handle(self, *args, job, year, batch_size, as_of, **options):
        console = Console(stderr=True)
        if job == "campaign":
            if as_of is None:
                raise CommandError("campaign needs --as-of YYYY-MM-DD")
            return self._campaign(console, as_of)
        if year is None:
            raise CommandError("adjust needs --year YYYY")
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

    # --- campaign (batch app) -------------------------------------------------------------------------------

    def _campaign(self, console: Console, as_of: date) -> None:
        from ventanilla.batch.services import run_campaign  # the batch app sits above infonavit

        started = time.perf_counter()
        columns = (TextColumn("[bold]Campaign {task.fields[as_of]} {task.description}"), BarColumn(),
                   MofNCompleteColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console, transient=False) as bar:
            task = bar.add_task("read", total=None, as_of=as_of.isoformat())

            def progress(step: str, done: int, total: int) -> None:
                bar.update(task, description=step, completed=done, total=total)

            try:
                run = run_campaign(system_account(), as_of, progress=progress)
            except DomainError as exc:
                raise CommandError("; ".join(str(error.message) for error in exc.errors)) from exc
        elapsed = time.perf_counter() - started
        rate = run.credits / elapsed if elapsed else 0
        solutions = ", ".join(f"{code} {figure['eligible']:,}" for code, figure in run.figures["solutions"].items())
        steps = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in run.timings.items())
        self.stdout.write(
            f"Campaign {as_of}: {run.credits:,} credits in {elapsed:.1f} s ({rate:,.0f} credits/s); "
            f"{run.eligible_credits:,} with a solution\n"
            f"  eligible: {solutions}\n"
            f"  discounts: RC {run.rc_discount:,} pesos, DLA {run.dla_discount:,} pesos\n"
            f"  steps: {steps}\n"
            f"  run {run.pk}; results in {run.parquet_path}")
