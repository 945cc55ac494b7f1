"""Reads of the offer catalogue: what is in force on a date, each offer's history, the feed of changes, and
the catalogue's stamp (ETag / Last-Modified) that lets answers be served from the cache while unchanged."""

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.core.cache import cache
from django.db.models import Count, Max

from ventanilla.core.errors import NotFoundError
from ventanilla.offers.models import Offer, OfferVersion

STAMP_KEY = "offers:stamp"
# A process whose cache did not hear of a change (per-process memory cache) sees it after this many seconds.
STAMP_SECONDS = 30
ANSWER_SECONDS = 3600


@dataclass(frozen=True)
class Stamp:
    versions: int
    last_id: int
    last_modified: datetime | None

    def etag(self, *parts) -> str:
        """A strong validator of the catalogue plus what shapes the answer (date, audience, language)."""
        text = ":".join(str(p) for p in (self.versions, self.last_id, self.last_modified, *parts))
        return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def catalogue_stamp() -> Stamp:
    """How the catalogue stands (one aggregate query, then the cache until the next change)."""
    stamp = cache.get(STAMP_KEY)
    if stamp is None:
        found = OfferVersion.objects.aggregate(versions=Count("id"), last_id=Max("id"), last=Max("published_at"))
        stamp = Stamp(found["versions"], found["last_id"] or 0, found["last"])
        cache.set(STAMP_KEY, stamp, STAMP_SECONDS)
    return stamp


def catalogue_changed() -> None:
    """Called after a change is committed: the next read recomputes the stamp, so cached answers (keyed
    by the stamp) are no longer used."""
    cache.delete(STAMP_KEY)


def cached_answer(key: str, build):
    """An answer (bytes) built once per catalogue stamp and key."""
    answer = cache.get(key)
    if answer is None:
        answer = build()
        cache.set(key, answer, ANSWER_SECONDS)
    return answer


def in_force(version: OfferVersion, on: date) -> bool:
    return version.valid_from <= on and (version.valid_to is None or version.valid_to > on)


def offers_in_force(on: date, audience: str | None = None) -> list[OfferVersion]:
    """For each offer, its latest version that started on or before `on`, unless it is withdrawn by then;
    only those for `audience` when given; in the catalogue's order."""
    versions = (OfferVersion.objects.filter(valid_from__lte=on).select_related("offer")
                .order_by("offer__position", "offer__code", "-version"))
    chosen: dict[int, OfferVersion] = {}
    for version in versions:
        chosen.setdefault(version.offer_id, version)
    return [v for v in chosen.values() if in_force(v, on) and (audience is None or audience in v.audiences)]


def latest_version(code: str) -> OfferVersion:
    version = OfferVersion.objects.filter(offer__code=code).select_related("offer").order_by("-version").first()
    if version is None:
        raise NotFoundError
    return version


def offer_history(code: str) -> tuple[Offer, list[OfferVersion]]:
    offer = Offer.objects.filter(code=code).first()
    if offer is None:
        raise NotFoundError
    return offer, list(offer.versions.select_related("published_by").order_by("-version"))


def all_offers() -> list[OfferVersion]:
    """The latest version of every offer (staff list), withdrawn ones included."""
    chosen: dict[int, OfferVersion] = {}
    for version in OfferVersion.objects.select_related("offer").order_by("offer__position", "offer__code", "-version"):
        chosen.setdefault(version.offer_id, version)
    return list(chosen.values())


def recent_changes(limit: int = 50) -> list[OfferVersion]:
    return list(OfferVersion.objects.select_related("offer").order_by("-published_at", "-id")[:limit])


def offer_exists(code: str) -> bool:
    return Offer.objects.filter(code=code).exists()
