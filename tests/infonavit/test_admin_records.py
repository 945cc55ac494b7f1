"""The read-mostly admins of solutions, notices, refunds, deposits and employment relations: Infonavit staff and
administrators look them up (NSS and CLABE masked), nobody edits or deletes them there, other roles are kept out,
and an employment relation added there goes through the service (validated, audited, its aviso issued)."""

import uuid
from datetime import date

import pytest
from django.test import Client

from tests.conftest import make_person, make_user
from tests.infonavit.test_savings_services import CLABE, TODAY, pdf
from ventanilla.core.models import AuditEntry
from ventanilla.infonavit import refunds_services, savings_services, services
from ventanilla.infonavit.models import EmploymentRelation, Notice, RefundRequest, SolutionApplication
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
NSS = "92919084431"
RECORDS = ("solutionapplication", "notice", "refundrequest", "voluntarydeposit", "employmentrelation")


def client_for(role, consulate=None):
    client = Client()
    client.force_login(make_user(role, consulate=consulate))
    return client


@pytest.fixture
def records(consulate_la, settings, tmp_path):
    """One row of each kind, written by the services."""
    settings.MEDIA_ROOT = tmp_path
    staff = make_user(Role.INFONAVIT_STAFF)
    borrower = make_person(consulate_la, nss=NSS, birth_date=date(1975, 5, 2), sex="H")
    credit = services.originate_credit(staff, borrower, product="tradicional", denomination="pesos",
                                       origination_date=date(2020, 1, 15), amount_lent="500000", rate="10",
                                       term_months=240, regime="own", state="MN", monthly_insurance_and_fees="100")
    application = services.apply_solution(staff, credit, "PRORROGA", on=date(2026, 3, 10), channel="staff",
                                          idempotency_key=uuid.uuid4().hex,
                                          declared={"employed": "false", "contributing_to_imss": "false",
                                                    "months_unemployed": "2",
                                                    "months_employed_before_job_loss": "12"})
    saver = make_person(consulate_la, nss="12345678903")
    relation = savings_services.record_employment(staff, saver, employer_name="Constructora del Bajío SA de CV",
                                                  registro_patronal="Y5412345106", started_on=date(2025, 1, 1),
                                                  ended_on=date(2025, 12, 31), daily_sbc="600.00")
    savings_services.post_contributions(staff, until=TODAY, persons=[saver.pk])  # something to refund
    refund, _ = refunds_services.request_refund(
        staff, saver.pk, claimant="worker", basis="pension_resolution", afore="Afore Azteca", clabe=CLABE,
        bank_statement_date=date(2026, 11, 2), idempotency_key="ref-1", today=TODAY,
        documents={"pension_resolution": pdf(), "bank_statement": pdf("estado.pdf")})
    deposit, _ = savings_services.request_voluntary_deposit(staff, saver.pk, amount="2500.00",
                                                            idempotency_key="dep-1", on=TODAY)
    return {"solutionapplication": application, "notice": Notice.objects.filter(credit=credit).first(),
            "refundrequest": refund, "voluntarydeposit": deposit, "employmentrelation": relation,
            "credit": credit, "saver": saver}


@pytest.mark.parametrize("role", [Role.INFONAVIT_STAFF, Role.ADMINISTRATOR])
def test_infonavit_staff_look_but_do_not_change_nor_delete(records, role):
    client = client_for(role)
    for model in RECORDS:
        row = records[model]
        assert client.get(f"/admin/infonavit/{model}/").status_code == 200, model
        page = client.get(f"/admin/infonavit/{model}/{row.pk}/change/")
        assert page.status_code == 200, model
        html = page.content.decode()
        assert 'name="_save"' not in html, model  # a view-only page: no save button
        assert client.get(f"/admin/infonavit/{model}/{row.pk}/delete/").status_code == 403, model
        assert client.post(f"/admin/infonavit/{model}/{row.pk}/delete/", {"post": "yes"}).status_code == 403, model
        assert type(row).objects.filter(pk=row.pk).exists(), model
    for model in RECORDS[:-1]:
        assert client.get(f"/admin/infonavit/{model}/add/").status_code == 403, model
    application = records["solutionapplication"]
    client.post(f"/admin/infonavit/solutionapplication/{application.pk}/change/", {"status": "refused"})
    application.refresh_from_db()
    assert application.status == SolutionApplication.Status.ACTIVE


