"""Who may see what: every screen and endpoint, every role, including one person asking for another's record.

The last test fails when a screen or endpoint exists that this matrix does not list.
"""

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from ventanilla.api import api
from ventanilla.people.models import Role

ANON = "anonymous"
H, O, IM, IN, S, A = (Role.DERECHOHABIENTE, Role.CONSULAR_OFFICER, Role.IMSS_STAFF, Role.INFONAVIT_STAFF,
                      Role.SUPERVISOR, Role.ADMINISTRATOR)
ROLES = [ANON, H, O, IM, IN, S, A]


def expect(default, **overrides):
    """Expected status per role: a default with exceptions keyed by role value."""
    return {role: overrides.get(str(role), default) for role in ROLES}


STAFF_ONLY = expect(403, anonymous=302, imss_staff=200, infonavit_staff=200, administrator=200)
REGISTRARS = expect(403, anonymous=302, consular_officer=200, imss_staff=200, infonavit_staff=200,
                    administrator=200)

# (method, path template, expected statuses). {la} is a person of the officer's consulate and the citizen's
# own record; {chicago} is a person of another consulate.
MATRIX = [
    ("get", "/", expect(302, anonymous=200)),
    ("get", "/healthz", expect(200)),
    ("get", "/entrar/", expect(302, anonymous=200)),
    ("post", "/salir/", expect(302)),
    ("get", "/portal/", expect(403, anonymous=302, derechohabiente=200)),
    ("get", "/ventanilla/", REGISTRARS),
    ("get", "/ventanilla/personas/nueva/", REGISTRARS),
    ("get", "/ventanilla/personas/{la}/", REGISTRARS),
    ("get", "/ventanilla/personas/{chicago}/", {**REGISTRARS, O: 404}),
    ("get", "/tablero/", expect(200, anonymous=302, derechohabiente=403)),
    ("get", "/personal/", STAFF_ONLY),
    ("get", "/admin/", expect(302, imss_staff=200, infonavit_staff=200, administrator=200)),
    ("get", "/admin/reference/uma/", expect(302, imss_staff=200, infonavit_staff=200, administrator=200)),
    ("get", "/admin/reference/consulate/", expect(302, imss_staff=200, infonavit_staff=200, administrator=200)),
    ("get", "/admin/core/auditentry/", expect(302, imss_staff=403, infonavit_staff=403, administrator=200)),
    ("get", "/admin/people/user/", expect(302, imss_staff=403, infonavit_staff=403, administrator=200)),
    ("get", "/admin/people/person/", expect(302, imss_staff=403, infonavit_staff=403, administrator=200)),
    ("get", "/api/v1/reference/params?date=2026-02-01", expect(200)),
    ("get", "/api/v1/reference/consulates", expect(200)),
    ("get", "/api/v1/people/me", expect(200, anonymous=401)),
    ("get", "/api/v1/people", expect(200, anonymous=401, supervisor=403)),
    ("get", "/api/v1/people/{la}", expect(200, anonymous=401, supervisor=404)),
    ("get", "/api/v1/people/{chicago}", expect(200, anonymous=401, supervisor=404, derechohabiente=404,
                                               consular_officer=404)),
    ("post", "/api/v1/people", expect(403, anonymous=401, consular_officer=422, imss_staff=422,
                                      infonavit_staff=422, administrator=422)),
]


@pytest.fixture
def clients(world):
    result = {ANON: Client()}
    for role, user in world["users"].items():
        client = Client()
        client.force_login(user)
        result[role] = client
    return result


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "template", "expected"), MATRIX, ids=[f"{m} {t}" for m, t, _ in MATRIX])
def test_each_role_gets_exactly_what_it_may(clients, world, method, template, expected):
    path = template.format(la=world["person_la"].pk, chicago=world["person_chicago"].pk)
    for role in ROLES:
        client = clients[role]
        if method == "post":
            response = client.post(path, data=json.dumps({}), content_type="application/json")
        else:
            response = client.get(path)
        assert response.status_code == expected[role], f"{role} {method.upper()} {path}"


@pytest.mark.django_db
def test_lists_are_scoped_to_what_each_role_may_see(clients, world):
    def curps(role):
        return {p["curp"] for p in clients[role].get("/api/v1/people").json()["items"]}

    la, other_la, chicago = world["person_la"].curp, world["other_la"].curp, world["person_chicago"].curp
    assert curps(H) == {la}
    assert curps(O) == {la, other_la}
    assert curps(IM) == curps(IN) == curps(A) == {la, other_la, chicago}
    page = clients[O].get("/ventanilla/").content.decode()
    assert la in page and other_la in page and chicago not in page


def _web_routes(resolver=None, prefix="") -> set[str]:
    routes = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(("admin/", "api/v1/", "i18n/")):
                continue
            routes |= _web_routes(pattern, route)
        elif isinstance(pattern, URLPattern):
            routes.add("/" + route)
    return routes


def test_the_matrix_lists_every_screen_and_endpoint():
    listed = {template.split("?")[0] for _, template, _ in MATRIX}
    normalised = {p.replace("{la}", "<int:person_id>").replace("{chicago}", "<int:person_id>") for p in listed}
    missing_screens = _web_routes() - normalised
    assert not missing_screens, f"screens missing from the access matrix: {missing_screens}"
    api_listed = {p.replace("{la}", "{person_id}").replace("{chicago}", "{person_id}")
                  for p in listed if p.startswith("/api/")}
    schema = api.get_openapi_schema()
    operations = {path for path, methods in schema["paths"].items() for _ in methods}
    missing_api = operations - api_listed
    assert not missing_api, f"API operations missing from the access matrix: {missing_api}"
