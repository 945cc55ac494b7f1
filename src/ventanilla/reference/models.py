"""Effective-dated parameters. `valid_to` is inclusive; empty means "until further notice"."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

AMOUNT = {"max_digits": 14, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 5}


class EffectiveDated(models.Model):
    valid_from = models.DateField(_("vigente desde"))
    valid_to = models.DateField(_("vigente hasta"), null=True, blank=True)
    source = models.CharField(_("fuente"), max_length=300)
    assumed = models.BooleanField(
        _("supuesto"), default=False, help_text=_("Ningún texto oficial confirma este valor.")
    )

    # Rows that differ in these fields may overlap in time (e.g. one row per IMSS branch).
    partition_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True
        ordering = ["valid_from"]

    def clean(self) -> None:
        super().clean()
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("La fecha final es anterior a la inicial.")})
        if self.valid_from is None:
            return
        overlapping = self.overlapping_rows()
        if overlapping:
            other = overlapping[0]
            raise ValidationError(
                _("El periodo se traslapa con el registro vigente del %(start)s al %(end)s.")
                % {"start": other.valid_from.isoformat(), "end": other.valid_to.isoformat() if other.valid_to else "…"}
            )

    def overlapping_rows(self) -> list["EffectiveDated"]:
        rows = type(self).objects.filter(**{f: getattr(self, f) for f in self.partition_fields})
        if self.pk:
            rows = rows.exclude(pk=self.pk)
        rows = rows.filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=self.valid_from))
        if self.valid_to:
            rows = rows.filter(valid_from__lte=self.valid_to)
        return list(rows[:1])

    def period_label(self) -> str:
        return f"{self.valid_from:%Y-%m-%d} – {self.valid_to:%Y-%m-%d}" if self.valid_to else f"{self.valid_from:%Y-%m-%d} –"


class Uma(EffectiveDated):
    """UMA (INEGI): in force from 1 February to 31 January."""

    daily = models.DecimalField(_("diaria"), **AMOUNT)
    monthly = models.DecimalField(_("mensual"), **AMOUNT)
    annual = models.DecimalField(_("anual"), **AMOUNT)

    class Meta(EffectiveDated.Meta):
        verbose_name = "UMA"
        verbose_name_plural = "UMA"

    def __str__(self) -> str:
        return f"UMA {self.period_label()}: {self.daily}"


class MinimumWage(EffectiveDated):
    """Salario mínimo (CONASAMI), pesos per day, in force from 1 January."""

    general = models.DecimalField(_("general"), **AMOUNT)
    zlfn = models.DecimalField(_("zona libre de la frontera norte"), null=True, blank=True, **AMOUNT)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("salario mínimo")
        verbose_name_plural = _("salarios mínimos")

    def __str__(self) -> str:
        return f"SM {self.period_label()}: {self.general}"


class VsmAdjustment(EffectiveDated):
    """Yearly adjustment of VSM credits and the UMI it yields (Infonavit)."""

    class DecidedBy(models.TextChoices):
        RULE = "rule", _("regla: mín(alza SM, alza UMA)")
        BOARD = "board", _("acuerdo del Consejo")

    rate = models.DecimalField(_("ajuste (%)"), max_digits=7, decimal_places=4)
    decided_by = models.CharField(_("decidido por"), max_length=8, choices=DecidedBy.choices)
    umi_daily = models.DecimalField(_("UMI diaria"), **AMOUNT)
    note = models.CharField(_("nota"), max_length=300, blank=True)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("ajuste anual VSM / UMI")
        verbose_name_plural = _("ajustes anuales VSM / UMI")

    def __str__(self) -> str:
        return f"VSM {self.valid_from.year}: {self.rate} % (UMI {self.umi_daily})"

    def clean(self) -> None:
        super().clean()
        if self.decided_by != self.DecidedBy.RULE or not self.valid_from:
            return
        from ventanilla.reference.rules import vsm_adjustment_rate

        year = self.valid_from.year
        try:  # the rule compares this year's minimum wage and UMA with last year's
            sm_now = MinimumWage.objects.get(valid_from=date(year, 1, 1)).general
            sm_before = MinimumWage.objects.get(valid_from=date(year - 1, 1, 1)).general
            uma_now = Uma.objects.get(valid_from=date(year, 2, 1)).daily
            uma_before = Uma.objects.get(valid_from=date(year - 1, 2, 1)).daily
        except (MinimumWage.DoesNotExist, Uma.DoesNotExist):
            raise ValidationError({"decided_by": _("Faltan el salario mínimo o la UMA para aplicar la regla.")}) from None
        expected = vsm_adjustment_rate(sm_before, sm_now, uma_before, uma_now)
        if self.rate != expected:
            raise ValidationError({"rate": _("Por regla, el ajuste de %(year)s es %(rate)s %%.")
                                   % {"year": year, "rate": expected}})



class ImssBranchRate(EffectiveDated):
    """Contribution rate of one IMSS branch, employer and worker shares, % of its base."""

    class Base(models.TextChoices):
        SBC = "sbc", "SBC"
        UMA = "uma", _("1 UMA por día")
        SBC_OVER_3_UMA = "sbc_over_3_uma", _("SBC excedente de 3 UMA")

    branch = models.CharField(_("ramo"), max_length=40)
    article = models.CharField(_("artículo"), max_length=40)
    base = models.CharField(_("base"), max_length=20, choices=Base.choices)
    employer_rate = models.DecimalField(_("patrón (%)"), **RATE)
    worker_rate = models.DecimalField(_("trabajador (%)"), **RATE)
    partition_fields = ("branch",)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("cuota IMSS por ramo")
        verbose_name_plural = _("cuotas IMSS por ramo")

    def __str__(self) -> str:
        return f"{self.branch} {self.period_label()}"


class CeavEmployerRate(EffectiveDated):
    """CEAV employer rate by SBC band (decree DOF 16-12-2020, 2nd transitory)."""

    band = models.PositiveSmallIntegerField(_("banda"))
    minimum_wage_only = models.BooleanField(_("solo SBC igual al salario mínimo"), default=False)
    upper_uma = models.DecimalField(_("límite superior (UMA)"), max_digits=6, decimal_places=2, null=True, blank=True)
    rate = models.DecimalField(_("cuota patronal (%)"), **RATE)
    partition_fields = ("band",)

    class Meta(EffectiveDated.Meta):
        ordering = ["valid_from", "band"]
        verbose_name = _("cuota patronal CEAV")
        verbose_name_plural = _("cuotas patronales CEAV")

    def __str__(self) -> str:
        return f"CEAV {self.period_label()} banda {self.band}: {self.rate}"


class WorkRiskPremium(EffectiveDated):
    """Average work-risk premium by class (LSS art. 73)."""

    risk_class = models.CharField(_("clase"), max_length=3)
    premium = models.DecimalField(_("prima (%)"), **RATE)
    partition_fields = ("risk_class",)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("prima de riesgo de trabajo")
        verbose_name_plural = _("primas de riesgo de trabajo")

    def __str__(self) -> str:
        return f"RT {self.risk_class}: {self.premium}"


class ExchangeRate(EffectiveDated):
    """Pesos per unit of a foreign currency (USD: the FIX rate of the day)."""

    currency = models.CharField(_("moneda"), max_length=3, default="USD")
    rate = models.DecimalField(_("pesos por unidad"), max_digits=12, decimal_places=4)
    partition_fields = ("currency",)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("tipo de cambio")
        verbose_name_plural = _("tipos de cambio")

    def __str__(self) -> str:
        return f"{self.currency} {self.period_label()}: {self.rate}"


class ProgramFlag(EffectiveDated):
    """A programme rule that is on or off (e.g. maternity cash benefit for workers abroad)."""

    key = models.CharField(_("clave"), max_length=60)
    enabled = models.BooleanField(_("activo"))
    description = models.CharField(_("descripción"), max_length=300)
    partition_fields = ("key",)

    class Meta(EffectiveDated.Meta):
        verbose_name = _("regla del programa")
        verbose_name_plural = _("reglas del programa")

    def __str__(self) -> str:
        return f"{self.key}={self.enabled} {self.period_label()}"


class Consulate(models.Model):
    class Kind(models.TextChoices):
        GENERAL = "consulado_general", _("Consulado general")
        CONSULATE = "consulado", _("Consulado")
        EMBASSY = "embajada", _("Embajada (sección consular)")

    code = models.CharField(_("clave"), max_length=40, unique=True)
    kind = models.CharField(_("tipo"), max_length=20, choices=Kind.choices)
    name_es = models.CharField(_("nombre (español)"), max_length=160)
    name_en = models.CharField(_("nombre (inglés)"), max_length=160)
    city = models.CharField(_("ciudad"), max_length=80)
    region = models.CharField(_("estado o provincia"), max_length=40, blank=True)
    country = models.CharField(_("país (ISO)"), max_length=2, db_index=True)
    active = models.BooleanField(_("activo"), default=True)

    class Meta:
        ordering = ["country", "city"]
        verbose_name = _("consulado")
        verbose_name_plural = _("consulados")

    def __str__(self) -> str:
        return self.name_es

    def display_name(self, language: str) -> str:
        return self.name_en if language.startswith("en") else self.name_es


class ConsulateService(models.Model):
    """The date a consular service opens at one consulate (its roll-out)."""

    class Service(models.TextChoices):
        IMSS_AFFILIATION = "imss_affiliation", _("Afiliación voluntaria al IMSS")

    consulate = models.ForeignKey(Consulate, on_delete=models.CASCADE, related_name="services")
    service = models.CharField(_("servicio"), max_length=40, choices=Service.choices)
    opens_on = models.DateField(_("disponible desde"))
    source = models.CharField(_("fuente"), max_length=300)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["consulate", "service"], name="consulate_service_unique")]
        verbose_name = _("servicio consular")
        verbose_name_plural = _("servicios consulares")

    def __str__(self) -> str:
        return f"{self.consulate.code} {self.service} {self.opens_on}"


PARAMETER_MODELS = (Uma, MinimumWage, VsmAdjustment, ImssBranchRate, CeavEmployerRate, WorkRiskPremium, ExchangeRate,
                    ProgramFlag)
