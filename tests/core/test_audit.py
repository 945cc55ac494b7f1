import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from tests.conftest import make_user, valid_person_payload
from ventanilla.core.errors import DomainError
from ventanilla.core.models import AuditEntry
from ventanilla.people import services
from ventanilla.people.models import Role


@pytest.mark.django_db
def test_every_service_write_records_who_what_and_after(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    person = services.register_person(officer, valid_person_payload(seed=11))
    entry = AuditEntry.objects.get(action="person.register", object_id=str(person.pk))
    assert entry.actor == officer
    assert entry.actor_label == officer.username
    assert entry.object_type == "people.person"
    assert entry.after["curp"] == person.curp
    assert entry.before is None


@pytest.mark.django_db
def test_refused_write_leaves_no_row_and_no_audit(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    before = AuditEntry.objects.count()
    with pytest.raises(DomainError):
        services.register_person(officer, valid_person_payload(seed=12, curp="NOTACURP"))
    assert AuditEntry.objects.count() == before


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted_through_the_model(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    services.register_person(officer, valid_person_payload(seed=13))
    entry = AuditEntry.objects.latest("id")
    entry.action = "tampered"
    with pytest.raises(ValueError, match="append-only"):
        entry.save()
    with pytest.raises(ValueError, match="append-only"):
        entry.delete()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
def test_postgresql_refuses_sql_update_of_the_audit_log(consulate_la):
    officer = make_user(Role.CONSULAR_OFFICER, consulate=consulate_la)
    services.register_person(officer, valid_person_payload(seed=14))
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditentry SET action = 'x'")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditentry")
