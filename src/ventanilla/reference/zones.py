"""Minimum-wage zone of a Mexican address: the 43 municipalities of the northern border free zone (ZLFN)
pay the ZLFN minimum wage (CONASAMI; decree DOF 31-12-2018; shared/domain/reference-values.md)."""

import csv
import unicodedata
from functools import lru_cache
from importlib import resources


def _key(text: str) -> str:
    plain = unicodedata.normalize("NFD", text or "")
    return " ".join("".join(c for c in plain if unicodedata.category(c) != "Mn").upper().replace(".", "").split())


@lru_cache(maxsize=1)
def zlfn_municipalities() -> frozenset[tuple[str, str]]:
    text = resources.files("ventanilla.reference").joinpath("data", "zlfn_municipalities.csv").read_text("utf-8")
    return frozenset((row["state"], _key(row["municipality"])) for row in csv.DictReader(text.splitlines()))


def zone_for(state: str, municipality: str) -> str:
    """"zlfn" for a border free-zone municipality, else "general"."""
    return "zlfn" if (state, _key(municipality)) in zlfn_municipalities() else "general"
