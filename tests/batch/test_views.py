"""The staff screen of portfolio job runs: yearly adjustments and campaigns with their figures, in Spanish and
English; a replaced campaign is marked; assumed facts are flagged. (Who may open it: tests/test_access_matrix.py.)"""


import pytest
from django.test import Client

from tests.batch.conftest import AS_OF
from tests.conftest import make_user
from ventanilla.batch.services import run_campaign
from ventanilla.infonavit import services as infonavit_services
from ventanilla.people.models import Role
from ventanilla.people.services import system_account

pytestmark = pytest.mark.django_db


def test_staff_see_adjustments_and_the_campaign_figures(portfolio_seeded):
    staff = make_user(Role.INFONAVIT_STAFF)
    adjustment = infonavit_services.adjust_vsm_credits(staff, 2024)
    first = run_campaign(system_account(), AS_OF)
    run = run_campaign(staff, AS_OF)
    client = Client()
    client.force_login(staff)
    page = client.get("/infonavit/corridas/").content.decode()
    assert "Actualización anual VSM" in page and f"{adjustment.credits:,}" in page
    assert f"{run.credits:,}" in page and "20,000.00" in page  # the DLA discount of the nearly paid-off credit
    assert "reemplazada" in page and f"?campana={first.pk}" in page
    assert 'id="campaign-states"' in page and "Michoacán" in page and "120,000.00" in page  # window, 2024
    assert "Ingreso mensual: desconocido" in page and 'class="assumed"' in page
    english = client.get("/infonavit/corridas/", headers={"accept-language": "en"}).content.decode()
    assert "Potential beneficiaries by solution" in english and "Monthly income: unknown" in english


def test_an_unknown_or_malformed_campaign_shows_the_latest(var_dir):
    run_campaign(system_account(), AS_OF)  # the campaign runs as of today (pinned to AS_OF)
    client = Client()
    client.force_login(make_user(Role.ADMINISTRATOR))
    for query in ("?campana=999999", "?campana=x", ""):
        response = client.get(f"/infonavit/corridas/{query}")
        assert response.status_code == 200 and f"Campaña al {AS_OF.isoformat()}" in response.content.decode()


def test_an_empty_screen_says_so():
    client = Client()
    client.force_login(make_user(Role.INFONAVIT_STAFF))
    page = client.get("/infonavit/corridas/").content.decode()
    assert "Aún no se ha ejecutado ninguna campaña." in page
    assert "Aún no se ha ejecutado ninguna actualización anual." in page
