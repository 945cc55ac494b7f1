from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReferenceConfig(AppConfig):
    name = "ventanilla.reference"
    label = "reference"
    verbose_name = "Parámetros y catálogos"

    def ready(self) -> None:
        from ventanilla.reference import signals  # noqa: F401  (cache invalidation)
        from ventanilla.reference.services import load_reference_data_after_migrate

        # Like Django's own permissions: every migrated or flushed database gets the versioned data.
        post_migrate.connect(load_reference_data_after_migrate, sender=self)
