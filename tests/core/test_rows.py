"""core.rows.get_row: the same instances as the ORM's get() (every concrete field, its value and type, the
related row cached as select_related leaves it), IS NULL and related filters, nothing found, two rows refused;
and the three reads built on it (the session's user, an API token, a statement's credit) keep their access
answers."""

from datetime import date

import pytest
from django.test import Client

from tests.conftest import make_person, make_user
from ventanilla.core.errors import NotFoundError
from ventanilla.core.rows import get_row
from ventanilla.infonavit import selectors, services
from ventanilla.infonavit.models import Credit
from ventanilla.people import services as people_services
from ventanilla.people.backends import UserBackend
from ventanilla.people.models import ApiToken, Person, Role, User

pytestmark = pytest.mark.django_db


def fields_of(instance) -> dict:
    return {f.attname: (getattr(instance, f.attname), type(getattr(instance, f.attname)))
            for f in type(instance)._meta.concrete_fields}


@pytest.fixture
def credit(world):
    staff = world["users"][Role.INFONAVIT_STAFF]
    return services.originate_credit(
        staff, world["person_la"], product="tradicional", denomination="pesos", origination_date=date(2025, 1, 15),
        amount_lent="120000.50", rate="12", term_months=120, regime="own", state="MN",
        monthly_insurance_and_fees="50")


def test_a_credit_with_its_borrower_equals_the_orms_select_related_get(credit, django_assert_num_queries):
    expected = Credit.objects.select_related("borrower").get(number=credit.number)
    with django_assert_num_queries(1):  # the borrower comes in the same query
        found = get_row(Credit, {"number": credit.number, "borrower_id": credit.borrower_id}, related="borrower")
        assert fields_of(found) == fields_of(expected) and found._state.adding is False
        assert fields_of(found.borrower) == fields_of(expected.borrower)
    assert found == expected and found.borrower == expected.borrower and found._state.db == "default"
    assert get_row(Credit, {"number": credit.number, "borrower_id": credit.borrower_id + 1000}) is None
    assert get_row(Credit, {"number": "0000000000"}, related="borrower") is None


