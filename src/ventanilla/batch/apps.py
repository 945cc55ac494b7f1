from django.apps import AppConfig


class BatchConfig(AppConfig):
    name = "ventanilla.batch"
    label = "batch"
    verbose_name = "Portfolio jobs"
