"""Prequalification screens: public, the portal prefilled from the person on file, the officer's for a person
of the consulate; menu entries."""

import pytest
from django.test import Client

from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
QUERY = {"as_of": "2026-03-02", "birth_date": "1995-06-01", "sex": "H", "monthly_salary": "10698.66",
         "scv_balance": "40000.00", "continuous_bimesters": "12", "worker_type": "permanent", "employed": "on"}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_public_page_answers_points_and_products(client):
    page = client.get("/infonavit/precalificacion/", QUERY)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Califica" in html and "115 puntos; mínimo del modelo T100: 100." in html
    assert 'data-product="credito_infonavit"' in html and "$634,193.86" in html and "4.49 %" in html
    assert "$3,209.60" in html and "$1,155,456.00" in html
    english = client.get("/infonavit/precalificacion/", QUERY, HTTP_ACCEPT_LANGUAGE="en")
    assert "Reaches 115 points" in english.content.decode()
    assert "Prequalification and credit simulator" in english.content.decode()
    assert "115 points; the T100 model's minimum: 100." in english.content.decode()


def test_bad_input_is_shown_next_to_its_field(client):
    page = client.get("/infonavit/precalificacion/", {**QUERY, "monthly_salary": "doce mil", "birth_date": "2015-01-01"})
    assert page.status_code == 422
    errors = page.context["form"].errors
    assert "monthly_salary" in errors and "birth_date" in errors


def test_unamos_from_the_second_person_fields(client):
    page = client.get("/infonavit/precalificacion/", {**QUERY, "second_birth_date": "1990-01-15", "second_sex": "M",
                                                       "second_monthly_salary": "15000", "second_scv_balance": "0",
                                                       "second_continuous_bimesters": "20",
                                                       "second_worker_type": "permanent", "second_employed": "on"})
    assert page.status_code == 200 and 'data-product="unamos"' in page.content.decode()


def test_the_portal_is_prefilled_from_the_person_on_file(world):
    from datetime import date
    from decimal import Decimal

    from ventanilla.infonavit import savings_services
    from ventanilla.infonavit.rules import savings

    person = world["person_la"]
    staff = world["users"][Role.INFONAVIT_STAFF]
    for period, amount in ((savings.SCV_92, "12000.50"), (savings.SCV_97, "30000.00")):
        savings_services.record_opening_balance(staff, person, savings_period=period, amount=Decimal(amount),
                                                on=date(2026, 1, 2))
    page = signed_in(world["users"][Role.DERECHOHABIENTE]).get("/infonavit/precalificacion/mi-cuenta/")
    assert page.status_code == 200
    initial = page.context["form"].initial
    assert initial["birth_date"] == person.birth_date and initial["scv_balance"] == "42000.50"  # the SCV ledger
    if person.sex in {"H", "M"}:
        assert initial["sex"] == person.sex
    menu = [item["label"] for item in page.context["nav_items"]]
    assert "Precalificación" in [str(label) for label in menu]


def test_the_officer_prequalifies_a_person_of_the_consulate_only(world):
    officer = signed_in(world["users"][Role.CONSULAR_OFFICER])
    page = officer.get(f"/infonavit/precalificacion/personas/{world['person_la'].pk}/")
    assert page.status_code == 200 and page.context["form"].initial["birth_date"] == world["person_la"].birth_date
    assert officer.get(f"/infonavit/precalificacion/personas/{world['person_chicago'].pk}/").status_code == 404
    labels = [str(item["label"]) for item in page.context["nav_items"]]
    assert "Precalificación" in labels and "Oferta Infonavit" in labels


def test_bienestar_is_shown_as_its_own_path_without_the_products(client):
    page = client.get("/infonavit/precalificacion/", {**QUERY, "monthly_salary": "12000.00",
                                                       "continuous_bimesters": "3"})
    html = page.content.decode()
    assert page.status_code == 200 and "Aún no califica" in html and "74 puntos; mínimo del modelo T100: 100." in html
    assert html.count('class="refused"') == 3  # Crédito Infonavit, Cofinavit, Mejoravit: gated on points
    assert 'id="bienestar" aria-labelledby="bienestar-title" data-eligible="true"' in html
    assert "Cumple Vivienda para el Bienestar</strong>" in html
    english = client.get("/infonavit/precalificacion/", {**QUERY, "monthly_salary": "12000.00",
                                                          "continuous_bimesters": "3", "owns_home": "on"},
                         HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Vivienda para el Bienestar (no points)" in english and "Does not meet Vivienda para el Bienestar" in english
    assert "Vivienda para el Bienestar is for people without a home of their own." in english
