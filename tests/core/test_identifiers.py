import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from ventanilla.core.errors import DomainError
from ventanilla.core.identifiers import (
    clabe_check_digit,
    nss_check_digit,
    validate_clabe,
    validate_curp,
    validate_nss,
    validate_rfc,
)


def test_nss_example_from_the_domain_note_is_valid():
    assert validate_nss("92919084431") == "92919084431"
    assert validate_nss("9291-9084-431") == "92919084431"


@pytest.mark.parametrize(("value", "code"), [
    ("92919084432", "invalid_check_digit"), ("9291908443", "invalid_length"), ("9291908443A", "invalid_format"),
])
def test_invalid_nss_names_field_and_reason(value, code):
    with pytest.raises(DomainError) as caught:
        validate_nss(value)
    assert caught.value.errors[0].field == "nss"
    assert caught.value.errors[0].code == code


@given(st.text(alphabet="0123456789", min_size=10, max_size=10))
def test_nss_check_digit_round_trip(first_ten):
    number = first_ten + nss_check_digit(first_ten)
    assert validate_nss(number) == number
    wrong = first_ten + str((int(number[-1]) + 1) % 10)
    with pytest.raises(DomainError):
        validate_nss(wrong)


def test_curp_is_checked_with_python_stdnum():
    assert validate_curp("boxw310820hnerxn09") == "BOXW310820HNERXN09"
    with pytest.raises(DomainError) as caught:
        validate_curp("BOXW310820HNERXN08")
    assert caught.value.errors[0].code == "invalid_check_digit"
    with pytest.raises(DomainError) as caught:
        validate_curp("BOXW311320HNERXN09")  # month 13
    assert caught.value.errors[0].code == "invalid_component"


def test_curp_error_message_in_spanish_and_english():
    with pytest.raises(DomainError) as caught:
        validate_curp("XYZ")
    message = caught.value.errors[0].message  # lazy: rendered in the language of whoever reads it
    with translation.override("es"):
        assert str(message) == "La CURP tiene 18 caracteres."
    with translation.override("en"):
        assert str(message) == "The CURP has 18 characters."


def test_rfc_of_a_person_with_check_digit():
    assert validate_rfc("GODE561231GR8") == "GODE561231GR8"
    with pytest.raises(DomainError) as caught:
        validate_rfc("GODE561231GR9")
    assert caught.value.errors[0].code == "invalid_check_digit"
    with pytest.raises(DomainError) as caught:
        validate_rfc("ABC680524P73")  # a company's RFC
    assert caught.value.errors[0].code == "not_a_person"


def test_clabe_check_digit_banxico_example():
    assert clabe_check_digit("03218000011835971") == "9"
    assert validate_clabe("032180000118359719") == "032180000118359719"
    with pytest.raises(DomainError) as caught:
        validate_clabe("032180000118359710")
    assert caught.value.errors[0].code == "invalid_check_digit"
