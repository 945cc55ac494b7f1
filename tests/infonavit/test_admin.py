"""Infonavit staff look credits up in the admin; the only change there is the freeze, through the service."""

import re
from datetime import date

import pytest
from django.test import Client

from tests.conftest import make_person, make_user
from ventanilla.core.models import AuditEntry
from ventanilla.infonavit import services
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def credit(consulate_la):
    staff = make_user(Role.INFONAVIT_STAFF)
    return services.originate_credit(staff, make_person(consulate_la), product="tradicional", denomination="vsm",
                                     origination_date=date(2008, 5, 2), amount_lent="300000",
                                     amount_lent_vsm="200", rate="6", term_months=360, regime="own", state="JC",
                                     monthly_payment="2500")


def client_for(role):
    client = Client()
    client.force_login(make_user(role))
    return client


def hidden_inputs(html: str) -> dict[str, str]:
    """What the browser sends back unchanged: the ledger inline's management form and ids."""
    return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))


def test_freezing_a_credit_needs_a_reason_and_is_audited(credit):
    client = client_for(Role.INFONAVIT_STAFF)
    url = f"/admin/infonavit/credit/{credit.pk}/change/"
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200 and credit.number in html and "Disposición del crédito" in html
    form = hidden_inputs(html)
    assert client.post(url, {**form, "frozen": "on"}).status_code == 200  # no reason: the form shows the error
    credit.refresh_from_db()
    assert not credit.frozen
    assert client.post(url, {**form, "frozen": "on", "frozen_reason": "Congelamiento 2024"}).status_code == 302
    credit.refresh_from_db()
    assert credit.frozen
    entry = AuditEntry.objects.get(action="infonavit.set_frozen")
    assert entry.before == {"frozen": False} and entry.after["reason"] == "Congelamiento 2024"


def test_other_roles_do_not_see_credits_and_nobody_edits_runs(credit):
    for role in (Role.IMSS_STAFF, Role.SUPERVISOR):
        assert client_for(role).get(f"/admin/infonavit/credit/{credit.pk}/change/").status_code in (302, 403)
    run = services.adjust_vsm_credits(make_user(Role.INFONAVIT_STAFF), 2024)
    staff = client_for(Role.INFONAVIT_STAFF)
    listing = staff.get("/admin/infonavit/adjustmentrun/")
    assert listing.status_code == 200 and "2024" in listing.content.decode()
    assert staff.post(f"/admin/infonavit/adjustmentrun/{run.pk}/change/", {"credits": "9"}).status_code == 403
    assert staff.get("/admin/infonavit/adjustmentrun/add/").status_code == 403
    assert staff.get("/admin/infonavit/credit/add/").status_code == 403
    assert client_for(Role.IMSS_STAFF).get("/admin/infonavit/adjustmentrun/").status_code == 403
