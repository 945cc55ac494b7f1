from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.core.forms import DomainErrorsMixin


class PaymentFileForm(DomainErrorsMixin, forms.Form):
    file = forms.FileField(
        label=_("Archivo de pagos (CSV)"),
        help_text=_("Primera línea: reference,amount,paid_at,operation_id. Importe con punto decimal; fecha "
                    "AAAA-MM-DD o fecha y hora ISO 8601."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    field_aliases = {"channel": "file"}


class WindowPaymentForm(DomainErrorsMixin, forms.Form):
    """A payment received at the window or confirmed by a SPEI receipt, recorded by an officer."""

    reference = forms.CharField(label=_("Línea de captura"), max_length=30,
                                widget=forms.TextInput(attrs={"autocapitalize": "characters", "spellcheck": "false"}))
    amount = forms.CharField(label=_("Importe pagado (pesos)"), max_length=20,
                             widget=forms.TextInput(attrs={"inputmode": "decimal"}))
    paid_at = forms.DateTimeField(label=_("Fecha y hora del pago"),
                                  widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    operation_id = forms.CharField(label=_("Número de operación o folio del comprobante"), max_length=64)
    channel = forms.ChoiceField(label=_("Canal"), choices=[("window", _("Ventanilla")), ("spei", "SPEI")])


class SettlementFileForm(DomainErrorsMixin, forms.Form):
    """A Sin Fronteras settlement file: the company that sent it and the CSV (rules.SETTLEMENT_COLUMNS)."""

    company = forms.ModelChoiceField(label=_("Remesadora"), queryset=None, empty_label=None)
    file = forms.FileField(
        label=_("Archivo de liquidación (CSV)"),
        help_text=_("Primera línea: operation_id,credit_number,paid_at,amount_usd,payer,us_state. Número de "
                    "crédito de 10 dígitos; importe en dólares con punto decimal; fecha AAAA-MM-DD o ISO 8601; "
                    "payer: borrower, relative o third_party; estado de EUA en dos letras."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def __init__(self, *args, **kwargs):
        from ventanilla.payments.selectors import remittance_companies

        super().__init__(*args, **kwargs)
        self.fields["company"].queryset = remittance_companies()
