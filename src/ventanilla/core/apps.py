from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ventanilla.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from ventanilla.core.logging import install_masking

        install_masking()
