"""RefundRequest.approved_amounts: the amount per savings period fixed at approval (paid exactly, shown on the
SPEI instruction). Requests already approved take their balances at migration time, as their instruction
showed them until now."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import Sum


def fix_approved(apps, schema_editor):
    RefundRequest = apps.get_model("infonavit", "RefundRequest")
    SavingsMovement = apps.get_model("infonavit", "SavingsMovement")
    for refund in RefundRequest.objects.filter(status="approved"):
        rows = SavingsMovement.objects.filter(person_id=refund.person_id).values("savings_period").annotate(
            total=Sum("amount"))
        amounts = {row["savings_period"]: row["total"] for row in rows if row["total"] > 0}
        refund.approved_amounts = {period: str(amount) for period, amount in sorted(amounts.items())}
        refund.amount = sum(amounts.values(), Decimal("0.00"))
        refund.save(update_fields=["approved_amounts", "amount"])


class Migration(migrations.Migration):

    dependencies = [
        ("infonavit", "0007_ledger_running_position"),
    ]

    operations = [
        migrations.AddField(
            model_name="refundrequest",
            name="approved_amounts",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(fix_approved, migrations.RunPython.noop),
    ]
