"""Leave half of each page of payment references free on PostgreSQL, so that marking a reference paid (or
cancelled) is a heap-only (HOT) update: no new entry in any of its four indexes. Measured on the payment-file
benchmark: about three times faster updates of random references, for a table twice the size."""

from django.db import migrations


def set_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE payments_paymentreference SET (fillfactor = 50)")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE payments_paymentreference RESET (fillfactor)")


class Migration(migrations.Migration):

    dependencies = [("payments", "0001_initial")]

    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor, elidable=False)]
