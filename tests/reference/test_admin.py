"""Staff edit parameters in the Django admin: overlaps refused with a message, every change audited."""

import pytest
from django.test import Client

from ventanilla.core.models import AuditEntry
from ventanilla.reference.models import Uma

pytestmark = pytest.mark.django_db


def _form(row: Uma, **changes) -> dict:
    data = {"valid_from": row.valid_from.isoformat(), "valid_to": row.valid_to.isoformat() if row.valid_to else "",
            "source": row.source, "daily": str(row.daily), "monthly": str(row.monthly), "annual": str(row.annual)}
    if row.assumed:
        data["assumed"] = "on"
    data.update(changes)
    return data


def test_staff_change_in_the_admin_is_audited(world):
    client = Client()
    staff = world["users"]["imss_staff"]
    client.force_login(staff)
    row = Uma.objects.get(valid_from="2026-02-01")
    response = client.post(f"/admin/reference/uma/{row.pk}/change/", _form(row, source="DOF 9-ene-2026"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="reference.update", object_id=str(row.pk))
    assert entry.actor == staff and entry.after["source"] == "DOF 9-ene-2026"


def test_overlapping_row_is_refused_in_the_admin_with_the_reason(world):
    client = Client()
    client.force_login(world["users"]["infonavit_staff"])
    row = Uma.objects.get(valid_from="2026-02-01")
    new = _form(row, valid_from="2026-12-01", valid_to="2027-01-15", daily="120.00")
    response = client.post("/admin/reference/uma/add/", new)
    assert response.status_code == 200
    assert "se traslapa con el registro vigente del 2026-02-01 al 2027-01-31" in response.content.decode()
    assert Uma.objects.count() == 12
    assert not AuditEntry.objects.filter(action="reference.create").exists()


def test_supervisor_cannot_open_the_admin(world):
    client = Client()
    client.force_login(world["users"]["supervisor"])
    assert client.get("/admin/reference/uma/").status_code == 302
