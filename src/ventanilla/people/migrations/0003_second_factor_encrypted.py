"""The TOTP secrets are stored encrypted (core.encryption, key FIELD_ENCRYPTION_KEY): the column is renamed,
widened for the Fernet token, and every secret already stored is encrypted in place."""

from django.conf import settings
from django.db import migrations, models

from ventanilla.core import encryption


def encrypt_stored_secrets(apps, schema_editor):
    SecondFactor = apps.get_model("people", "SecondFactor")
    for factor in SecondFactor.objects.only("pk", "secret_encrypted").iterator():
        if not encryption.is_encrypted(factor.secret_encrypted):  # a re-run leaves encrypted ones alone
            factor.secret_encrypted = encryption.encrypt(factor.secret_encrypted, settings.FIELD_ENCRYPTION_KEY)
            factor.save(update_fields=["secret_encrypted"])


def decrypt_stored_secrets(apps, schema_editor):
    SecondFactor = apps.get_model("people", "SecondFactor")
    for factor in SecondFactor.objects.only("pk", "secret_encrypted").iterator():
        if encryption.is_encrypted(factor.secret_encrypted):
            factor.secret_encrypted = encryption.decrypt(factor.secret_encrypted, settings.FIELD_ENCRYPTION_KEY)
            factor.save(update_fields=["secret_encrypted"])


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0002_mi_cuenta"),
    ]

    operations = [
        migrations.RenameField("secondfactor", "secret", "secret_encrypted"),
        migrations.AlterField("secondfactor", "secret_encrypted", models.CharField(max_length=255)),
        migrations.RunPython(encrypt_stored_secrets, decrypt_stored_secrets),
    ]
