"""`ventanilla report --month YYYY-MM [--output PATH]`: the monthly report as a PDF, every indicator for every
consulate (run on the server by an operator: no reader's scope applies).

`ventanilla report refresh [--indicator NAME ...] [--months N]`: the batch job behind the dashboards' speed
(issue 6): recompute the slow indicators' default views, and the month rows (national and by state) that
serve date ranges: every month since the first data by default (reports.snapshots.stored_window: 24 to 120),
exactly the last N with --months N; and replace them at once (reports.services.
refresh_snapshots), with a progress bar; run it nightly from the scheduler (the pages fall back to live figures
when the snapshots are older than reports.snapshots.MAX_AGE)."""

import time
from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ventanilla.reports import pdf
from ventanilla.reports.views import parse_month


def _month(text: str):
    try:
        return parse_month(text)
    except ValueError:
        raise ArgumentTypeError(f"expected YYYY-MM, got {text!r}") from None


def _months(text: str) -> int:
    if not text.isdigit():
        raise ArgumentTypeError(f"expected a number of months (0 or more), got {text!r}")
    return int(text)


class Command(BaseCommand):
    help = ("The monthly report (PDF, --month YYYY-MM): every tablero indicator for the month, with its chart and "
            "numbers. refresh: recompute the precomputed dashboard figures (snapshots).")

    def add_arguments(self, parser):
        parser.add_argument("job", nargs="?", choices=["refresh"], help="refresh: the dashboards' snapshots")
        parser.add_argument("--month", type=_month, help="YYYY-MM")
        parser.add_argument("--output", type=Path, help="where to write the PDF (default: reporte-YYYY-MM.pdf)")
        parser.add_argument("--indicator", action="append", dest="names",
                            help="refresh: only this indicator (repeatable; default every precomputed one)")
        parser.add_argument("--months", type=_months, default=None,
                            help="refresh: month rows for exactly the last N months (default: every month "
                                 "since the first data, at least 24, at most 120)")

    def handle(self, *args, job, month, output, names, months, **options):
        if job == "refresh":
            return self._refresh(names, months)
        if month is None:
            raise CommandError("report needs --month YYYY-MM (or the job: report refresh)")
        tables = pdf.month_tables(month)
        path = output or Path(f"reporte-{month:%Y-%m}.pdf")
        path.write_bytes(pdf.monthly_report_pdf(tables, month))
        self.stdout.write(f"{path}: {len(tables)} indicators, {sum(len(t.rows) for _i, t in tables)} rows")

    def _refresh(self, names: list[str] | None, months: int | None) -> None:
        from ventanilla.core.errors import NotFoundError
        from ventanilla.people.services import system_account
        from ventanilla.reports.services import refresh_snapshots

        started = time.perf_counter()
        columns = (TextColumn("[bold]Snapshots {task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())
        with Progress(*columns, console=Console(stderr=True), transient=False) as bar:
            task = bar.add_task("", total=None)

            def progress(name: str, done: int, total: int) -> None:
                bar.update(task, description=name, completed=done, total=total)

            try:
                summary = refresh_snapshots(system_account(), names, progress=progress, months=months)
            except NotFoundError as exc:
                raise CommandError(f"unknown indicator in {names}") from exc
        slowest = sorted(summary["seconds_by_indicator"].items(), key=lambda item: -item[1])[:5]
        self.stdout.write(
            f"Snapshots: {summary['snapshots']:,} tables ({len(summary['indicators'])} indicators, "
            f"{summary['views']:,} views x {len(summary['languages'])} languages) in {time.perf_counter() - started:.1f} s; {summary['replaced']:,} old ones replaced\n"
            f"  month rows: {summary['monthly_rows']:,} ({summary['months']} months, nationally and by state"
            f"{', back to the first data' if summary['history_complete'] else ''})\n"
            f"  slowest: {', '.join(f'{name} {seconds:.1f} s' for name, seconds in slowest)}")
