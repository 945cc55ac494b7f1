from django.apps import AppConfig


class InfonavitConfig(AppConfig):
    name = "ventanilla.infonavit"
    label = "infonavit"
    verbose_name = "Infonavit"

    def ready(self) -> None:
        from ventanilla.infonavit import services
        from ventanilla.payments import registry

        # Bank and remittance file lines whose reference is a credit number post to that credit's ledger.
        registry.register_reference_format("infonavit.credit", services.claim_credit_number,
                                           services.apply_credit_number_line)
        # An operation number posted to a credit is not taken again by a reference payment.
        registry.register_operation_check("infonavit.credit", services.operations_posted)
        # Savings (SCV): a paid voluntary-deposit reference is credited to the subaccount.
        from ventanilla.infonavit import savings_services  # noqa: F401  (registers its payment owner kind)