@pytest.mark.parametrize("role", [Role.IMSS_STAFF, Role.SUPERVISOR, Role.CONSULAR_OFFICER, Role.DERECHOHABIENTE])
def test_other_roles_are_kept_out(records, role, consulate_la):
    client = client_for(role, consulate_la if role == Role.CONSULAR_OFFICER else None)
    for model in RECORDS:
        assert client.get(f"/admin/infonavit/{model}/").status_code in (302, 403), (model, role)
        assert client.get(f"/admin/infonavit/{model}/{records[model].pk}/change/").status_code in (302, 403)
    assert client.get("/admin/infonavit/employmentrelation/add/").status_code in (302, 403)


def test_search_by_credit_number_and_nss_shows_the_nss_masked(records):
    client = client_for(Role.INFONAVIT_STAFF)
    credit = records["credit"]
    for model in ("solutionapplication", "notice"):
        by_number = client.get(f"/admin/infonavit/{model}/", {"q": credit.number}).content.decode()
        by_nss = client.get(f"/admin/infonavit/{model}/", {"q": NSS}).content.decode()
        nobody = client.get(f"/admin/infonavit/{model}/", {"q": "0000000000"}).content.decode()
        assert f"/admin/infonavit/{model}/{records[model].pk}/change/" in by_number, model
        assert f"/admin/infonavit/{model}/{records[model].pk}/change/" in by_nss, model
        assert f"/admin/infonavit/{model}/{records[model].pk}/change/" not in nobody, model
        assert "•••••••4431" in by_number and NSS not in by_number, model  # the full NSS only if typed
    refund = records["refundrequest"]
    html = client.get(f"/admin/infonavit/refundrequest/{refund.pk}/change/").content.decode()
    assert "•••• 9719" in html and CLABE not in html
    listing = client.get("/admin/infonavit/refundrequest/", {"q": "12345678903"}).content.decode()
    assert f"/admin/infonavit/refundrequest/{refund.pk}/change/" in listing


def test_undeclared_url_filters_are_refused_so_the_masked_clabe_cannot_be_read_by_prefix(records):
    client = client_for(Role.INFONAVIT_STAFF)
    refund = records["refundrequest"]
    for lookup in ("clabe__startswith", "clabe", "clabe__exact", "person__nss__startswith", "afore__icontains"):
        assert client.get("/admin/infonavit/refundrequest/", {lookup: CLABE[:10]}).status_code == 400, lookup
    assert client.get("/admin/infonavit/notice/", {"credit__borrower__curp__startswith": "A"}).status_code == 400
    # The declared list filters still work (and still narrow the list).
    row = f"/admin/infonavit/refundrequest/{refund.pk}/change/"
    same = client.get("/admin/infonavit/refundrequest/", {"status__exact": refund.status})
    other = client.get("/admin/infonavit/refundrequest/", {"status__exact": "paid" if refund.status != "paid"
                                                           else "refused"})
    assert same.status_code == other.status_code == 200
    assert row in same.content.decode() and row not in other.content.decode()
    relation = records["employmentrelation"]
    ended = client.get("/admin/infonavit/employmentrelation/", {"ended_on__isnull": "False"})
    assert ended.status_code == 200 and f"/employmentrelation/{relation.pk}/change/" in ended.content.decode()


def test_ledger_rows_stay_read_only_in_the_credit_page(records):
    credit = records["credit"]
    html = client_for(Role.INFONAVIT_STAFF).get(f"/admin/infonavit/credit/{credit.pk}/change/").content.decode()
    assert 'name="entries-0-amount"' not in html and "entries-0-DELETE" not in html


def test_an_employment_relation_added_in_the_admin_goes_through_the_service(records, consulate_la):
    person = make_person(consulate_la)
    staff = make_user(Role.INFONAVIT_STAFF)
    client = Client()
    client.force_login(staff)
    url = "/admin/infonavit/employmentrelation/add/"
    data = {"person": person.pk, "employer_name": "Servicios del Norte SA", "registro_patronal": "bad",
            "started_on": "2024-02-01", "ended_on": "", "daily_sbc": "450.00"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "El registro patronal tiene 11 caracteres" in refused.content.decode()
    assert not EmploymentRelation.objects.filter(person=person).exists()
    assert client.post(url, {**data, "registro_patronal": "Y5412345106"}).status_code == 302
    relation = EmploymentRelation.objects.get(person=person)
    assert (relation.registro_patronal, relation.created_by) == ("Y5412345106", staff)
    assert AuditEntry.objects.filter(action="infonavit.record_employment", object_id=str(relation.pk)).exists()
    # Changing or deleting a recorded relation is not offered.
    client.post(f"/admin/infonavit/employmentrelation/{relation.pk}/change/", {**data, "daily_sbc": "9.00"})
    relation.refresh_from_db()
    assert relation.daily_sbc == 450
    assert RefundRequest.objects.count() == 1  # the fixture's refund is untouched by all of this
