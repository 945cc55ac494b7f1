import hashlib
import secrets

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from ventanilla.core import encryption
from ventanilla.reference.models import Consulate

MEXICAN_STATES = [
    ("AS", "Aguascalientes"), ("BC", "Baja California"), ("BS", "Baja California Sur"), ("CC", "Campeche"),
    ("CL", "Coahuila"), ("CM", "Colima"), ("CS", "Chiapas"), ("CH", "Chihuahua"), ("DF", "Ciudad de México"),
    ("DG", "Durango"), ("GT", "Guanajuato"), ("GR", "Guerrero"), ("HG", "Hidalgo"), ("JC", "Jalisco"),
    ("MC", "Estado de México"), ("MN", "Michoacán"), ("MS", "Morelos"), ("NT", "Nayarit"), ("NL", "Nuevo León"),
    ("OC", "Oaxaca"), ("PL", "Puebla"), ("QT", "Querétaro"), ("QR", "Quintana Roo"), ("SP", "San Luis Potosí"),
    ("SL", "Sinaloa"), ("SR", "Sonora"), ("TC", "Tabasco"), ("TS", "Tamaulipas"), ("TL", "Tlaxcala"),
    ("VZ", "Veracruz"), ("YN", "Yucatán"), ("ZS", "Zacatecas"),
]  # RENAPO state codes, the same two letters CURP positions 12-13 carry


class Role(models.TextChoices):
    DERECHOHABIENTE = "derechohabiente", _("Derechohabiente")
    CONSULAR_OFFICER = "consular_officer", _("Personal consular")
    IMSS_STAFF = "imss_staff", _("Personal del IMSS")
    INFONAVIT_STAFF = "infonavit_staff", _("Personal del Infonavit")
    SUPERVISOR = "supervisor", _("Supervisión")
    ADMINISTRATOR = "administrator", _("Administración")


class Person(models.Model):
    """A worker or relative, identified by CURP (and NSS once IMSS has assigned one)."""

    class Sex(models.TextChoices):
        H = "H", _("Hombre")
        M = "M", _("Mujer")
        X = "X", _("No binario")

    first_names = models.CharField(_("nombre(s)"), max_length=100)
    last_name_1 = models.CharField(_("primer apellido"), max_length=100)
    last_name_2 = models.CharField(_("segundo apellido"), max_length=100, blank=True)
    curp = models.CharField("CURP", max_length=18, unique=True)
    nss = models.CharField("NSS", max_length=11, unique=True, null=True, blank=True)
    rfc = models.CharField("RFC", max_length=13, blank=True, db_index=True)
    birth_date = models.DateField(_("fecha de nacimiento"))
    sex = models.CharField(_("sexo"), max_length=1, choices=Sex.choices)
    nationality = models.CharField(_("nacionalidad"), max_length=2, default="MX")
    phone = models.CharField(_("teléfono"), max_length=20, blank=True)
    email = models.EmailField(_("correo electrónico"), blank=True)
    mx_state = models.CharField(_("estado (México)"), max_length=2, choices=MEXICAN_STATES)
    mx_municipality = models.CharField(_("municipio (México)"), max_length=100)
    mx_postal_code = models.CharField(_("código postal (México)"), max_length=5)
    abroad_country = models.CharField(_("país de residencia"), max_length=2, blank=True)
    abroad_region = models.CharField(_("estado o provincia de residencia"), max_length=60, blank=True)
    abroad_city = models.CharField(_("ciudad de residencia"), max_length=80, blank=True)
    consulate = models.ForeignKey(
        Consulate, verbose_name=_("consulado de atención"), on_delete=models.PROTECT,
        null=True, blank=True, related_name="persons",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name_1", "last_name_2", "first_names"]
        verbose_name = _("persona")
        verbose_name_plural = _("personas")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_names, self.last_name_1, self.last_name_2) if part)


