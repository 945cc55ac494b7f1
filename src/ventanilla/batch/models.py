"""The portfolio campaign: one CampaignRun per `ventanilla infonavit campaign --as-of DATE`, one
CampaignResult row per active credit with at least one eligible solution (every credit is in the Parquet file).

CampaignResult is built to load millions of rows fast: no surrogate key (the primary key is (run, credit)),
no foreign-key constraints (each would cost a lookup per copied row; the job writes ids it has just read),
amounts in centavos as bigint, and every solution's eligibility in one bitmask (bit i for
rules.solutions.SOLUTION_CODES[i]). The full set of amounts, with the facts they came from, is in the
run's Parquet file.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.infonavit.models import Credit


class CampaignRun(models.Model):
    """One campaign over the portfolio. A second run for the same `as_of` replaces the first: the older
    run keeps its figures (history of who ran what) but its result rows and Parquet file are removed and
    `replaced_by` points at the new run."""

    as_of = models.DateField(_("fecha de evaluación"))
    credits = models.PositiveIntegerField(_("créditos evaluados"), default=0)
    eligible_credits = models.PositiveIntegerField(_("créditos con alguna solución"), default=0)
    rc_discount = models.DecimalField(_("descuento RC (pesos)"), max_digits=18, decimal_places=2, default=0)
    dla_discount = models.DecimalField(_("descuento DLA (pesos)"), max_digits=18, decimal_places=2, default=0)
    # {"solutions": {code: {"eligible", "amount"}}, "by_state": [...], "window_payments": [...]} (services)
    figures = models.JSONField(_("cifras"), default=dict)
    assumed_facts = models.JSONField(_("datos supuestos"), default=list)
    timings = models.JSONField(_("tiempos (s)"), default=dict)
    parquet_path = models.CharField(_("archivo Parquet"), max_length=300, blank=True)
    started_at = models.DateTimeField(_("inicio"), default=timezone.now)
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    replaced_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("campaña de soluciones")
        verbose_name_plural = _("campañas de soluciones")

    def __str__(self) -> str:
        return f"{self.as_of}: {self.credits:,}"


class CampaignResult(models.Model):
    pk = models.CompositePrimaryKey("run_id", "credit_id")
    run = models.ForeignKey(CampaignRun, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    credit = models.ForeignKey(Credit, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
                               related_name="+")
    state = models.CharField(max_length=2)
    eligible = models.SmallIntegerField()  # bit i: SOLUTION_CODES[i] eligible
    balance = models.BigIntegerField()  # centavos, as evaluated
    missed_payments = models.IntegerField()
    # Centavos; 0 when the solution is not eligible (`eligible` says which are). Never null, so every row has
    # the same width and the job copies them in binary straight from NumPy.
    rc_new_balance = models.BigIntegerField(default=0)
    rc_discount = models.BigIntegerField(default=0)
    dla_amount_to_pay = models.BigIntegerField(default=0)
    dla_discount = models.BigIntegerField(default=0)
    bcn_reward = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("resultado de campaña")
        verbose_name_plural = _("resultados de campaña")

    def __str__(self) -> str:
        return f"{self.run_id}/{self.credit_id}: {self.eligible:09b}"
