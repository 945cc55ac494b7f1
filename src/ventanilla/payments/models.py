"""Payment references, the payments that settle them, and the bank files they arrive in."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.payments.references import format_reference

MONEY = {"max_digits": 14, "decimal_places": 2}


class PaymentReference(models.Model):
    """A línea de captura: a random code (references.py) that carries, here on the server, what is owed,
    for which period, by when, and which record (owner_kind, owner_id) a payment settles."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Vigente")
        PAID = "paid", _("Pagada")
        CANCELLED = "cancelled", _("Cancelada")

    code = models.CharField(_("referencia"), max_length=20)  # unique: see Meta (no LIKE index needed)
    owner_kind = models.CharField(max_length=40)  # e.g. "imss.contribution"; see registry.py
    owner_id = models.CharField(max_length=64)
    person = models.ForeignKey("people.Person", verbose_name=_("persona"), on_delete=models.PROTECT,
                               related_name="payment_references")
    description = models.CharField(_("concepto"), max_length=200)
    amount = models.DecimalField(_("importe"), **MONEY)
    currency = models.CharField(max_length=3, default="MXN")
    period_start = models.DateField(_("inicio del periodo"))
    period_end = models.DateField(_("fin del periodo"))
    due_date = models.DateField(_("fecha límite de pago"))
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_at = models.DateTimeField(_("emitida"))
    cancelled_at = models.DateTimeField(_("cancelada"), null=True, blank=True)
    cancel_reason = models.CharField(_("motivo de cancelación"), max_length=200, blank=True)
    replaces = models.ForeignKey("self", verbose_name=_("sustituye a"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="replaced_by", db_index=False)

    class Meta:
        ordering = ["-issued_at", "-id"]
        # No index on (owner_kind, owner_id): owners keep the reference's id (an IMSS period its
        # reference_id), and every index here is rewritten when a bank file marks a million references paid.
        indexes = [
            # Few references replace another: a partial index keeps the bulk paths from indexing NULLs.
            models.Index(fields=["replaces"], name="payref_replaces_idx", condition=models.Q(replaces__isnull=False)),
        ]
        constraints = [
            # A constraint rather than unique=True: on PostgreSQL the field option adds a second, LIKE-able
            # index that every insert would maintain and nothing uses.
            models.UniqueConstraint(fields=["code"], name="payref_code_unique"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payref_amount_positive"),
            models.CheckConstraint(condition=models.Q(period_start__lte=models.F("period_end")),
                                   name="payref_period_ordered"),
        ]
        verbose_name = _("referencia de pago")
        verbose_name_plural = _("referencias de pago")

    def __str__(self) -> str:
        return self.formatted

    @property
    def formatted(self) -> str:
        return format_reference(self.code)


class PaymentFile(models.Model):
    """A bank, SPEI or remittance file. Recognised by its SHA-256: the same bytes are imported once, and an
    import that stopped half-way resumes after the last line it recorded."""

    class Status(models.TextChoices):
        PROCESSING = "processing", _("En proceso")
        DONE = "done", _("Terminado")

    filename = models.CharField(_("archivo"), max_length=255)
    sha256 = models.CharField(max_length=64, unique=True)
    channel = models.CharField(_("canal"), max_length=12, default="bank_file")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PROCESSING)
    lines_total = models.PositiveIntegerField(default=0)
    lines_applied = models.PositiveIntegerField(default=0)
    lines_duplicate = models.PositiveIntegerField(default=0)
    lines_rejected = models.PositiveIntegerField(default=0)
    # A Sin Fronteras settlement file names the company that sent it (its lines do not).
    remittance_company = models.ForeignKey("payments.RemittanceCompany", verbose_name=_("remesadora"), null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="files")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("archivo de pagos")
        verbose_name_plural = _("archivos de pagos")

    def __str__(self) -> str:
        return self.filename


class Payment(models.Model):
    """Money received for a reference. `operation_id` is the bank's (or our window's) operation number:
    unique, so the same operation is never posted twice, whatever the channel or file it comes in."""

    class Channel(models.TextChoices):
        WINDOW = "window", _("Ventanilla")
        API = "api", _("API")
        BANK_FILE = "bank_file", _("Archivo bancario")
        SPEI = "spei", _("SPEI")
        REMITTANCE = "remittance", _("Remesadora")

    operation_id = models.CharField(_("número de operación"), max_length=64)
    channel = models.CharField(_("canal"), max_length=12, choices=Channel.choices)
    # One payment settles one reference: the unique constraint below is also the index of this key.
    reference = models.ForeignKey(PaymentReference, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="payments", db_index=False)
    amount = models.DecimalField(_("importe"), **MONEY)
    paid_at = models.DateTimeField(_("pagado el"))
    # No database constraint on the file links (here and on PaymentFileLine): the importer is their only
    # writer and holds the file row locked, and files are never deleted. A checked key costs a lookup per
    # row at commit (measured: about 8 µs per line of a payment file) for links nothing else writes. The
    # reference link, which moves money, keeps its constraint.
    payment_file = models.ForeignKey(PaymentFile, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="payments", db_constraint=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", db_index=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["operation_id"], name="payment_operation_id_unique"),
            models.UniqueConstraint(fields=["reference"], name="payment_one_per_reference"),
        ]
        verbose_name = _("pago")
        verbose_name_plural = _("pagos")

    def __str__(self) -> str:
        return f"{self.operation_id} {self.amount}"


class PaymentFileLine(models.Model):
    """What happened to each data line of a file. `error_message` is stored in Spanish for the record;
    screens show the message for `error_code` in the reader's language."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("Aplicada")
        DUPLICATE = "duplicate", _("Duplicada")
        REJECTED = "rejected", _("Rechazada")

    payment_file = models.ForeignKey(PaymentFile, on_delete=models.CASCADE, related_name="lines",
                                     db_index=False,  # the unique (payment_file, line_number) indexes it
                                     db_constraint=False)  # see Payment.payment_file
    line_number = models.PositiveIntegerField(_("línea"))
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices)
    error_code = models.CharField(max_length=40, blank=True)
    error_message = models.CharField(max_length=200, blank=True)
    operation_id = models.CharField(max_length=64, blank=True)
    reference_text = models.CharField(max_length=40, blank=True)  # as written in the file, for the report

    class Meta:
        ordering = ["payment_file", "line_number"]
        constraints = [
            models.UniqueConstraint(fields=["payment_file", "line_number"], name="payment_file_line_unique"),
        ]
        indexes = [
            # Repeated operation numbers inside a file: applied lines are found as the file's payments, so
            # only the few duplicate or rejected lines need this index.
            models.Index(fields=["payment_file", "operation_id"], name="payfileline_operation_idx",
                         condition=~models.Q(status="applied")),
            # The report lists rejected lines; a partial index keeps that fast without indexing applied ones.
            models.Index(fields=["payment_file", "line_number"], name="payfileline_rejected_idx",
                         condition=models.Q(status="rejected")),
        ]
        verbose_name = _("línea de archivo de pagos")
        verbose_name_plural = _("líneas de archivos de pagos")

    def __str__(self) -> str:
        return f"{self.payment_file_id}:{self.line_number} {self.status}"


# --- Infonavit Sin Fronteras (paying a credit from the US) -------------------------------------------------
# shared/domain/infonavit.md, "Infonavit Sin Fronteras": allied remittance companies take dollars in the US
# with the 10-digit credit number as reference, and send us a settlement file of their operations. Payments
# keeps the company and the conversion; the credit's ledger entry is written by its owner (infonavit) through
# payments.registry, under the operation number "<company code>:<company's number>".

# What Infonavit pays a company per operation is not public: ASSUMED default, staff set each company's.
DEFAULT_COMMISSION_USD = "3.00"


class RemittanceCompany(models.Model):
    code = models.CharField(_("clave"), max_length=12, unique=True,
                            help_text=_("Mayúsculas y dígitos; precede al número de operación de la empresa."))
    name = models.CharField(_("nombre"), max_length=100)
    active = models.BooleanField(_("activa"), default=True)
    joined_on = models.DateField(_("aliada desde"), null=True, blank=True)
    commission_usd = models.DecimalField(_("comisión por operación (USD)"), max_digits=8, decimal_places=2,
                                         default=DEFAULT_COMMISSION_USD)
    commission_assumed = models.BooleanField(_("comisión supuesta"), default=True)
    source = models.CharField(_("fuente"), max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=models.Q(commission_usd__gte=0), name="remitco_commission_nonneg"),
        ]
        verbose_name = _("remesadora aliada")
        verbose_name_plural = _("remesadoras aliadas")

    def __str__(self) -> str:
        return self.name


class RemittancePayment(models.Model):
    """One operation of a settlement file: dollars paid in the US, the day's rate (stored: the table may be
    corrected later, the payment keeps the rate it was converted at), the pesos credited and the commission
    Infonavit bears (recorded, never charged to the payer)."""

    class Payer(models.TextChoices):
        BORROWER = "borrower", _("La persona acreditada")
        RELATIVE = "relative", _("Un familiar")
        THIRD_PARTY = "third_party", _("Otra persona")

    company = models.ForeignKey(RemittanceCompany, verbose_name=_("remesadora"), on_delete=models.PROTECT,
                                related_name="payments", db_index=False)  # the unique pair below indexes it
    company_operation_id = models.CharField(_("operación de la remesadora"), max_length=51)
    operation_id = models.CharField(_("número de operación"), max_length=64)
    credit_number = models.CharField(_("número de crédito"), max_length=10)
    payer = models.CharField(_("quién paga"), max_length=12, choices=Payer.choices)
    us_state = models.CharField(_("estado de EUA"), max_length=2)
    amount_usd = models.DecimalField(_("importe (USD)"), max_digits=12, decimal_places=2)
    usd_mxn_rate = models.DecimalField(_("tipo de cambio"), max_digits=12, decimal_places=4)
    amount_mxn = models.DecimalField(_("pesos abonados"), **MONEY)
    commission_usd = models.DecimalField(_("comisión a cargo del Infonavit (USD)"), max_digits=8, decimal_places=2)
    paid_at = models.DateTimeField(_("pagado el"))
    paid_on = models.DateField(_("día del pago"))  # local day: the rate's day and the figures' month
    payment_file = models.ForeignKey(PaymentFile, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="remittances", db_constraint=False)
    line_number = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-paid_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["company", "company_operation_id"], name="remittance_company_op_unique"),
            models.UniqueConstraint(fields=["operation_id"], name="remittance_operation_id_unique"),
            models.CheckConstraint(condition=models.Q(amount_usd__gt=0), name="remittance_usd_positive"),
            models.CheckConstraint(condition=models.Q(usd_mxn_rate__gt=0), name="remittance_rate_positive"),
        ]
        indexes = [models.Index(fields=["credit_number", "paid_at"], name="remittance_credit_idx"),
                   models.Index(fields=["paid_on"], name="remittance_paid_on_idx")]
        verbose_name = _("pago desde el extranjero")
        verbose_name_plural = _("pagos desde el extranjero")

    def __str__(self) -> str:
        return f"{self.operation_id} {self.amount_usd} USD"
