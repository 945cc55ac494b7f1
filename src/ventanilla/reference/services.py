"""Writes to parameters and catalogues: validated, audited, one transaction each."""

import csv
from datetime import date
from decimal import Decimal
from importlib import resources

from django.db import transaction

from ventanilla.core import audit
from ventanilla.reference.models import (
    CeavEmployerRate,
    Consulate,
    ConsulateService,
    EffectiveDated,
    ExchangeRate,
    ImssBranchRate,
    MinimumWage,
    ProgramFlag,
    Uma,
    VsmAdjustment,
    WorkRiskPremium,
)

# Data file → model. Each file keeps its source beside every value.
DATA_FILES = {
    "uma.csv": Uma,
    "minimum_wage.csv": MinimumWage,
    "vsm_adjustment.csv": VsmAdjustment,
    "imss_branch_rates.csv": ImssBranchRate,
    "ceav_employer_rates.csv": CeavEmployerRate,
    "work_risk_premiums.csv": WorkRiskPremium,
    "exchange_rates.csv": ExchangeRate,
    "program_flags.csv": ProgramFlag,
}

# SRE–IMSS agreement of 6 Dec 2022 (shared/seeds/003): USA and Canada from January 2023, the rest in March.
IMSS_OPENING_NORTH_AMERICA = date(2023, 1, 1)
IMSS_OPENING_REST_OF_WORLD = date(2023, 3, 1)
IMSS_OPENING_SOURCE = "Comunicado conjunto SRE-IMSS, 6 dic 2022 (shared/seeds/003)"


def _read_rows(filename: str) -> list[dict]:
    text = resources.files("ventanilla.reference").joinpath("data", filename).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


def _typed(model: type[EffectiveDated], row: dict) -> dict:
    values = {}
    for name, raw in row.items():
        model_field = model._meta.get_field(name)
        internal = model_field.get_internal_type()
        if raw == "" and model_field.null:
            values[name] = None
        elif internal == "DecimalField":
            values[name] = Decimal(raw)
        elif internal == "DateField":
            values[name] = date.fromisoformat(raw)
        elif internal == "BooleanField":
            values[name] = raw.strip() in {"1", "true", "True"}
        elif internal == "PositiveSmallIntegerField":
            values[name] = int(raw)
        else:
            values[name] = raw
    return values


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Insert the versioned rows that are missing. Rows staff already hold are never overwritten."""
    created: dict[str, int] = {}
    for filename, model in DATA_FILES.items():
        count = 0
        for row in _read_rows(filename):
            values = _typed(model, row)
            identity = {f: values[f] for f in (*model.partition_fields, "valid_from")}
            if not model.objects.filter(**identity).exists():
                model.objects.create(**values)
                count += 1
        created[model.__name__] = count
    created["Consulate"] = _load_consulates()
    return created


def _load_consulates() -> int:
    count = 0
    for row in _read_rows("consulates.csv"):
        consulate, was_created = Consulate.objects.get_or_create(code=row["code"], defaults=row)
        count += was_created
        opens_on = IMSS_OPENING_NORTH_AMERICA if consulate.country in {"US", "CA"} else IMSS_OPENING_REST_OF_WORLD
        ConsulateService.objects.get_or_create(
            consulate=consulate,
            service=ConsulateService.Service.IMSS_AFFILIATION,
            defaults={"opens_on": opens_on, "source": IMSS_OPENING_SOURCE},
        )
    return count


def load_reference_data_after_migrate(**_kwargs) -> None:
    load_reference_data()


def save_parameter(actor, row: EffectiveDated | Consulate | ConsulateService) -> None:
    """Validate (overlaps are refused with a message) and store one row, with its audit entry."""
    with transaction.atomic():
        before = None
        if row.pk:
            previous = type(row).objects.select_for_update().get(pk=row.pk)
            before = audit.snapshot(previous)
        row.full_clean()
        row.save()
        audit.record(actor, "reference.update" if before else "reference.create", row,
                     before=before, after=audit.snapshot(row))


def delete_parameter(actor, row) -> None:
    with transaction.atomic():
        before = audit.snapshot(row)
        object_id = str(row.pk)
        row.delete()
        audit.record(actor, "reference.delete", object_type=row._meta.label_lower, object_id=object_id,
                     before=before)