def test_is_null_and_related_filters_and_two_rows_refused(world, consulate_la):
    user = make_user(Role.DERECHOHABIENTE, person=make_person(consulate_la))
    _record, token = people_services.issue_api_token(user, user, "rows test")
    digest = ApiToken.digest_of(token)
    found = get_row(ApiToken, {"digest": digest, "revoked_at": None, "user__is_active": True}, related="user")
    expected = ApiToken.objects.select_related("user").get(digest=digest)
    assert fields_of(found) == fields_of(expected) and fields_of(found.user) == fields_of(expected.user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert get_row(ApiToken, {"digest": digest, "revoked_at": None, "user__is_active": True}, related="user") is None
    assert get_row(ApiToken, {"digest": digest, "revoked_at": None}) is not None
    make_person(consulate_la, first_names="GEMELA")
    make_person(consulate_la, first_names="GEMELA")
    with pytest.raises(Person.MultipleObjectsReturned):
        get_row(Person, {"first_names": "GEMELA"})
    with pytest.raises(ValueError):
        get_row(ApiToken, {"user__is_active": True}, related=None)
    with pytest.raises(ValueError, match="at least one filter"):
        get_row(User, {})


def test_the_session_user_is_read_as_model_backend_reads_it(world, consulate_la):
    user = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    backend = UserBackend()
    assert fields_of(backend.get_user(user.pk)) == fields_of(User.objects.get(pk=user.pk))
    assert fields_of(backend.get_user(str(user.pk))) == fields_of(User.objects.get(pk=user.pk))  # as the session holds it
    assert backend.get_user("not-an-id") is None and backend.get_user(user.pk + 1000) is None
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert backend.get_user(user.pk) is None  # an inactive user is signed out, as with ModelBackend
    client = Client()
    client.force_login(make_user(Role.SUPERVISOR))
    assert client.get("/tablero/").status_code == 200


def test_the_statement_credit_keeps_each_roles_access(credit, world, consulate_chicago):
    """The borrower and the all-credits roles read by get_row; the officer by the ORM; the rest see nothing."""
    stranger = make_user(Role.DERECHOHABIENTE, person=world["other_la"])
    no_person = make_user(Role.DERECHOHABIENTE)
    for user in (world["users"][Role.DERECHOHABIENTE], world["users"][Role.INFONAVIT_STAFF],
                 world["users"][Role.ADMINISTRATOR], world["users"][Role.CONSULAR_OFFICER]):
        found = selectors.get_visible_credit(user, credit.number)
        assert found.pk == credit.pk and found.borrower.pk == credit.borrower_id, user.role
    for user in (stranger, no_person, world["users"][Role.IMSS_STAFF], world["users"][Role.SUPERVISOR],
                 make_user(Role.CONSULAR_OFFICER, consulate=consulate_chicago)):
        with pytest.raises(NotFoundError):
            selectors.get_visible_credit(user, credit.number)


def test_the_last_entry_comes_with_the_credit_and_keys_the_statement_as_the_probe_does(credit, world):
    """selectors.get_visible_credit reads the last ledger entry's id in the credit's query (core.rows
    annotations); the statement's cache key is the same as with the separate probe, and moves with a new entry."""
    from ventanilla.infonavit import statement_cache
    from ventanilla.infonavit.models import LedgerEntry

    staff = world["users"][Role.INFONAVIT_STAFF]
    day, start, end = date(2025, 3, 1), date(2025, 1, 1), date(2025, 3, 1)
    read = selectors.get_visible_credit(staff, credit.number)
    plain = Credit.objects.select_related("borrower").get(pk=credit.pk)  # no annotation: the key probes
    last = LedgerEntry.objects.filter(credit=credit).order_by("-sequence").first()
    assert read.last_entry_id == last.pk and not hasattr(plain, "last_entry_id")
    key = statement_cache.statement_key(read, start, end, day, "es")
    assert key == statement_cache.statement_key(plain, start, end, day, "es")
    services.post_monthly_accrual(staff, credit, date(2025, 2, 1))
    again = selectors.get_visible_credit(staff, credit.number)
    assert again.last_entry_id != last.pk and statement_cache.statement_key(again, start, end, day, "es") != key
    assert statement_cache.statement_key(again, start, end, day, "es") == statement_cache.statement_key(
        Credit.objects.select_related("borrower").get(pk=credit.pk), start, end, day, "es")


def test_a_nullable_related_key_is_refused():
    from ventanilla.infonavit.models import LedgerEntry

    nullable = next(f.name for f in LedgerEntry._meta.concrete_fields if f.is_relation and f.null)
    with pytest.raises(ValueError, match="may be null"):
        get_row(LedgerEntry, {"id": 1}, related=nullable)


def test_a_session_signed_in_before_the_backend_changed_stays_signed_in(world):
    """Sessions name their backend; ModelBackend's (every session before people.backends) still authenticates."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    SessionStore = import_module(settings.SESSION_ENGINE).SessionStore  # noqa: N806

    user = world["users"][Role.SUPERVISOR]
    session = SessionStore()
    session.update({SESSION_KEY: str(user.pk), BACKEND_SESSION_KEY: "django.contrib.auth.backends.ModelBackend",
                    HASH_SESSION_KEY: user.get_session_auth_hash()})
    session.create()
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    assert client.get("/tablero/").status_code == 200


def test_a_failed_log_in_hashes_the_password_once(world, monkeypatch):
    """UserBackend refuses for good: ModelBackend, listed after it for old sessions, is not tried as well."""
    from django.contrib.auth import authenticate
    from django.contrib.auth.hashers import check_password as real_check

    calls = []

    def counting(password, encoded, *args, **kwargs):
        calls.append(1)
        return real_check(password, encoded, *args, **kwargs)

    monkeypatch.setattr("django.contrib.auth.base_user.check_password", counting)
    user = world["users"][Role.SUPERVISOR]
    user.set_password("la-buena-2026")
    user.save()
    assert authenticate(None, username=user.username, password="la-mala") is None
    assert len(calls) == 1
    assert authenticate(None, username=user.username, password="la-buena-2026") == user
