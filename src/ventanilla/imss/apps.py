from django.apps import AppConfig


class ImssConfig(AppConfig):
    name = "ventanilla.imss"
    label = "imss"
    verbose_name = "IMSS en el exterior"

    def ready(self) -> None:
        from ventanilla.imss import services  # noqa: F401  (registers the payment owner kind)
