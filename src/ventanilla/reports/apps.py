from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ventanilla.reports"
    label = "reports"
    verbose_name = "Reportes"

    def ready(self):
        # Each domain's indicators register themselves on import (reports.indicators.REGISTRY).
        from ventanilla.reports import (  # noqa: F401
            indicators_core,  # dashboards
            indicators_imss,  # IMSS abroad: imssind
            indicators_infonavit,  # Infonavit: infonavitind
            indicators_mi_cuenta,  # Mi Cuenta: imssind
        )
