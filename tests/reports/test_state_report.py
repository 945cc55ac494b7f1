"""The state report: one state's solutions, DLA and window payments by year with the chart, per role."""

from datetime import date

import pytest
from django.urls import reverse

from tests.conftest import make_user
from tests.reports.test_indicators_infonavit import data  # noqa: F401  (the hand-built data set)
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
URL = reverse("reports:state_report", args=["MN"])


def test_supervisor_sees_the_state_figures_and_the_chart(client, data):  # noqa: F811
    client.force_login(make_user(Role.SUPERVISOR))
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode().replace(",", ".")  # decimal mark as the active locale renders it
    assert "Michoacán" in html and "<svg" in html and 'id="chart-infonavit_window_payments"' in html
    assert "<td class=\"num\">50000.00</td>" in html  # RC discounts
    assert "<td class=\"num\">16001.50</td>" in html  # DLA discounts


def test_officer_gets_the_consulate_only(client, data, consulate_chicago):  # noqa: F811
    client.force_login(make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago))
    html = client.get(URL, {"start": date(2025, 1, 1).isoformat()}).content.decode().replace(",", ".")
    # Chicago's five DLA discounts of 2,000; none of Los Angeles' RC or DLA.
    assert "<td class=\"num\">10000.00</td>" in html
    assert "5002.50" not in html and "50000.00" not in html


def test_citizen_refused_and_anonymous_sent_to_log_in(client, db):
    client.force_login(make_user(Role.DERECHOHABIENTE))
    assert client.get(URL).status_code == 403
    client.logout()
    assert client.get(URL).status_code == 302


def test_unknown_state_is_404_and_bad_dates_422(client, db):
    client.force_login(make_user(Role.SUPERVISOR))
    assert client.get(reverse("reports:state_report", args=["XX"])).status_code == 404
    assert client.get(URL, {"start": "2025-13-01"}).status_code == 422
