"""The dashboards in Chromium with demo data: a screenshot of each (PNG under the test's tmp dir), the charts
present as SVG, and every number in each table equal to GET /api/v1/reports/{indicator} for the same filters."""

import pytest
from playwright.sync_api import expect

from tests.conftest import make_person, make_user
from ventanilla.people.models import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DASHBOARDS = ["/tablero/", "/tablero/imss/", "/tablero/infonavit/", "/tablero/mi-cuenta/"]


@pytest.fixture
def demo(transactional_db):
    """Persons (built by the demo generator) at five consulates, one of them under five (suppressed) and San
    Diego's 5 hidden as its complement (the total minus the rows shown would give Houston's 2 back)."""
    from ventanilla.reference.models import Consulate

    sizes = {"US-LOS-ANGELES": 9, "US-CHICAGO": 6, "US-DALLAS": 5, "US-SAN-DIEGO": 5, "US-HOUSTON": 2}
    for code, size in sizes.items():
        consulate = Consulate.objects.get(code=code)
        for index in range(size):
            make_person(consulate, mx_state="JC" if index % 3 == 0 else "MN")
    make_user(Role.SUPERVISOR, "supervisora")
    return sizes


def _page_rows(section) -> list[list[str]]:
    return [[cell.inner_text().strip() for cell in row.locator("td").all()]
            for row in section.locator("table.indicator-table tbody tr").all()]


def _api_rows(page, name: str, query: str) -> tuple[dict, list[list[str]]]:
    answer = page.request.get(f"/api/v1/reports/{name}{query}").json()
    keys = [column["key"] for column in answer["columns"]]
    return answer, [["—" if row[key] is None else str(row[key]) for key in keys] for row in answer["rows"]]


def _check_numbers_equal_the_api(page, query: str = "") -> int:
    sections = page.locator("section.indicator").all()
    for section in sections:
        name = section.get_attribute("data-indicator")
        answer, api_rows = _api_rows(page, name, query)
        page_rows = _page_rows(section)
        if api_rows:
            assert page_rows == api_rows, name
        else:
            assert len(page_rows) == 1 and "Sin datos" in page_rows[0][0], name
    return len(sections)


def test_each_dashboard_renders_its_charts_and_the_apis_numbers(page, login, demo, tmp_path):
    login("supervisora")
    listed = page.request.get("/api/v1/reports").json()
    with_chart = {item["domain"]: 0 for item in listed}
    for item in listed:
        with_chart[item["domain"]] += item["chart"] is not None
    for path, domain in zip(DASHBOARDS, [None, "imss", "infonavit", "mi_cuenta"], strict=True):
        page.goto(path)
        expect(page.locator("h1")).to_be_visible()
        shown = _check_numbers_equal_the_api(page)
        if domain is None:
            assert shown == 1  # the index: persons by consulate
            expect(page.locator("#headline-persons")).to_have_text("20")  # nor Houston's 2, nor San Diego's 5
        else:
            assert shown == sum(1 for item in listed if item["domain"] == domain)
            assert page.locator("section.indicator svg[role=img]").count() == with_chart[domain]
        name = "index" if domain is None else domain
        page.screenshot(path=tmp_path / f"tablero-{name}.png", full_page=True)
        assert (tmp_path / f"tablero-{name}.png").stat().st_size > 5_000
    page.goto("/tablero/imss/")
    bars = page.locator("#indicator-persons_by_consulate svg rect.bar")
    expect(bars).to_have_count(3)
    assert [bars.nth(i).get_attribute("data-value") for i in range(3)] == ["9", "6", "5"]


def test_filtering_on_a_phone_keeps_the_page_equal_to_the_api(page, login, demo, tmp_path):
    page.set_viewport_size({"width": 390, "height": 844})
    login("supervisora")
    page.goto("/tablero/imss/")
    page.get_by_label("Estado").select_option("MN")
    page.get_by_role("button", name="Filtrar").click()
    assert "state=MN" in page.url
    _check_numbers_equal_the_api(page, "?state=MN")
    chart = page.locator("#indicator-persons_by_consulate svg")
    box = chart.bounding_box()
    assert box is not None and box["width"] <= 390  # the chart fits the phone's width
    page.screenshot(path=tmp_path / "tablero-imss-phone.png", full_page=True)
    page.get_by_label("Desde").fill("2026-12")  # month inputs: whole months only (issue 6 privacy)
    page.get_by_label("Hasta").fill("2026-11")
    page.get_by_role("button", name="Filtrar").click()
    expect(page.locator("#id_end_error")).to_contain_text("La fecha final no puede ser anterior a la inicial.")
