from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "ventanilla.reports"
    label = "reports"
    verbose_name = "Reportes"
