from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ventanilla.reports"
    label = "reports"
    verbose_name = "Reportes"

    def ready(self):
        # Each domain's indicators register themselves on import (reports.indicators.REGISTRY).
        from ventanilla.reports import indicators_core  # noqa: F401  (dashboards)
