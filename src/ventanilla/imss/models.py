from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.people.models import Person
from ventanilla.reference.models import Consulate

MONEY = {"max_digits": 14, "decimal_places": 2}


class Affiliation(models.Model):
    """A worker abroad in the IMSS mandatory regime as a voluntary subject (LSS art. 13, reform of 2023)."""

    class Status(models.TextChoices):
        PENDING_NSS = "pending_nss", _("En espera de NSS")
        ACTIVE = "active", _("Activa")
        ENDED = "ended", _("Terminada")

    class Channel(models.TextChoices):
        WINDOW = "window", _("Ventanilla consular")
        PORTAL = "portal", _("Portal")

    class IdDocument(models.TextChoices):
        PASSPORT = "passport", _("Pasaporte")
        MATRICULA = "matricula", _("Matrícula consular")
        INE = "ine", _("Credencial para votar (INE)")

    class Periodicity(models.TextChoices):
        MONTHLY = "monthly", _("Mensual")
        BIMONTHLY = "bimonthly", _("Bimestral")
        SEMIANNUAL = "semiannual", _("Semestral")
        ANNUAL = "annual", _("Anual")

    class Zone(models.TextChoices):
        GENERAL = "general", _("General")
        ZLFN = "zlfn", _("Zona libre de la frontera norte")

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="imss_affiliation")
    consulate = models.ForeignKey(Consulate, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="affiliations")
    status = models.CharField(_("estado"), max_length=12, choices=Status.choices)
    channel = models.CharField(_("canal"), max_length=8, choices=Channel.choices)
    zone = models.CharField(_("zona"), max_length=8, choices=Zone.choices)
    periodicity = models.CharField(_("periodicidad"), max_length=12, choices=Periodicity.choices)
    occupation = models.CharField(_("ocupación"), max_length=120)
    id_document_type = models.CharField(_("identificación"), max_length=10, choices=IdDocument.choices, blank=True)
    id_document_number = models.CharField(_("número de identificación"), max_length=40, blank=True)
    family_clinic = models.CharField(_("UMF de adscripción"), max_length=120, blank=True)
    enrolled_on = models.DateField(_("fecha de afiliación"))
    enrolled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("afiliación")
        verbose_name_plural = _("afiliaciones")

    def __str__(self) -> str:
        return f"IMSS {self.person}"


class NssRequest(models.Model):
    """A worker without NSS: IMSS assigns one first; the affiliation waits for it."""

    affiliation = models.OneToOneField(Affiliation, on_delete=models.CASCADE, related_name="nss_request")
    requested_at = models.DateTimeField(auto_now_add=True)
    assigned_nss = models.CharField(max_length=11, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    def __str__(self) -> str:
        return f"NSS request {self.affiliation_id}"


class IncomeDeclaration(models.Model):
    """Declared monthly income from a month on; later declarations never rewrite earlier ones."""

    affiliation = models.ForeignKey(Affiliation, on_delete=models.CASCADE, related_name="incomes")
    monthly_income = models.DecimalField(_("ingreso mensual"), **MONEY)
    effective_from = models.DateField(_("a partir de"))  # first day of a month
    declared_at = models.DateTimeField(auto_now_add=True)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["effective_from"]
        constraints = [models.UniqueConstraint(fields=["affiliation", "effective_from"], name="income_once_per_month")]

    def __str__(self) -> str:
        return f"{self.monthly_income} from {self.effective_from}"


class Beneficiary(models.Model):
    class Relationship(models.TextChoices):
        SPOUSE = "spouse", _("Cónyuge")
        CONCUBINE = "concubine", _("Concubina o concubinario")
        CHILD = "child", _("Hija o hijo")
        FATHER = "father", _("Padre")
        MOTHER = "mother", _("Madre")

    affiliation = models.ForeignKey(Affiliation, on_delete=models.CASCADE, related_name="beneficiaries")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="beneficiary_of")
    relationship = models.CharField(_("parentesco"), max_length=10, choices=Relationship.choices)
    studying_until = models.DateField(_("constancia de estudios vigente hasta"), null=True, blank=True)
    disabled = models.BooleanField(_("con discapacidad"), default=False)
    lives_with_worker = models.BooleanField(_("vive con la persona trabajadora"), default=False)
    economically_dependent = models.BooleanField(_("depende económicamente"), default=False)
    years_together = models.PositiveSmallIntegerField(_("años de vida en común"), null=True, blank=True)
    child_in_common = models.BooleanField(_("hijos en común"), default=False)
    registered_on = models.DateField(_("registrado el"))
    ended_on = models.DateField(_("baja el"), null=True, blank=True)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["affiliation", "person"], name="beneficiary_once")]
        verbose_name = _("beneficiario")
        verbose_name_plural = _("beneficiarios")

    def __str__(self) -> str:
        return f"{self.relationship} {self.person_id}"


