"""On PostgreSQL the database itself refuses UPDATE and DELETE on the credit ledger (as on the audit log):
a correction is a reversing entry."""

from django.db import migrations

from ventanilla.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("infonavit", "0001_initial")]
    operations = [append_only("infonavit_ledgerentry")]
