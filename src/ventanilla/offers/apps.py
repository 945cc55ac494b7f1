from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OffersConfig(AppConfig):
    name = "ventanilla.offers"
    label = "offers"
    verbose_name = "Oferta Infonavit"

    def ready(self) -> None:
        from ventanilla.offers.services import load_catalogue_after_migrate

        # As reference data: every migrated database gets the seeded catalogue (missing offers only).
        post_migrate.connect(load_catalogue_after_migrate, sender=self)
