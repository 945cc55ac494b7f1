"""The agreements of the seeds (reference data, loaded after every migrate) and a few example actions
(demo data, marked as such, loaded by `ventanilla seed`)."""

from datetime import date

from django.db import transaction

from ventanilla.agreements.models import AgreedAction, Agreement, Institution

AGREEMENTS = [
    {"code": "infonavit-ime-2021", "name": "Convenio Infonavit–IME para migrantes en Estados Unidos",
     "parties": "Infonavit, Instituto de los Mexicanos en el Exterior (IME)",
     # Signed at the second meeting of the mesa intersecretarial (seed 000), which seed 004 dates 29 Mar 2021.
     "signed_on": date(2021, 3, 29), "valid_from": date(2021, 3, 29), "valid_to": date(2024, 9, 30),
     "source": "shared/seeds/000: grupo de trabajo para supervisar y dar seguimiento a las acciones del convenio, "
               "vigente hasta el 30 de septiembre de 2024; fecha de firma: la segunda reunión de la mesa "
               "intersecretarial (shared/seeds/004, 29 de marzo de 2021)."},
    {"code": "sre-imss-2022", "name": "Convenio específico SRE–IMSS: afiliación en consulados",
     "parties": "Secretaría de Relaciones Exteriores (SRE), IMSS",
     "signed_on": date(2022, 12, 6), "valid_from": date(2022, 12, 6), "valid_to": None,
     "source": "shared/seeds/003: comunicado conjunto SRE-IMSS, Ciudad de México, 6 de diciembre de 2022 "
               "(vigencia no publicada)."},
    {"code": "sre-imss-2021", "name": "Convenio de colaboración SRE–IMSS: trabajadores independientes en el exterior",
     "parties": "Secretaría de Relaciones Exteriores (SRE), IMSS",
     "signed_on": date(2021, 3, 29), "valid_from": date(2021, 3, 29), "valid_to": None,
     "source": "shared/seeds/004: IMSS COM. 132, 29 de marzo de 2021 (vigencia no publicada)."},
]

# (agreement code, action, owner, due date, status): examples drawn from the seeds' texts, marked is_demo.
DEMO_ACTIONS = [
    ("infonavit-ime-2021", "Difundir la oferta de crédito del Infonavit a través de la Red Consular.",
     Institution.INFONAVIT, date(2024, 6, 30), AgreedAction.Status.DONE),
    ("infonavit-ime-2021", "Desarrollar un mecanismo informático que concentre y comparta la oferta crediticia "
     "y los servicios del Infonavit.", Institution.INFONAVIT, date(2024, 12, 31), AgreedAction.Status.IN_PROGRESS),
    ("sre-imss-2022", "Capacitar al personal de las ventanillas consulares en la afiliación al IMSS.",
     Institution.SRE, date(2023, 3, 31), AgreedAction.Status.DONE),
    ("sre-imss-2022", "Ofrecer la afiliación en las ventanillas de todos los consulados y embajadas.",
     Institution.IMSS, date(2027, 6, 30), AgreedAction.Status.PENDING),
    ("sre-imss-2021", "Capacitación y orientación en salud preventiva con los promotores de salud de la red "
     "consular.", Institution.IMSS, date(2026, 9, 30), AgreedAction.Status.PENDING),
]


def load_agreements() -> int:
    """Missing agreements only (an edited one is kept); returns how many were created."""
    created = 0
    for data in AGREEMENTS:
        _, was_created = Agreement.objects.get_or_create(code=data["code"], defaults=data)
        created += was_created
    return created


def load_agreements_after_migrate(sender, **kwargs) -> None:
    load_agreements()


def seed_demo_actions() -> int:
    """The example actions, once (none when demo actions already exist); returns how many were created.
    Demo data is loaded directly, like the other seeds: it records no one's decision, so no audit entry."""
    if AgreedAction.objects.filter(is_demo=True).exists():
        return 0
    load_agreements()
    by_code = {agreement.code: agreement for agreement in Agreement.objects.all()}
    with transaction.atomic():
        rows = AgreedAction.objects.bulk_create(
            AgreedAction(agreement=by_code[code], action=text, owner_institution=owner, due_on=due_on,
                         status=status, is_demo=True)
            for code, text, owner, due_on, status in DEMO_ACTIONS)
    return len(rows)
