"""The payment slip: one page, the formatted reference, both languages, codes that carry nothing personal."""

import io

import pytest
from pypdf import PdfReader

from ventanilla.payments.pdf import qr_payload, reference_slip_pdf

pytestmark = pytest.mark.django_db


def text_of(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def test_slip_in_spanish(issue, person):
    reference = issue(amount="12345.60")
    pdf = reference_slip_pdf(reference)
    assert pdf.startswith(b"%PDF")
    pages, text = text_of(pdf)
    assert pages == 1
    for expected in (reference.formatted, "$12,345.60 MXN", person.full_name, "Ficha de pago", "Cómo pagar",
                     "Transferencia SPEI", "Ventanilla bancaria", "Finabien", "Cuotas IMSS prueba"):
        assert expected in text, expected


def test_slip_in_english(issue):
    reference = issue()
    pages, text = text_of(reference_slip_pdf(reference, language="en"))
    assert pages == 1 and reference.formatted in text
    assert "Payment slip" in text and "How to pay" in text and "Ficha de pago" not in text


def test_codes_carry_nothing_personal(issue, person):
    reference = issue(amount="980.00")
    payload = qr_payload(reference)
    assert payload == f"{reference.code}|980.00|{reference.due_date.isoformat()}"
    for personal in (person.curp, person.nss, person.first_names, person.last_name_1):
        assert not personal or personal not in payload
    assert person.curp.encode() not in reference_slip_pdf(reference)
