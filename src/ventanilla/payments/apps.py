from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "ventanilla.payments"
    label = "payments"
    verbose_name = "Pagos"
