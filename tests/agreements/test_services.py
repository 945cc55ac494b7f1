from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ventanilla.agreements import selectors, services
from ventanilla.agreements.demo import seed_demo_actions
from ventanilla.agreements.models import AgreedAction
from ventanilla.core.errors import DomainError, PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.people.models import Role

TODAY = date(2026, 11, 30)


def _new(world, agreements, **overrides):
    data = {"agreement_id": str(agreements["infonavit-ime-2021"].pk), "action": "Difundir la oferta en Chicago.",
            "owner_institution": "infonavit", "due_on": date(2024, 8, 31), **overrides}
    return services.create_action(world["users"][Role.SUPERVISOR], **data)


def test_the_seeds_agreements_are_there_with_their_sources(agreements):
    ime = agreements["infonavit-ime-2021"]
    assert ime.valid_to == date(2024, 9, 30) and "shared/seeds/000" in ime.source
    assert agreements["sre-imss-2022"].signed_on == date(2022, 12, 6)
    assert agreements["sre-imss-2021"].signed_on == date(2021, 3, 29)


def test_creating_an_action_is_audited(world, agreements):
    action = _new(world, agreements)
    entry = AuditEntry.objects.get(action="agreements.action_created", object_id=str(action.pk))
    assert entry.actor == world["users"][Role.SUPERVISOR]
    assert entry.after["status"] == "pending" and entry.after["owner_institution"] == "infonavit"


def test_a_status_change_is_audited_with_before_and_after_and_shows_in_the_history(world, agreements):
    action = _new(world, agreements)
    admin = world["users"][Role.ADMINISTRATOR]
    services.change_status(admin, action.pk, "in_progress", "Primera reunión celebrada.")
    services.change_status(world["users"][Role.SUPERVISOR], action.pk, "done")
    history = list(selectors.history(action))
    assert [entry.action for entry in history] == ["agreements.status_changed", "agreements.status_changed",
                                                  "agreements.action_created"]
    assert (history[1].before["status"], history[1].after["status"], history[1].actor_label) == (
        "pending", "in_progress", admin.username)
    assert history[1].after["note"] == "Primera reunión celebrada."
    assert (history[0].before["status"], history[0].after["status"]) == ("in_progress", "done")
    assert [c.body for c in action.comments.all()] == ["Primera reunión celebrada."]  # the note, in the thread


def test_refusals_name_the_field_and_store_nothing(world, agreements):
    with pytest.raises(DomainError) as refused:
        _new(world, agreements, agreement_id="", action=" ", owner_institution="sat", due_on=None)
    assert {e.field for e in refused.value.errors} == {"agreement", "action", "owner_institution", "due_on"}
    action = _new(world, agreements)
    with pytest.raises(DomainError) as refused:
        services.change_status(world["users"][Role.SUPERVISOR], action.pk, "pending")
    assert refused.value.errors[0].code == "unchanged"
    with pytest.raises(DomainError):
        services.change_status(world["users"][Role.SUPERVISOR], action.pk, "archived")
    assert AuditEntry.objects.filter(object_id=str(action.pk), action="agreements.status_changed").count() == 0


def test_who_may_change_what(world, agreements):
    action = _new(world, agreements)  # an Infonavit action
    users = world["users"]
    for role in (Role.IMSS_STAFF, Role.INFONAVIT_STAFF, Role.CONSULAR_OFFICER, Role.DERECHOHABIENTE):
        with pytest.raises(PermissionDeniedError):
            services.change_status(users[role], action.pk, "done")
    services.add_comment(users[Role.INFONAVIT_STAFF], action.pk, "Material enviado a los consulados.")
    with pytest.raises(PermissionDeniedError):
        services.add_comment(users[Role.IMSS_STAFF], action.pk, "No es nuestra.")
    with pytest.raises(PermissionDeniedError):
        services.add_comment(users[Role.CONSULAR_OFFICER], action.pk, "Solo lectura.")
    assert action.comments.count() == 1


def test_evidence_is_a_checked_file_or_a_link(world, agreements, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    action = _new(world, agreements)
    staff = world["users"][Role.INFONAVIT_STAFF]
    pdf = SimpleUploadedFile("minuta.pdf", b"%PDF-1.4\nminuta\n", content_type="application/pdf")
    stored = services.add_evidence(staff, action.pk, description="Minuta de la sesión", upload=pdf)
    assert stored.content_type == "application/pdf" and stored.size == 16
    assert stored.file.read() == b"%PDF-1.4\nminuta\n"
    services.add_evidence(staff, action.pk, description="Publicación", link="https://www.gob.mx/infonavit")
    for kwargs, field in (({"link": "ftp://x"}, "link"), ({}, "file"),
                          ({"upload": SimpleUploadedFile("a.exe", b"MZ\x90\x00")}, "file")):
        with pytest.raises(DomainError) as refused:
            services.add_evidence(staff, action.pk, description="Otra", **kwargs)
        assert refused.value.errors[0].field == field
    assert [e.description for e in action.evidence.all()] == ["Minuta de la sesión", "Publicación"]
    assert AuditEntry.objects.filter(object_id=str(action.pk), action="agreements.evidence_added").count() == 2


def test_overdue_and_past_validity_in_the_list(world, agreements):
    supervisor = world["users"][Role.SUPERVISOR]
    late = _new(world, agreements, due_on=date(2026, 10, 1), agreement_id=str(agreements["sre-imss-2022"].pk),
                owner_institution="imss")
    done = _new(world, agreements, due_on=date(2026, 10, 1))
    services.change_status(supervisor, done.pk, "done")
    beyond = _new(world, agreements, due_on=date(2027, 1, 31))  # after 30 Sep 2024
    rows = {r.action.pk: r for r in map(lambda a: selectors.row(a, TODAY), selectors.actions(supervisor, TODAY))}
    assert (rows[late.pk].overdue, rows[late.pk].past_validity) == (True, False)
    assert (rows[done.pk].overdue, rows[beyond.pk].overdue, rows[beyond.pk].past_validity) == (False, False, True)
    assert list(selectors.actions(supervisor, TODAY, overdue=True)) == [late]
    assert list(selectors.actions(supervisor, TODAY, institution="imss")) == [late]
    assert list(selectors.actions(supervisor, TODAY, status="done")) == [done]
    assert set(selectors.actions(supervisor, TODAY, agreement_id=agreements["infonavit-ime-2021"].pk)) == {
        done, beyond}


def test_demo_actions_are_marked_and_seeded_once(agreements):
    assert seed_demo_actions() == 5
    assert seed_demo_actions() == 0
    assert AgreedAction.objects.filter(is_demo=True).count() == AgreedAction.objects.count() == 5
