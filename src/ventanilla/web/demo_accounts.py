"""Demo accounts, one per role, printed by `make run`. Demo databases only."""

from django.contrib.auth.hashers import make_password

from ventanilla.people import services
from ventanilla.people.models import Person, Role, User
from ventanilla.reference.models import Consulate

DEMO_PASSWORD = "ventanilla-demo-2026"

DEMO_ACCOUNTS = (
    # username, role, consulate code
    ("admin", Role.ADMINISTRATOR, None),
    ("imss", Role.IMSS_STAFF, None),
    ("infonavit", Role.INFONAVIT_STAFF, None),
    ("supervisor", Role.SUPERVISOR, None),
    ("consul.la", Role.CONSULAR_OFFICER, "US-LOS-ANGELES"),
    ("consul.chicago", Role.CONSULAR_OFFICER, "US-CHICAGO"),
    ("ciudadano", Role.DERECHOHABIENTE, "US-LOS-ANGELES"),
)


def create_demo_accounts() -> list[tuple[str, str]]:
    """Create the accounts that are missing; the citizen is bound to a person of the LA consulate."""
    password_hash = make_password(DEMO_PASSWORD)  # one Argon2 hash for all: seeding stays fast
    created = []
    for username, role, code in DEMO_ACCOUNTS:
        if User.objects.filter(username=username).exists():
            continue
        consulate = Consulate.objects.get(code=code) if code else None
        person = None
        if role == Role.DERECHOHABIENTE:
            person = (Person.objects.filter(consulate=consulate, account__isnull=True, nss__isnull=False)
                      .order_by("pk").first())
        user = services.create_account(
            None, username=username, password=DEMO_PASSWORD, role=role, password_hash=password_hash,
            consulate=consulate if role == Role.CONSULAR_OFFICER else None, person=person,
            email=f"{username}@demo.ventanilla.example",
        )
        if role == Role.ADMINISTRATOR:
            User.objects.filter(pk=user.pk).update(is_superuser=True)
        created.append((username, role))
    return created


def enrol_demo_citizen() -> None:
    """The demo citizen is enrolled at the window of their consulate, through the real service."""
    from datetime import date

    from ventanilla.imss.services import enrol

    citizen = User.objects.filter(username="ciudadano", person__isnull=False).select_related("person").first()
    officer = User.objects.filter(username="consul.la").first()
    if citizen is None or officer is None or hasattr(citizen.person, "imss_affiliation"):
        return
    enrol(officer, citizen.person, occupation="Cocina", monthly_income="12000", periodicity="monthly",
          id_document_type="matricula", id_document_number="MC000000001", on=date(2024, 5, 6))
