"""Every access decision about persons goes through these few functions (and is proven in tests/access)."""

from django.db.models import QuerySet

from ventanilla.core.errors import NotFoundError, PermissionDeniedError
from ventanilla.people.models import Person, Role

STAFF_ROLES = frozenset({Role.IMSS_STAFF, Role.INFONAVIT_STAFF, Role.ADMINISTRATOR})
# Who may look persons up at all. Supervisors see figures, never a person.
PERSON_READER_ROLES = STAFF_ROLES | {Role.CONSULAR_OFFICER, Role.DERECHOHABIENTE}
PERSON_REGISTRAR_ROLES = STAFF_ROLES | {Role.CONSULAR_OFFICER}
PARAMETER_EDITOR_ROLES = STAFF_ROLES
FIGURES_ROLES = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR, Role.IMSS_STAFF, Role.INFONAVIT_STAFF,
                           Role.CONSULAR_OFFICER})


def role_of(user) -> str | None:
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return user.role


def has_role(user, roles) -> bool:
    return role_of(user) in roles


def require_role(user, roles) -> str:
    role = role_of(user)
    if role not in roles:
        raise PermissionDeniedError(role or "anonymous")
    return role


def visible_persons(user) -> QuerySet[Person]:
    """The persons a user may see: their own; their consulate's; all for staff; none otherwise."""
    role = role_of(user)
    if role in STAFF_ROLES:
        return Person.objects.all()
    if role == Role.CONSULAR_OFFICER:
        return Person.objects.filter(consulate_id=user.consulate_id)
    if role == Role.DERECHOHABIENTE and user.person_id:
        return Person.objects.filter(pk=user.person_id)
    return Person.objects.none()


def get_visible_person(user, person_id: int) -> Person:
    """A person by id, or NotFoundError when it does not exist or is not this user's to see (one answer)."""
    person = visible_persons(user).filter(pk=person_id).first()
    if person is None:
        raise NotFoundError("person")
    return person


def consulate_scope(user) -> int | None:
    """Officers work for one consulate: every figure and list they get is limited to it."""
    return user.consulate_id if role_of(user) == Role.CONSULAR_OFFICER else None
