"""Screens: staff upload a bank file and read the line report; slips download under the access rules."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from tests.conftest import make_person, make_user
from tests.payments.conftest import dates
from ventanilla.payments.models import PaymentFile
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db


def client_for(role, **kwargs) -> Client:
    client = Client()
    client.force_login(make_user(role, **kwargs))
    return client


def upload(client, content: bytes, name="banco.csv", **extra):
    return client.post("/pagos/archivos/", {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
                       **extra)


def bank_file(*references) -> bytes:
    paid = dates()["paid"].isoformat()
    lines = ["reference,amount,paid_at,operation_id"]
    lines += [f"{r.code},{r.amount},{paid},OP-{i}" for i, r in enumerate(references)]
    lines += [f"{references[0].code},1.00,{paid},OP-BAD"]
    return ("\n".join(lines) + "\n").encode()


def test_staff_upload_a_file_and_read_the_line_report(issue, owner):
    references = [issue() for _ in range(3)]
    staff = client_for(Role.IMSS_STAFF)
    page = staff.get("/pagos/archivos/")
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    assert 'for="id_file"' in page.content.decode()
    response = upload(staff, bank_file(*references))
    payment_file = PaymentFile.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/pagos/archivos/{payment_file.pk}/"
    report = staff.get(response["Location"]).content.decode()
    assert 'id="lines-applied">3<' in report and 'id="lines-rejected">1<' in report
    assert '<td class="num">5</td>' in report and "already_paid" in report
    assert "La referencia ya está pagada." in report
    english = staff.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The reference is already paid." in english
    listing = staff.get("/pagos/archivos/").content.decode()
    assert "banco.csv" in listing and f"/pagos/archivos/{payment_file.pk}/" in listing


def test_a_bad_file_shows_the_reason_next_to_the_field(owner):
    staff = client_for(Role.ADMINISTRATOR)
    response = upload(staff, b"columna,otra\n1,2\n")
    assert response.status_code == 422
    page = response.content.decode()
    assert 'role="alert"' in page and "reference, amount, paid_at" in page and 'aria-invalid="true"' in page
    assert PaymentFile.objects.count() == 0


@override_settings(FILE_UPLOAD_MAX_MEMORY_SIZE=0)  # large uploads arrive as temporary files
def test_a_file_spooled_to_disk_imports_the_same(issue, owner):
    reference = issue()
    response = upload(client_for(Role.INFONAVIT_STAFF), bank_file(reference))
    assert response.status_code == 302
    assert PaymentFile.objects.get().lines_applied == 1


def test_other_roles_do_not_see_files(consulate_la):
    assert client_for(Role.CONSULAR_OFFICER, consulate=consulate_la).get("/pagos/archivos/").status_code == 403
    assert Client().get("/pagos/archivos/").status_code == 302
    assert client_for(Role.IMSS_STAFF).get("/pagos/archivos/424242/").status_code == 404


def test_slip_download_follows_the_access_funnel(issue, person, consulate_la, consulate_chicago):
    mine, theirs = issue(), issue(person=make_person(consulate_chicago))
    officer = client_for(Role.CONSULAR_OFFICER, consulate=consulate_la)
    response = officer.get(f"/pagos/referencias/{mine.code}/ficha.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert officer.get(f"/pagos/referencias/{theirs.code}/ficha.pdf").status_code == 404
    citizen = client_for(Role.DERECHOHABIENTE, person=person)
    assert citizen.get(f"/pagos/referencias/{mine.code}/ficha.pdf").status_code == 200
    assert citizen.get(f"/pagos/referencias/{theirs.code}/ficha.pdf").status_code == 404
    assert client_for(Role.SUPERVISOR).get(f"/pagos/referencias/{mine.code}/ficha.pdf").status_code == 403
