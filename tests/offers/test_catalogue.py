"""The offer catalogue: seeded versions with sources, a new version per change (never an edit), audited,
effective-dated; the open API with ETag / Last-Modified / 304 and its cache; the JSON Feed; the screens."""

import json
from datetime import date

import pytest
from django.core.cache import cache

from ventanilla.core.errors import DomainError, PermissionDeniedError
from ventanilla.core.models import AuditEntry
from ventanilla.offers import selectors, services
from ventanilla.offers.models import Offer, OfferVersion
from ventanilla.people.models import Role

pytestmark = pytest.mark.django_db
URL = "/api/v1/infonavit/offers"
SEEDED = {"credito-infonavit", "unamos-credito", "cofinavit", "mejoravit", "construyo", "vivienda-bienestar",
          "sin-fronteras", "responsabilidad-compartida", "descuento-liquidacion-anticipada",
          "borron-y-cuenta-nueva", "apoyo-a-jubilados", "mi-cuenta-infonavit", "devolucion-saldo-scv"}


@pytest.fixture
def staff(world):
    return world["users"][Role.INFONAVIT_STAFF]


def test_the_seed_holds_every_offer_with_its_source_in_both_languages():
    assert set(Offer.objects.values_list("code", flat=True)) == SEEDED
    for version in OfferVersion.objects.all():
        assert version.version == 1 and version.source and version.name_en and version.summary_en
    credito = selectors.latest_version("credito-infonavit")
    assert str(credito.max_amount) == "2830672.54" and str(credito.rate_to) == "10.45"
    assert services.load_catalogue() == 0  # a second load adds nothing


def test_a_change_is_a_new_version_audited_and_the_old_one_stays(staff):
    before = AuditEntry.objects.filter(action="offers.publish").count()
    version = services.publish_version(staff, "credito-infonavit",
                                       {"max_amount": "2950000.00", "valid_from": date(2026, 1, 1)},
                                       change_note="Monto máximo 2026")
    assert version.version == 2 and version.published_by == staff
    assert version.name_es == "Crédito Infonavit"  # what the change leaves out is carried from version 1
    first = OfferVersion.objects.get(offer__code="credito-infonavit", version=1)
    assert str(first.max_amount) == "2830672.54"
    entry = AuditEntry.objects.filter(action="offers.publish").latest("id")
    assert AuditEntry.objects.filter(action="offers.publish").count() == before + 1
    assert entry.before["max_amount"] == "2830672.54" and entry.after["max_amount"] == "2950000.00"
    assert entry.actor == staff
    first.change_note = "edited"
    with pytest.raises(ValueError):
        first.save()
    # Effective-dated: on 2025-12-31 the 2025 version is in force, from 2026-01-01 the new one.
    in_2025 = {v.offer.code: v for v in selectors.offers_in_force(date(2025, 12, 31))}
    in_2026 = {v.offer.code: v for v in selectors.offers_in_force(date(2026, 1, 1))}
    assert in_2025["credito-infonavit"].version == 1 and in_2026["credito-infonavit"].version == 2


def test_refusals_name_the_field_and_only_staff_publish(world, staff):
    with pytest.raises(DomainError) as refused:
        services.publish_version(staff, "mejoravit", {"name_en": "", "audiences": ["aliens"], "rate_from": "12",
                                                      "rate_to": "11", "valid_to": date(2020, 1, 1)},
                                 change_note="x")
    assert {(e.field, e.code) for e in refused.value.errors} == {
        ("name_en", "required"), ("audiences", "invalid_choice"), ("rate_to", "below_rate_from"),
        ("valid_to", "before_valid_from")}
    with pytest.raises(DomainError):
        services.publish_version(staff, "mejoravit", {}, change_note="")
    for role in (Role.DERECHOHABIENTE, Role.CONSULAR_OFFICER, Role.IMSS_STAFF, Role.SUPERVISOR):
        with pytest.raises(PermissionDeniedError):
            services.publish_version(world["users"][role], "mejoravit", {}, change_note="x")
    assert OfferVersion.objects.filter(offer__code="mejoravit").count() == 1


def test_withdrawal_and_audience_filter(client, staff):
    services.withdraw_offer(staff, "construyo", date(2026, 6, 1), "Retirada del catálogo")
    codes = {o["code"] for o in client.get(URL, {"date": "2026-06-01"}).json()["offers"]}
    assert "construyo" not in codes and "credito-infonavit" in codes
    assert "construyo" in {o["code"] for o in client.get(URL, {"date": "2026-05-31"}).json()["offers"]}
    migrants = client.get(URL, {"audience": "migrants", "language": "en", "date": "2026-03-01"}).json()
    assert all("migrants" in o["audiences"] for o in migrants["offers"])
    assert {"sin-fronteras", "credito-infonavit"} <= {o["code"] for o in migrants["offers"]}
    assert "mejoravit" not in {o["code"] for o in migrants["offers"]}
    sin_fronteras = next(o for o in migrants["offers"] if o["code"] == "sin-fronteras")
    assert sin_fronteras["name"] == "Infonavit Sin Fronteras (pay from the US)"
    assert "DolEx" in sin_fronteras["how_to_apply_from_abroad"]
    bad = client.get(URL, {"audience": "aliens", "language": "fr", "date": "mañana"})
    assert bad.status_code == 422
    assert {e["field"] for e in bad.json()["errors"]} == {"date"}  # the date is read first
    assert {e["field"] for e in client.get(URL, {"audience": "aliens", "language": "fr"}).json()["errors"]} == {
        "audience", "language"}


