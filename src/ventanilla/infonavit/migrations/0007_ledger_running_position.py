"""The ledger carries its whole running position (batchfix): due_after, interest_after and insurance_after next
to balance_after, so a credit's state is its last entry. Existing rows are backfilled in one set-based UPDATE
(running sums over (credit, sequence)); on PostgreSQL the append-only trigger is paused for it."""

from django.db import migrations, models

LEDGER = "infonavit_ledgerentry"
TRIGGER = f"{LEDGER}_no_update_delete"
BACKFILL = f"""
UPDATE {LEDGER} AS l SET due_after = s.due_after, interest_after = s.interest_after,
                         insurance_after = s.insurance_after
FROM (SELECT id, ROUND(SUM(due) OVER w, 2) AS due_after, ROUND(SUM(interest) OVER w, 2) AS interest_after,
             ROUND(SUM(insurance) OVER w, 2) AS insurance_after
      FROM {LEDGER} WINDOW w AS (PARTITION BY credit_id ORDER BY sequence)) AS s
WHERE l.id = s.id AND (s.due_after <> 0 OR s.interest_after <> 0 OR s.insurance_after <> 0)
"""


def backfill(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {LEDGER} DISABLE TRIGGER {TRIGGER}")
    schema_editor.execute(BACKFILL)
    if postgresql:
        schema_editor.execute(f"ALTER TABLE {LEDGER} ENABLE TRIGGER {TRIGGER}")


class Migration(migrations.Migration):

    dependencies = [
        ("infonavit", "0006_ledger_caused_by"),
    ]

    operations = [
        migrations.AddField(
            model_name="ledgerentry",
            name="due_after",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="exigible acumulado"),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="insurance_after",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=14,
                                      verbose_name="seguros y comisiones acumulados"),
        ),
        migrations.AddField(
            model_name="ledgerentry",
            name="interest_after",
            field=models.DecimalField(decimal_places=2, default=0, max_digits=14, verbose_name="intereses acumulados"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(condition=models.Q(("kind", "payment")), fields=["credit", "posted_on"],
                               name="ledger_payments_by_credit"),
        ),
        migrations.AddIndex(
            model_name="ledgerentry",
            index=models.Index(fields=["posted_on"], name="ledger_posted_on"),
        ),
    ]
