"""The working group's register: agreements between institutions and the actions agreed under them, with
evidence and comments. Changes go through agreements.services (audited); the history is the audit log."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Institution(models.TextChoices):
    IMSS = "imss", "IMSS"
    INFONAVIT = "infonavit", "Infonavit"
    SRE = "sre", _("SRE (red consular)")
    IME = "ime", "IME"


class Agreement(models.Model):
    code = models.SlugField(_("clave"), max_length=40, unique=True)
    name = models.CharField(_("nombre"), max_length=200)
    parties = models.CharField(_("partes"), max_length=200)
    signed_on = models.DateField(_("firmado el"), null=True, blank=True)
    valid_from = models.DateField(_("vigente desde"), null=True, blank=True)
    valid_to = models.DateField(_("vigente hasta"), null=True, blank=True)
    source = models.TextField(_("fuente"))

    class Meta:
        ordering = ["-signed_on", "name"]
        verbose_name = _("convenio")
        verbose_name_plural = _("convenios")

    def __str__(self) -> str:
        return self.name


class AgreedAction(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        IN_PROGRESS = "in_progress", _("En proceso")
        DONE = "done", _("Cumplida")
        CANCELLED = "cancelled", _("Cancelada")

    agreement = models.ForeignKey(Agreement, verbose_name=_("convenio"), on_delete=models.PROTECT,
                                  related_name="actions")
    action = models.TextField(_("acción"))
    owner_institution = models.CharField(_("institución responsable"), max_length=12, choices=Institution.choices)
    due_on = models.DateField(_("fecha compromiso"))
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices, default=Status.PENDING)
    is_demo = models.BooleanField(_("dato de demostración"), default=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["status", "due_on"])]
        verbose_name = _("acción acordada")
        verbose_name_plural = _("acciones acordadas")

    def __str__(self) -> str:
        return self.action[:80]


class ActionEvidence(models.Model):
    """A file (PDF, JPEG or PNG, checked by its first bytes) or a link, always with a description."""

    agreed_action = models.ForeignKey(AgreedAction, on_delete=models.CASCADE, related_name="evidence")
    description = models.CharField(_("descripción"), max_length=300)
    file = models.FileField(_("archivo"), upload_to="agreements/evidence/%Y/", blank=True)
    content_type = models.CharField(max_length=40, blank=True)
    size = models.PositiveIntegerField(default=0)
    link = models.URLField(_("enlace"), max_length=500, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(file="") | ~models.Q(link=""),
                                              name="agreements_evidence_file_or_link")]

    def __str__(self) -> str:
        return self.description


class ActionComment(models.Model):
    agreed_action = models.ForeignKey(AgreedAction, on_delete=models.CASCADE, related_name="comments")
    body = models.TextField(_("comentario"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]
