"""On PostgreSQL the database itself refuses UPDATE and DELETE on the audit log."""

from django.db import migrations

from ventanilla.core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [append_only("core_auditentry")]