def test_etag_last_modified_304_and_cache_invalidation(client, staff, django_assert_num_queries,
                                                       django_capture_on_commit_callbacks):
    first = client.get(URL, {"date": "2026-03-01"})
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    etag = first["ETag"]
    with django_assert_num_queries(0):  # unchanged: stamp and body from the cache
        again = client.get(URL, {"date": "2026-03-01"})
    assert again.content == first.content and again["ETag"] == etag
    not_modified = client.get(URL, {"date": "2026-03-01"}, HTTP_IF_NONE_MATCH=etag)
    assert not_modified.status_code == 304 and not_modified.content == b""
    since = client.get(URL, {"date": "2026-03-01"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304
    other_language = client.get(URL, {"date": "2026-03-01", "language": "en"}, HTTP_IF_NONE_MATCH=etag)
    assert other_language.status_code == 200  # another answer, another validator
    with django_capture_on_commit_callbacks(execute=True):  # the cache hears of the change once committed
        services.publish_version(staff, "mejoravit", {"rate_to": "11.50", "valid_from": date(2026, 2, 1)},
                                 change_note="Tasa Mejoravit")
    changed = client.get(URL, {"date": "2026-03-01"}, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag
    mejoravit = next(o for o in changed.json()["offers"] if o["code"] == "mejoravit")
    assert mejoravit["rate_to"] == "11.50" and mejoravit["version"] == 2


def test_the_json_feed_lists_changes_newest_first(client, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_version(staff, "sin-fronteras", {"valid_from": date(2026, 4, 1)},
                                 change_note="Nueva remesadora aliada")
    response = client.get(URL + "/feed.json", {"language": "es"})
    assert response.status_code == 200 and response["Content-Type"] == "application/feed+json"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1" and feed["title"] and feed["items"]
    for item in feed["items"]:  # JSON Feed 1.1: each item has a unique id and content
        assert item["id"] and item["content_text"] and item["date_published"] and item["url"].startswith("http")
    assert len({item["id"] for item in feed["items"]}) == len(feed["items"])
    top = feed["items"][0]
    assert top["id"] == "sin-fronteras/v2" and top["content_text"].startswith("Nueva remesadora aliada")
    assert client.get(URL + "/feed.json", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_the_consular_page_is_public_and_printable(client):
    page = client.get("/infonavit/ofertas/", {"audience": "migrants", "language": "en", "date": "2026-03-01"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Infonavit Sin Fronteras (pay from the US)" in html and "offers/consular.css" in html
    assert 'id="mejoravit"' not in html
    assert client.get("/static/offers/consular.css").status_code in (200, 404)  # served by whitenoise in prod
    assert client.get("/infonavit/ofertas/", {"date": "nope"}).status_code == 422


def test_staff_publish_a_version_from_the_screen(world, staff):
    from django.test import Client

    browser = Client()
    browser.force_login(staff)
    page = browser.get("/infonavit/ofertas/personal/mejoravit/")
    assert page.status_code == 200 and "Mejoravit" in page.content.decode()
    form = page.context["form"].initial
    data = {key: value for key, value in form.items() if value not in (None, False)}
    data.update({"change_note": "Monto 2026", "valid_from": "2026-01-01", "max_amount": "170000.00",
                 "audiences": ["workers", "relatives"]})
    done = browser.post("/infonavit/ofertas/personal/mejoravit/", data)
    assert done.status_code == 302
    assert selectors.latest_version("mejoravit").version == 2
    refused = browser.post("/infonavit/ofertas/personal/mejoravit/", {**data, "rate_from": "15", "rate_to": "11"})
    assert refused.status_code == 422
    new = browser.post("/infonavit/ofertas/personal/nueva/", {
        "code": "arrendavit", "kind": "product", "change_note": "Alta", "valid_from": "2026-01-01",
        "audiences": ["workers"], "name_es": "Arrendavit", "name_en": "Arrendavit (rent)",
        "summary_es": "Renta con el ahorro.", "summary_en": "Rent with your savings.", "source": "prueba"})
    assert new.status_code == 302 and selectors.offer_exists("arrendavit")
    cache.clear()


# --- review fix (fix5b): today's offer is never "not modified" since a time before today's midnight -------------

def test_without_a_date_last_modified_is_never_before_today(client):
    from datetime import datetime, time, timedelta

    from django.utils import timezone
    from django.utils.http import http_date, parse_http_date
    yesterday = timezone.make_aware(datetime.combine(timezone.localdate() - timedelta(days=1), time(12)))
    OfferVersion.objects.update(published_at=yesterday)  # the catalogue last changed yesterday
    cache.clear()
    held = http_date(yesterday.timestamp())  # what a client answered yesterday holds
    today = client.get(URL, HTTP_IF_MODIFIED_SINCE=held)
    assert today.status_code == 200  # a version may have come into force at midnight
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    assert parse_http_date(today["Last-Modified"]) == int(midnight.timestamp())
    assert client.get(URL, HTTP_IF_MODIFIED_SINCE=today["Last-Modified"]).status_code == 304
    dated = client.get(URL, {"date": "2026-03-01"}, HTTP_IF_MODIFIED_SINCE=held)
    assert dated.status_code == 304  # a fixed date's answer changes only with the catalogue