class User(AbstractUser):
    """An account. Its role decides what it sees; officers are bound to one consulate, citizens to a person."""

    role = models.CharField(_("rol"), max_length=20, choices=Role.choices, default=Role.DERECHOHABIENTE)
    consulate = models.ForeignKey(
        Consulate, verbose_name=_("consulado"), on_delete=models.PROTECT, null=True, blank=True, related_name="officers"
    )
    person = models.OneToOneField(
        Person, verbose_name=_("persona"), on_delete=models.PROTECT, null=True, blank=True, related_name="account"
    )
    language = models.CharField(_("idioma"), max_length=5, default="es")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role="consular_officer") | models.Q(consulate__isnull=False),
                name="officer_has_consulate",
            ),
        ]


class ApiToken(models.Model):
    """A bearer token for another system or script. Only its SHA-256 is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("nombre"), max_length=80)
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=8)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def digest_of(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    @staticmethod
    def new_secret() -> str:
        return "vnt_" + secrets.token_urlsafe(32)


# --- Mi Cuenta: verification codes, second factor, data-correction requests (issue 5) ---


class VerificationCode(models.Model):
    """A one-time 6-digit code sent by e-mail. Only its hash is kept; it expires and allows few attempts.
    A registration whose data match nobody gets a decoy row (no user, a code nobody knows), so that the code
    screen behaves the same whether or not the data matched."""

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Registro")
        EMAIL_CHANGE = "email_change", _("Cambio de correo")

    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, blank=True,
                             related_name="verification_codes")
    token = models.CharField(max_length=43, unique=True)  # what the browser's session holds, never the code
    code_hash = models.CharField(max_length=64)
    email = models.EmailField(blank=True)  # the address the code went to (the new one for an e-mail change)
    phone = models.CharField(max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.purpose} {self.pk}"


class SecondFactor(models.Model):
    """A TOTP secret (RFC 6238). In force once confirmed with a first code; deleted when disabled.

    The secret must be readable to check codes, so it cannot be hashed: it is stored encrypted
    (core.encryption, key FIELD_ENCRYPTION_KEY) and read through `secret`, which fails closed with
    DecryptionError when the key is wrong."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="second_factor")
    secret_encrypted = models.CharField(max_length=255)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_used_step = models.BigIntegerField(default=0)  # a code is accepted once (RFC 6238 section 5.2)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"TOTP {self.user_id}"

    @property
    def secret(self) -> str:
        return encryption.decrypt(self.secret_encrypted)

    @secret.setter
    def secret(self, value: str) -> None:
        self.secret_encrypted = encryption.encrypt(value)


class CorrectionRequest(models.Model):
    """A request to correct a name, CURP or RFC on file; a staff member other than the requester decides."""

    class Field(models.TextChoices):
        FIRST_NAMES = "first_names", _("Nombre(s)")
        LAST_NAME_1 = "last_name_1", _("Primer apellido")
        LAST_NAME_2 = "last_name_2", _("Segundo apellido")
        CURP = "curp", "CURP"
        RFC = "rfc", "RFC"

    class Status(models.TextChoices):
        PENDING = "pending", _("Pendiente")
        APPROVED = "approved", _("Aprobada")
        REFUSED = "refused", _("Rechazada")

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="correction_requests")
    field = models.CharField(_("dato"), max_length=12, choices=Field.choices)
    current_value = models.CharField(max_length=100, blank=True)
    new_value = models.CharField(_("valor correcto"), max_length=100)
    reason = models.CharField(_("motivo"), max_length=300)
    status = models.CharField(_("estado"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(User, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    refusal_reason = models.CharField(_("motivo del rechazo"), max_length=300, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        constraints = [
            # four eyes (brief): the person who asked never decides
            models.CheckConstraint(condition=~models.Q(decided_by=models.F("requested_by")),
                                   name="correction_four_eyes"),
        ]

    def __str__(self) -> str:
        return f"{self.field} {self.pk} ({self.status})"
