"""`ventanilla infonavit adjust --year Y`: the yearly adjustment of VSM credits, with a progress bar.
`ventanilla infonavit savings --bimester YYYY-B --returns-month YYYY-MM`: the SCV's periodic jobs."""

import time
from argparse import ArgumentTypeError
from datetime import date, datetime, timedelta

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
            "(results table, Parquet file, figures by state and solution). savings: the housing subaccount's "
            "employer contributions of a bimester (--bimester YYYY-B) and/or returns of a month "
            "(--returns-month YYYY-MM), each once.")

    def add_arguments(self, parser):
        parser.add_argument("job", choices=["adjust", "campaign", "savings"])
        parser.add_argument("--year", type=int, help="adjust: the January adjustment of this year")
        parser.add_argument("--as-of", type=date.fromisoformat, help="campaign: the day the rules are evaluated")
        parser.add_argument("--batch-size", type=int, default=50_000, help="credits per transaction")
        parser.add_argument("--bimester", type=_bimester, help="savings: contributions of bimester YYYY-B (1-6)")
        parser.add_argument("--returns-month", type=_month, help="savings: the month's returns, YYYY-MM")

    def handle(self, *args, job, year, batch_size, as_of, **options):
        console = Console(stderr=True)
        if job == "savings":
            return self._savings(console, options["bimester"], options["returns_month"])
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
        # The dashboards' snapshots of figures read from the campaign would otherwise show the replaced run's.
        from ventanilla.reports.services import refresh_snapshots  # reports reads batch: imported late
        from ventanilla.reports.snapshots import CAMPAIGN_INDICATORS

        summary = refresh_snapshots(system_account(), list(CAMPAIGN_INDICATORS))
        self.stdout.write(f"  dashboard snapshots of {', '.join(CAMPAIGN_INDICATORS)} refreshed: "
                          f"{summary['snapshots']:,} tables in {summary['seconds']:.1f} s")

    # --- housing subaccount (SCV): bimester contributions and monthly returns (savings_services) -----------

    def _savings(self, console: Console, bimester: date | None, returns_month: date | None) -> None:
        from django.utils import timezone

        from ventanilla.infonavit import savings_services
        from ventanilla.infonavit.rules import savings as savings_rules

        if bimester is None and returns_month is None:
            raise CommandError("savings needs --bimester YYYY-B and/or --returns-month YYYY-MM")
        today = timezone.localdate()
        bimester_end = savings_rules.bimester_end(bimester) if bimester else None
        month_end = (returns_month + timedelta(days=32)).replace(day=1) - timedelta(days=1) if returns_month \
            else None
        # Contributions and returns are owed for periods that are over, never in advance.
        if bimester_end is not None and bimester_end > today:
            raise CommandError(f"bimester {_bimester_label(bimester)} ends on {bimester_end}: not over yet")
        if month_end is not None and month_end > today:
            raise CommandError(f"month {returns_month:%Y-%m} ends on {month_end}: not over yet")
        system = system_account()
        columns = (TextColumn("[bold]SCV {task.description}"), BarColumn(), MofNCompleteColumn(),
                   TextColumn("persons"), TimeElapsedColumn())
        lines = []
        with Progress(*columns, console=console, transient=False) as bar:
            if bimester is not None:
                task = bar.add_task(f"contributions {_bimester_label(bimester)}", total=None)
                started = time.perf_counter()
                run = savings_services.run_contributions(
                    system, bimester_end, progress=lambda done, total: bar.update(task, completed=done, total=total))
                lines.append(
                    f"SCV contributions {_bimester_label(bimester)} ({bimester:%Y-%m-%d} to {bimester_end}): "
                    f"{run.movements:,} bimesters posted for {run.persons:,} persons, {run.total:,.2f} pesos "
                    f"(earlier bimesters never posted included; posted ones skipped), "
                    f"{time.perf_counter() - started:.1f} s")
            if returns_month is not None:
                task = bar.add_task(f"returns {returns_month:%Y-%m}", total=None)
                started = time.perf_counter()
                run = savings_services.credit_returns(
                    system, returns_month,
                    progress=lambda done, total: bar.update(task, completed=done, total=total))
                assumed = " (assumed rate)" if run["assumed"] else ""
                lines.append(
                    f"SCV returns {returns_month:%Y-%m} at {run['yearly_percent']:.2f} % a year{assumed}: "
                    f"{run['movements']:,} movements for {run['persons']:,} persons, {run['total']:,.2f} pesos, "
                    f"{time.perf_counter() - started:.1f} s")
        self.stdout.write("\n".join(lines))


def _bimester(raw: str) -> date:
    """YYYY-B, B from 1 (January–February) to 6 (November–December): the bimester's first day."""
    year, _dash, number = raw.partition("-")
    if not (year.isdigit() and len(year) == 4 and number in {"1", "2", "3", "4", "5", "6"}):
        raise ArgumentTypeError(f"{raw!r}: use YYYY-B with B from 1 to 6")
    return date(int(year), 2 * int(number) - 1, 1)


def _bimester_label(first_day: date) -> str:
    return f"{first_day.year}-{(first_day.month + 1) // 2}"


def _month(raw: str) -> date:
    try:
        return datetime.strptime(raw, "%Y-%m").date()
    except ValueError:
        raise ArgumentTypeError(f"{raw!r}: use YYYY-MM") from None
