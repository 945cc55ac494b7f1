"""The offer catalogue (issue 5, "the mecanismo informático of the IME agreement"): Infonavit's products,
programmes and services, each with effective-dated versions in Spanish and English.

A version is never edited: every change is a new version (services.publish_version), so what a consulate
read on a date can always be shown again. The version in force on a date is the highest-numbered one whose
valid_from is on or before it, unless that version ends (valid_to) on or before the date (withdrawn).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Offer(models.Model):
    class Kind(models.TextChoices):
        PRODUCT = "product", _("Producto de crédito")
        PROGRAMME = "programme", _("Programa")
        SERVICE = "service", _("Servicio")

    code = models.SlugField(max_length=60, unique=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    position = models.PositiveSmallIntegerField(default=100)  # order on the consular page
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "code"]
        verbose_name = _("oferta")
        verbose_name_plural = _("ofertas")

    def __str__(self) -> str:
        return self.code


AUDIENCES = {
    "migrants": _("Personas en el exterior"),
    "workers": _("Personas trabajadoras"),
    "borrowers": _("Personas acreditadas"),
    "retirees": _("Personas jubiladas o pensionadas"),
    "relatives": _("Familiares en México"),
}


class OfferVersion(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="versions")
    version = models.PositiveIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)  # withdrawn from this date
    audiences = models.JSONField(default=list)  # codes of AUDIENCES
    name_es = models.CharField(max_length=120)
    name_en = models.CharField(max_length=120)
    summary_es = models.TextField()
    summary_en = models.TextField()
    conditions_es = models.TextField(blank=True)
    conditions_en = models.TextField(blank=True)
    requirements_es = models.TextField(blank=True)
    requirements_en = models.TextField(blank=True)
    abroad_es = models.TextField(blank=True)  # how to apply or use it from abroad
    abroad_en = models.TextField(blank=True)
    max_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    rate_from = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)  # percent a year
    rate_to = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    source = models.TextField()
    assumed = models.BooleanField(default=False)  # a figure no official text confirms
    change_note = models.CharField(max_length=300)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")

    class Meta:
        ordering = ["offer", "version"]
        constraints = [
            models.UniqueConstraint(fields=["offer", "version"], name="offer_version_unique"),
            models.CheckConstraint(condition=models.Q(valid_to__isnull=True) | models.Q(valid_to__gt=models.F("valid_from")),
                                   name="offer_version_ends_after_start"),
        ]
        verbose_name = _("versión de oferta")
        verbose_name_plural = _("versiones de oferta")

    def __str__(self) -> str:
        return f"{self.offer.code} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:  # versions are never edited in place: a change is a new version
            raise ValueError("an offer version is never edited; publish a new version")
        super().save(*args, **kwargs)

    def text(self, name: str, language: str) -> str:
        """A field in the language asked ("en..." English, else Spanish)."""
        return getattr(self, f"{name}_{'en' if language.lower().startswith('en') else 'es'}")
