"""The state report in Chromium: one state's solutions and discounts, its window-payment chart, printable."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_user
from tests.reports.test_indicators_infonavit import data  # noqa: F401  (the hand-built data set)
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_reads_michoacan_with_its_chart(page, login, data, tmp_path):  # noqa: F811
    make_user(Role.SUPERVISOR, "supervisor-estado")
    login("supervisor-estado")
    page.goto("/tablero/estado/MN/")
    expect(page.locator("h1")).to_contain_text("Michoacán")
    chart = page.locator("#chart-infonavit_window_payments")
    expect(chart).to_be_visible()
    assert chart.evaluate("node => node.tagName.toLowerCase()") == "svg"
    assert chart.locator("rect").count() > 0  # one bar per year with window payments
    text = page.locator("main").inner_text().replace(",", "").replace(".", "")
    assert "5000000" in text and "1600150" in text  # RC discounts 50,000.00 and DLA 16,001.50, any decimal mark
    page.screenshot(path=str(tmp_path / "estado-MN.png"), full_page=True)
    assert (tmp_path / "estado-MN.png").stat().st_size > 0