class QuoteBreakdown(models.Model):
    """What a period was quoted, branch by branch and month by month. Shared by every period quoted the
    same (same income, zone, months and parameters), so a million periods hold a few hundred of these."""

    digest = models.CharField(max_length=64, unique=True)
    data = models.JSONField()

    def __str__(self) -> str:
        return self.digest[:12]


class ContributionPeriod(models.Model):
    """A period paid in advance (1, 2, 6 or 12 months) with its quote and its payment reference."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Por pagar")
        PAID = "paid", _("Pagado")
        CANCELLED = "cancelled", _("Cancelado")

    affiliation = models.ForeignKey(Affiliation, on_delete=models.CASCADE, related_name="periods")
    period_start = models.DateField()
    period_end = models.DateField()
    months = models.PositiveSmallIntegerField()
    sbc_daily = models.DecimalField(**MONEY)
    amount = models.DecimalField(**MONEY)
    due_date = models.DateField()
    # No index: nothing looks periods up by breakdown, and breakdowns are never deleted. Every index here
    # is written again when a bank file marks a million periods paid (BENCHMARKS.md).
    breakdown = models.ForeignKey(QuoteBreakdown, on_delete=models.PROTECT, related_name="+", db_index=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    reference = models.OneToOneField("payments.PaymentReference", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="imss_period")
    paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["period_start"]
        constraints = [
            models.UniqueConstraint(fields=["affiliation", "period_start"],
                                    condition=~models.Q(status="cancelled"), name="one_live_period_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.affiliation_id} {self.period_start} {self.status}"


class PriorWeeks(models.Model):
    """Weeks contributed before (formal employment in Mexico), recognised on re-entry by art. 151."""

    affiliation = models.ForeignKey(Affiliation, on_delete=models.CASCADE, related_name="prior_weeks")
    weeks = models.DecimalField(max_digits=8, decimal_places=2)
    last_contribution_date = models.DateField()
    source = models.CharField(max_length=120)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.weeks} weeks to {self.last_contribution_date}"


class BenefitClaim(models.Model):
    class Kind(models.TextChoices):
        FUNERAL = "funeral", _("Ayuda para gastos de funeral")
        SICK_PAY = "sick_pay", _("Incapacidad por enfermedad")
        MATERNITY = "maternity", _("Maternidad")
        DISABILITY = "disability", _("Pensión de invalidez")
        SURVIVORS = "survivors", _("Pensión de viudez u orfandad")
        DAY_CARE = "day_care", _("Guardería")

    class Status(models.TextChoices):
        REGISTERED = "registered", _("Registrada")
        APPROVED = "approved", _("Aprobada")
        REJECTED = "rejected", _("Rechazada")

    affiliation = models.ForeignKey(Affiliation, on_delete=models.PROTECT, related_name="claims")
    kind = models.CharField(_("prestación"), max_length=12, choices=Kind.choices)
    event_date = models.DateField(_("fecha del hecho"))
    facts = models.JSONField(default=dict)  # what the rule was given
    eligible = models.BooleanField()
    reasons = models.JSONField(default=list)
    amount = models.DecimalField(null=True, blank=True, **MONEY)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REGISTERED)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=300, blank=True)

    def __str__(self) -> str:
        return f"{self.kind} {self.affiliation_id} {self.status}"


class ClaimDocument(models.Model):
    claim = models.ForeignKey(BenefitClaim, on_delete=models.CASCADE, related_name="documents")
    description = models.CharField(max_length=120)
    file = models.FileField(upload_to="claims/%Y/%m/")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.description


class AforeReactivationRequest(models.Model):
    """The worker asks to re-activate their retirement account (AFORE); staff track it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Solicitada")
        IN_PROCESS = "in_process", _("En trámite")
        DONE = "done", _("Concluida")

    affiliation = models.ForeignKey(Affiliation, on_delete=models.CASCADE, related_name="afore_requests")
    afore_name = models.CharField(_("AFORE"), max_length=80, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.REQUESTED)
    notes = models.CharField(max_length=300, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"AFORE {self.affiliation_id} {self.status}"
