from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.core.errors import DomainError


class PaymentFileForm(forms.Form):
    file = forms.FileField(
        label=_("Archivo de pagos (CSV)"),
        help_text=_("Primera línea: reference,amount,paid_at,operation_id. Importe con punto decimal; fecha "
                    "AAAA-MM-DD o fecha y hora ISO 8601."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    def add_domain_errors(self, error: DomainError) -> None:
        for item in error.errors:
            self.add_error("file" if item.field in ("file", "channel") else None, str(item.message))
