"""Forms of the catalogue screens: they only shape input; services.publish_version decides what is valid."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.core.forms import DomainErrorsMixin
from ventanilla.offers.models import AUDIENCES, Offer

DATE = {"type": "date"}


class ConsularFilterForm(forms.Form):
    audience = forms.ChoiceField(label=_("Público"), required=False,
                                 choices=[("", _("Todos")), *AUDIENCES.items()])
    language = forms.ChoiceField(label=_("Idioma de la oferta"), required=False,
                                 choices=[("es", "Español"), ("en", "English")])
    date = forms.DateField(label=_("Vigente el"), required=False,
                           widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class OfferVersionForm(DomainErrorsMixin, forms.Form):
    """A new version of an offer: every field, prefilled from the latest version."""

    change_note = forms.CharField(label=_("Qué cambió"), max_length=300)
    valid_from = forms.DateField(label=_("Vigente desde"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    valid_to = forms.DateField(label=_("Vigente hasta (retirada)"), required=False,
                               widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))
    audiences = forms.MultipleChoiceField(label=_("Público"), choices=list(AUDIENCES.items()),
                                          widget=forms.CheckboxSelectMultiple)
    name_es = forms.CharField(label=_("Nombre (español)"), max_length=120)
    name_en = forms.CharField(label=_("Nombre (inglés)"), max_length=120)
    summary_es = forms.CharField(label=_("Resumen (español)"), widget=forms.Textarea(attrs={"rows": 2}))
    summary_en = forms.CharField(label=_("Resumen (inglés)"), widget=forms.Textarea(attrs={"rows": 2}))
    conditions_es = forms.CharField(label=_("Condiciones (español)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    conditions_en = forms.CharField(label=_("Condiciones (inglés)"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}))
    requirements_es = forms.CharField(label=_("Requisitos (español)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    requirements_en = forms.CharField(label=_("Requisitos (inglés)"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    abroad_es = forms.CharField(label=_("Cómo solicitarlo desde el exterior (español)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    abroad_en = forms.CharField(label=_("Cómo solicitarlo desde el exterior (inglés)"), required=False,
                                widget=forms.Textarea(attrs={"rows": 2}))
    max_amount = forms.CharField(label=_("Monto máximo (pesos)"), required=False, max_length=20)
    rate_from = forms.CharField(label=_("Tasa mínima (%)"), required=False, max_length=10)
    rate_to = forms.CharField(label=_("Tasa máxima (%)"), required=False, max_length=10)
    source = forms.CharField(label=_("Fuente"), widget=forms.Textarea(attrs={"rows": 2}))
    assumed = forms.BooleanField(label=_("Contiene cifras supuestas (sin texto oficial)"), required=False)


class NewOfferForm(OfferVersionForm):
    code = forms.SlugField(label=_("Clave"), max_length=60, help_text=_("Letras minúsculas, números y guiones."))
    kind = forms.ChoiceField(label=_("Tipo"), choices=Offer.Kind.choices)
    field_order = ["code", "kind"]
