"""The open read API of the offer catalogue (mounted at /api/v1/infonavit/offers): public, cheap to poll.

Both answers carry an ETag and a Last-Modified; a matching If-None-Match (or, without it, an
If-Modified-Since not older than the last change) gets a 304 with no body. Bodies are built once per
catalogue stamp and served from the cache until a change is committed (services → selectors.catalogue_changed).
"""

import json
from datetime import date, datetime, time

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.http import http_date, parse_http_date_safe
from django.utils.translation import gettext_lazy as _
from ninja import Router

from ventanilla.core.errors import DomainError, FieldError
from ventanilla.core.throttling import public_throttle
from ventanilla.offers import selectors
from ventanilla.offers.models import AUDIENCES, OfferVersion

router = Router(tags=["offers"])
LANGUAGES = ("es", "en")
FEED_ITEMS = 50


def _on(raw: str) -> date:
    if not raw:
        return timezone.localdate()
    try:
        return date.fromisoformat(raw)
    except ValueError as exc:
        raise DomainError(FieldError("date", "invalid_date", _("Use una fecha válida (AAAA-MM-DD)."))) from exc


def _checked(audience: str, language: str) -> None:
    errors = []
    if audience and audience not in AUDIENCES:
        errors.append(FieldError("audience", "invalid_choice", _("El valor no está entre las opciones permitidas.")))
    if language not in LANGUAGES:
        errors.append(FieldError("language", "invalid_choice", _("El valor no está entre las opciones permitidas.")))
    if errors:
        raise DomainError(errors)


def offer_json(version: OfferVersion, language: str) -> dict:
    def amount(value):
        return None if value is None else str(value)

    return {
        "code": version.offer.code, "kind": version.offer.kind, "version": version.version,
        "valid_from": version.valid_from.isoformat(),
        "valid_to": version.valid_to.isoformat() if version.valid_to else None,
        "audiences": version.audiences, "language": language,
        "name": version.text("name", language), "summary": version.text("summary", language),
        "conditions": version.text("conditions", language), "requirements": version.text("requirements", language),
        "how_to_apply_from_abroad": version.text("abroad", language),
        "max_amount": amount(version.max_amount), "rate_from": amount(version.rate_from),
        "rate_to": amount(version.rate_to), "source": version.source, "assumed": version.assumed,
        "published_at": version.published_at.isoformat(),
    }


def _not_modified(request: HttpRequest, etag: str, last_modified: datetime | None) -> bool:
    match = request.headers.get("If-None-Match")
    if match is not None:
        return etag in {tag.strip() for tag in match.split(",")} or match.strip() == "*"
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    return since is not None and last_modified is not None and int(last_modified.timestamp()) <= since


def conditional(request: HttpRequest, key_parts: tuple, build, content_type: str,
                not_before: datetime | None = None) -> HttpResponse:
    """304 when the client holds the current answer; else the cached (or freshly built) body. `not_before`:
    the answer may change without a catalogue change from then on (today's offer: a version coming into
    force at midnight), so Last-Modified is never earlier."""
    stamp = selectors.catalogue_stamp()
    etag = stamp.etag(*key_parts)
    last_modified = stamp.last_modified
    if last_modified is not None and not_before is not None:
        last_modified = max(last_modified, not_before)
    if _not_modified(request, etag, last_modified):
        response = HttpResponse(status=304)
    else:
        body = selectors.cached_answer(f"offers:answer:{etag}", build)
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    response["Cache-Control"] = "public, max-age=60"
    response["Vary"] = "Accept-Language"
    return response


@router.get("", auth=None, throttle=public_throttle(),
            summary="Infonavit's offer in force on a date (ETag / Last-Modified; 304 when unchanged)")
def list_offers(request: HttpRequest, audience: str = "", language: str = "es", date: str = ""):
    """`audience`: migrants, workers, borrowers, retirees or relatives; `language`: es or en; `date`: ISO, default
    today."""
    on = _on(date)
    _checked(audience, language)

    def build() -> bytes:
        offers = selectors.offers_in_force(on, audience or None)
        return json.dumps({"date": on.isoformat(), "audience": audience or None, "language": language,
                           "count": len(offers), "offers": [offer_json(v, language) for v in offers]},
                          ensure_ascii=False).encode()

    # Without `date` the answer is today's offer: it may change at midnight with no catalogue change.
    start_of_today = None if date else timezone.make_aware(datetime.combine(on, time.min))
    return conditional(request, ("list", on, audience, language), build, "application/json",
                       not_before=start_of_today)


@router.get("/feed.json", auth=None, throttle=public_throttle(),
            summary="JSON Feed 1.1 of the catalogue's changes, newest first (ETag / Last-Modified)")
def changes_feed(request: HttpRequest, language: str = "es"):
    _checked("", language)
    base = request.build_absolute_uri("/")[:-1]

    def build() -> bytes:
        page = base + reverse("offers:consular")
        items = []
        for version in selectors.recent_changes(FEED_ITEMS):
            items.append({
                "id": f"{version.offer.code}/v{version.version}",
                "url": f"{page}#{version.offer.code}",
                "title": f"{version.text('name', language)} (v{version.version})",
                "content_text": f"{version.change_note}\n\n{version.text('summary', language)}",
                "date_published": version.published_at.isoformat(),
                "tags": [version.offer.kind, *version.audiences],
                "_offer": offer_json(version, language),
            })
        title = "Infonavit: oferta y cambios" if language == "es" else "Infonavit: offer and changes"
        return json.dumps({"version": "https://jsonfeed.org/version/1.1", "title": title, "language": language,
                           "home_page_url": page,
                           "feed_url": base + request.path + f"?language={language}",
                           "items": items}, ensure_ascii=False).encode()

    return conditional(request, ("feed", language, base), build, "application/feed+json")
