from django.apps import AppConfig


class InfonavitConfig(AppConfig):
    name = "ventanilla.infonavit"
    label = "infonavit"
    verbose_name = "Infonavit"
