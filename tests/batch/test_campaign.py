"""`ventanilla infonavit campaign --as-of DATE` end to end on a small seeded portfolio (the real database):
results rows, the Parquet file, the run's figures, the audit entry, a second run for the same date, who may
run it."""

from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from django.core.management import call_command

from tests.batch.conftest import AS_OF
from tests.conftest import make_user
from ventanilla.batch.models import CampaignResult, CampaignRun
from ventanilla.batch.services import run_campaign
from ventanilla.batch.solutions import BIT
from ventanilla.core.errors import PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.infonavit.models import Credit
from ventanilla.infonavit.rules.solutions import SOLUTION_CODES, evaluate_all
from ventanilla.people.models import Role
from ventanilla.people.services import system_account
from ventanilla.reference.selectors import params_at
from ventanilla.reports.models import IndicatorSnapshot

pytestmark = pytest.mark.django_db
MX = ZoneInfo("America/Mexico_City")
D = Decimal


def test_campaign_command_writes_results_parquet_and_figures(portfolio_seeded):
    out = StringIO()
    call_command("infonavit", "campaign", "--as-of", AS_OF.isoformat(), stdout=out)
    run = CampaignRun.objects.get()
    active = Credit.objects.filter(status="active").count()
    assert run.credits == active == 301
    assert f"{active:,} credits" in out.getvalue() and run.parquet_path in out.getvalue()
    # The dashboards' window payments read the campaign: their snapshots are refreshed with it (reports.snapshots).
    assert "dashboard snapshots of infonavit_window_payments refreshed" in out.getvalue()
    assert IndicatorSnapshot.objects.filter(indicator="infonavit_window_payments").exists()
    # result rows for the credits with a solution only; the Parquet file keeps every credit
    assert 0 < CampaignResult.objects.filter(run=run).count() == run.eligible_credits < active
    assert not CampaignResult.objects.filter(run=run, eligible=0).exists()

    # the nearly paid-off credit: 40,000 left of 200,000 lent (≤ 25 %): DLA half of it
    row = CampaignResult.objects.get(run=run, credit_id=portfolio_seeded.pk)
    assert row.balance == 4_000_000 and row.state == "MN"
    assert row.eligible & BIT["DLA"] and row.dla_amount_to_pay == 2_000_000 and row.dla_discount == 2_000_000
    assert run.dla_discount == D("20000.00") + sum(
        (D(r.dla_discount).scaleb(-2) for r in CampaignResult.objects.filter(run=run).exclude(
            credit_id=portfolio_seeded.pk)), D(0))

    # the Parquet file holds the same figures
    frame = pl.read_parquet(run.parquet_path)
    assert frame.height == active
    for index, code in enumerate(SOLUTION_CODES):
        eligible = int(((frame["eligible"] & (1 << index)) != 0).sum())
        assert run.figures["solutions"][code]["eligible"] == eligible
    assert D(run.figures["solutions"]["DLA"]["amount"]) == run.dla_discount == D(frame["dla_discount"].sum()).scaleb(-2)
    assert sum(state["credits"] for state in run.figures["by_state"]) == active
    michoacan = next(state for state in run.figures["by_state"] if state["state"] == "MN")
    assert michoacan["solutions"]["DLA"]["eligible"] >= 1
    # payments at the window by year (seed 001)
    assert {(p["year"], p["state"], p["payments"], p["people"], p["amount"]) for p in run.figures["window_payments"]} == {
        (2024, "MN", 1, 1, "120000.00"), (2025, "MN", 1, 1, "40000.00")}
    # assumed facts are stored with the run, the job is audited
    assert {fact[0] for fact in run.assumed_facts} >= {"monthly_income", "employed"}
    assert run.finished_at and set(run.timings) >= {"read", "evaluate", "write_results", "write_parquet"}
    assert AuditEntry.objects.filter(action="batch.campaign", object_id=str(run.pk)).exists()


def test_results_agree_with_the_borrowers_screen(portfolio_seeded):
    """Each credit's stored result equals evaluate_all on the facts the borrower's screen reads
    (selectors.credit_facts, with the campaign's assumed declarations; DLA on the balance of the 1st)."""
    import dataclasses

    from ventanilla.batch import portfolio
    from ventanilla.infonavit import selectors

    run = run_campaign(system_account(), AS_OF)
    stored = {row.credit_id: row for row in CampaignResult.objects.filter(run=run)}
    checked = 0
    for credit in Credit.objects.filter(status="active"):
        facts = selectors.credit_facts(credit, AS_OF, portfolio.assumed_declared(credit.regime == "payroll"))
        facts = dataclasses.replace(facts, monthly_income=D("1E9"))  # unknown: RC's condition not shown
        answers = evaluate_all(facts, params_at(AS_OF))
        dla_facts = dataclasses.replace(facts, balance=max(selectors.balance_on(credit, AS_OF.replace(day=1)), D(0)))
        answers[1] = evaluate_all(dla_facts, params_at(AS_OF))[1]
        mask = sum(BIT[a.code] for a in answers if a.eligible)
        result = stored.get(credit.pk)
        assert (result.eligible if result else 0) == mask
        if result:
            dla = answers[1]
            assert result.dla_discount == (int(dla.amounts["discount"].scaleb(2)) if dla.eligible else 0)
        checked += 1
    assert checked == 301


def test_a_second_run_for_the_same_date_replaces_the_first(portfolio_seeded, django_capture_on_commit_callbacks):
    first = run_campaign(system_account(), AS_OF)
    with django_capture_on_commit_callbacks(execute=True):
        second = run_campaign(system_account(), AS_OF)
    first.refresh_from_db()
    assert first.replaced_by == second and second.replaced_by is None
    assert not CampaignResult.objects.filter(run=first).exists()
    assert CampaignResult.objects.filter(run=second).count() == second.eligible_credits == first.eligible_credits
    assert not Path(first.parquet_path).exists() and Path(second.parquet_path).exists()
    assert first.figures == second.figures  # the old run keeps its summary


def test_a_replacement_rolled_back_keeps_the_old_rows_and_file(portfolio_seeded, django_capture_on_commit_callbacks,
                                                                 monkeypatch):
    """The old run's Parquet file is deleted only once the replacement commits: a failure after the old rows
    were deleted rolls them back and the file is still there."""
    from ventanilla.core import audit

    first = run_campaign(system_account(), AS_OF)
    rows = CampaignResult.objects.filter(run=first).count()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(audit, "record", fail)
    with django_capture_on_commit_callbacks(execute=True) as callbacks, pytest.raises(RuntimeError):
        run_campaign(system_account(), AS_OF)
    assert callbacks == []  # the deletion was never scheduled past the rollback
    first.refresh_from_db()
    assert first.replaced_by is None and CampaignRun.objects.count() == 1
    assert CampaignResult.objects.filter(run=first).count() == rows > 0
    assert Path(first.parquet_path).exists()


@pytest.mark.parametrize("role", [Role.DERECHOHABIENTE, Role.CONSULAR_OFFICER, Role.IMSS_STAFF, Role.SUPERVISOR])
def test_only_infonavit_staff_and_administrators_run_it(role, var_dir, consulate_la):
    with pytest.raises(PermissionDeniedError):
        run_campaign(make_user(role, consulate=consulate_la if role == Role.CONSULAR_OFFICER else None), AS_OF)
    assert run_campaign(make_user(Role.INFONAVIT_STAFF), AS_OF).credits == 0
