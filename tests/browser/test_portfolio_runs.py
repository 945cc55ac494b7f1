"""Portfolio job runs in Chromium: an Infonavit staff member opens the screen from the menu and reads a
campaign's figures by solution and by state."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from ventanilla.batch.services import run_campaign
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_member_sees_a_campaigns_figures(page, login, settings, tmp_path):
    from tests.batch.conftest import AS_OF, seed_small_portfolio
    from ventanilla.reference.models import Consulate

    settings.VAR_DIR = tmp_path
    seed_small_portfolio(Consulate.objects.get(code="US-LOS-ANGELES"))
    staff = make_user(Role.INFONAVIT_STAFF)
    run = run_campaign(staff, AS_OF)
    login(staff.username)
    page.get_by_role("link", name="Corridas de cartera").click()
    expect(page.get_by_role("heading", name="Corridas de cartera")).to_be_visible()
    expect(page.locator("#campaign-runs")).to_contain_text("2026-11-30")
    expect(page.locator("#campaign-runs")).to_contain_text(f"{run.credits:,}")
    solutions = page.locator("#campaign-solutions")
    dla = solutions.get_by_role("row").filter(has_text="DLA")
    expect(dla).to_contain_text(f"{run.figures['solutions']['DLA']['eligible']:,}")
    expect(dla).to_contain_text(f"{run.dla_discount:,.2f}")
    expect(page.locator("#campaign-states").get_by_role("row").filter(has_text="Michoacán")).to_be_visible()
    expect(page.locator("#campaign-window-payments")).to_contain_text("120,000.00")
    expect(page.locator("#campaign-assumed")).to_contain_text("Ingreso mensual")
    assert date.fromisoformat(page.locator("#campaign-runs td a").first.inner_text()) == AS_OF
