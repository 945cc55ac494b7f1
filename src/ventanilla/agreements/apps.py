from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AgreementsConfig(AppConfig):
    name = "ventanilla.agreements"
    label = "agreements"
    verbose_name = "Grupo de trabajo"

    def ready(self) -> None:
        from ventanilla.agreements.demo import load_agreements_after_migrate

        # As reference data: every migrated database gets the agreements of the seeds (missing ones only).
        post_migrate.connect(load_agreements_after_migrate, sender=self)
