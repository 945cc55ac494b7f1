"""The allied remittance companies of Infonavit Sin Fronteras (shared/domain/infonavit.md; seed 000): DolEx,
Maxitransfers and Intercambio Express since Nov-Dec 2019, Barri and Solopin later (month not published)."""

from datetime import date

from django.db import migrations

SOURCE = "shared/domain/infonavit.md, Infonavit Sin Fronteras (seed 000); commission per operation ASSUMED"
COMPANIES = [
    ("DOLEX", "DolEx", date(2019, 11, 1)),
    ("MAXI", "Maxitransfers", date(2019, 11, 1)),
    ("INTEREX", "Intercambio Express", date(2019, 11, 1)),
    ("BARRI", "Barri", None),
    ("SOLOPIN", "Solopin", None),
]


def seed(apps, schema_editor):
    company = apps.get_model("payments", "RemittanceCompany")
    for code, name, joined_on in COMPANIES:
        company.objects.get_or_create(code=code, defaults={"name": name, "joined_on": joined_on, "source": SOURCE})


def unseed(apps, schema_editor):
    company = apps.get_model("payments", "RemittanceCompany")
    company.objects.filter(code__in=[code for code, _name, _joined in COMPANIES], payments__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("payments", "0005_sin_fronteras")]
    operations = [migrations.RunPython(seed, unseed)]
