"""Forms of the working group's screens: they only shape input; the rules are agreements.services'."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.agreements.models import AgreedAction, Agreement, Institution
from ventanilla.core.forms import DomainErrorsMixin

DATE = {"type": "date"}


class FilterForm(forms.Form):
    agreement = forms.ModelChoiceField(label=_("Convenio"), queryset=Agreement.objects.all(), required=False,
                                       empty_label=_("Todos"))
    institution = forms.ChoiceField(label=_("Institución"), required=False,
                                    choices=[("", _("Todas")), *Institution.choices])
    status = forms.ChoiceField(label=_("Estado"), required=False,
                               choices=[("", _("Todos")), *AgreedAction.Status.choices])
    overdue = forms.BooleanField(label=_("Solo vencidas"), required=False)


class ActionForm(DomainErrorsMixin, forms.Form):
    agreement = forms.ModelChoiceField(label=_("Convenio"), queryset=Agreement.objects.all())
    action = forms.CharField(label=_("Acción"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    owner_institution = forms.ChoiceField(label=_("Institución responsable"), choices=Institution.choices)
    due_on = forms.DateField(label=_("Fecha compromiso"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"))


class StatusForm(DomainErrorsMixin, forms.Form):
    status = forms.ChoiceField(label=_("Nuevo estado"), choices=AgreedAction.Status.choices)
    note = forms.CharField(label=_("Nota"), max_length=2000, required=False)


class EvidenceForm(DomainErrorsMixin, forms.Form):
    description = forms.CharField(label=_("Descripción"), max_length=300)
    file = forms.FileField(label=_("Archivo (PDF, JPEG o PNG)"), required=False)
    link = forms.CharField(label=_("o enlace"), max_length=500, required=False)


class CommentForm(DomainErrorsMixin, forms.Form):
    body = forms.CharField(label=_("Comentario"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
