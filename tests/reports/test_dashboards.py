"""The dashboard pages: each role gets what it may, the numbers beside the chart, filters refused by field,
an officer confined to their consulate whatever the query string says."""

import re

import pytest
from django.test import Client

from tests.conftest import make_user
from tests.reports import dashboards_world
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
persons = dashboards_world.persons  # the fixture
PAGES = ["/tablero/", "/tablero/imss/", "/tablero/infonavit/", "/tablero/mi-cuenta/"]


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _persons_cells(html: str) -> dict[str, str]:
    """consulate name → the Personas cell of the persons_by_consulate table."""
    section = html.split('id="indicator-persons_by_consulate"', 1)[1].split("</section>", 1)[0]
    table = section.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table, re.S):
        values = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        cells[values[1]] = values[3]
    return cells


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.IMSS_STAFF, Role.INFONAVIT_STAFF, Role.ADMINISTRATOR])
def test_readers_see_every_dashboard(role, persons):
    client = _client(make_user(role))
    for path in PAGES:
        assert client.get(path).status_code == 200, path


def test_citizen_is_refused_and_anonymous_is_sent_to_log_in(persons):
    citizen = _client(make_user(Role.DERECHOHABIENTE))
    anonymous = _client()
    for path in PAGES:
        assert citizen.get(path).status_code == 403
        response = anonymous.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/entrar/")


def test_imss_dashboard_shows_numbers_chart_source_and_suppression(persons):
    html = _client(make_user(Role.SUPERVISOR)).get("/tablero/imss/").content.decode()
    assert sorted(_persons_cells(html).values()) == ["5", "7"]
    section = html.split('id="indicator-persons_by_consulate"', 1)[1].split("</section>", 1)[0]
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in section and 'role="img"' in section
    assert section.count('class="bar"') == 2  # Houston's 2 persons are not drawn either, nor San Diego's 5
    assert "2 filas no se muestran" in section and "sume al menos 5 personas" in section
    assert "Fuente:" in section and "Cifras calculadas el" in section and "(en vivo" in section
    assert "/tablero/persons_by_consulate.csv" in section and "/tablero/persons_by_consulate.xlsx" in section


def test_filters_narrow_the_figures_and_keep_the_query_in_the_export_links(persons):
    client = _client(make_user(Role.SUPERVISOR))
    html = client.get("/tablero/imss/", {"state": "MN"}).content.decode()
    assert sorted(_persons_cells(html).values()) == ["5", "6"]  # LA's Jalisco person left out
    assert "persons_by_consulate.csv?state=MN" in html
    html = client.get("/tablero/imss/", {"consulate": persons["chicago"].pk}).content.decode()
    assert list(_persons_cells(html).values()) == ["5"]


def test_bad_filters_are_refused_by_field(persons):
    response = _client(make_user(Role.SUPERVISOR)).get("/tablero/imss/", {"start": "2026-13-01", "state": "ZZ",
                                                                          "consulate": "la"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'id="id_start_error"' in html and "Use un mes (AAAA-MM) o una fecha válida (AAAA-MM-DD)." in html
    assert 'id="id_state_error"' in html and "Elija un estado de la lista." in html
    assert 'id="id_consulate_error"' in html and "Elija un consulado de la lista." in html
    assert 'id="indicator-persons_by_consulate"' not in html
    response = _client(make_user(Role.SUPERVISOR)).get("/tablero/imss/", {"start": "2026-05-01",
                                                                          "end": "2026-04-01"})
    assert response.status_code == 422 and "La fecha final no puede ser anterior a la inicial." in \
        response.content.decode()


def test_officer_sees_only_their_consulate_and_the_filter_says_so(persons):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=persons["chicago"])
    html = _client(officer).get("/tablero/imss/", {"consulate": persons["la"].pk}).content.decode()
    assert list(_persons_cells(html).values()) == ["5"]  # Chicago's, though LA was asked for
    assert "Como personal consular, ve solo las cifras de su consulado." in html
    assert 'name="consulate"' in html and "disabled" in html.split('name="consulate"', 1)[1].split(">", 1)[0]


def test_index_links_each_dashboard_and_gives_headline_numbers(persons):
    html = _client(make_user(Role.SUPERVISOR)).get("/tablero/").content.decode()
    for path in ("/tablero/imss/", "/tablero/infonavit/", "/tablero/mi-cuenta/", "/tablero/reporte/"):
        assert f'href="{path}' in html
    assert '<strong id="headline-persons">12</strong>' in html
    assert '<strong id="headline-consulates">2</strong>' in html
