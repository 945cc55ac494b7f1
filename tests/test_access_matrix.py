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
H, OF, IM, IN, S, A = (Role.DERECHOHABIENTE, Role.CONSULAR_OFFICER, Role.IMSS_STAFF, Role.INFONAVIT_STAFF,
                      Role.SUPERVISOR, Role.ADMINISTRATOR)
ROLES = [ANON, H, OF, IM, IN, S, A]


def expect(default, **overrides):
    """Expected status per role: a default with exceptions keyed by role value."""
    return {role: overrides.get(str(role), default) for role in ROLES}


STAFF_ONLY = expect(403, anonymous=302, imss_staff=200, infonavit_staff=200, administrator=200)
REGISTRARS = expect(403, anonymous=302, consular_officer=200, imss_staff=200, infonavit_staff=200,
                    administrator=200)

IMSS_MANAGERS = expect(200, anonymous=302, supervisor=403)  # the worker (own record), officers, staff
CREDIT_READERS = expect(200, anonymous=302, imss_staff=403, supervisor=403)  # infonavit.selectors.visible_credits
CREDIT_STAFF = expect(403, anonymous=302, consular_officer=200, infonavit_staff=200, administrator=200)
CREDIT_API = expect(200, anonymous=401, imss_staff=403, supervisor=403)
WG_READERS = expect(200, anonymous=302, derechohabiente=403)  # working group: everyone but citizens reads
WG_EDITORS = expect(403, anonymous=302, supervisor=200, administrator=200)

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
    ("get", "/ventanilla/personas/{chicago}/", {**REGISTRARS, OF: 404}),
    ("get", "/tablero/", expect(200, anonymous=302, derechohabiente=403)),
    # Dashboards, exports, monthly PDF and reports API (dashboards). {indicator} is persons_by_consulate.
    ("get", "/tablero/imss/", expect(200, anonymous=302, derechohabiente=403)),
    ("get", "/tablero/infonavit/", expect(200, anonymous=302, derechohabiente=403)),
    ("get", "/tablero/mi-cuenta/", expect(200, anonymous=302, derechohabiente=403)),
    ("get", "/tablero/imss/?start=nope", expect(422, anonymous=302, derechohabiente=403)),
    ("get", "/tablero/{indicator}.csv", expect(200, anonymous=302, derechohabiente=403)),
    ("get", "/tablero/{indicator}.xlsx", expect(200, anonymous=302, derechohabiente=403)),
    ("get", "/tablero/no_such_indicator.csv", expect(404, anonymous=302, derechohabiente=403)),
    ("get", "/tablero/reporte/{month}.pdf", expect(200, anonymous=302, derechohabiente=403)),
    # State-level report (infonavitind): every figures role, an officer confined to the consulate
    ("get", "/tablero/estado/{mx_state}/", expect(200, anonymous=302, derechohabiente=403)),
    ("get", "/tablero/estado/XX/", expect(404, anonymous=302, derechohabiente=403)),
    ("get", "/api/v1/reports", expect(200, anonymous=401, derechohabiente=403)),
    ("get", "/api/v1/reports/{indicator}", expect(200, anonymous=401, derechohabiente=403)),
    ("get", "/api/v1/reports/{indicator}?state=XX", expect(422, anonymous=401, derechohabiente=403)),
    ("get", "/api/v1/reports/no_such_indicator", expect(404, anonymous=401, derechohabiente=403)),
    ("get", "/personal/", STAFF_ONLY),
    ("get", "/admin/", expect(302, imss_staff=200, infonavit_staff=200, administrator=200)),
    ("get", "/admin/reference/uma/", expect(302, imss_staff=200, infonavit_staff=200, administrator=200)),
    ("get", "/admin/reference/consulate/", expect(302, imss_staff=200, infonavit_staff=200, administrator=200)),
    ("get", "/admin/core/auditentry/", expect(302, imss_staff=403, infonavit_staff=403, administrator=200)),
    ("get", "/admin/people/user/", expect(302, imss_staff=403, infonavit_staff=403, administrator=200)),
    ("get", "/admin/imss/affiliation/", expect(302, imss_staff=200, infonavit_staff=200, administrator=200)),
    ("get", "/admin/imss/aforereactivationrequest/", expect(302, imss_staff=200, infonavit_staff=200,
                                                            administrator=200)),
    ("get", "/admin/people/person/", expect(302, imss_staff=403, infonavit_staff=403, administrator=200)),
    *(("get", f"/admin/infonavit/{model}/", expect(302, imss_staff=403, infonavit_staff=200, administrator=200))
      for model in ("solutionapplication", "notice", "refundrequest", "voluntarydeposit", "employmentrelation")),
    ("get", "/api/v1/reference/params?date=2026-02-01", expect(200)),
    ("get", "/api/v1/reference/consulates", expect(200)),
    ("get", "/api/v1/people/me", expect(200, anonymous=401)),
    ("get", "/api/v1/people", expect(200, anonymous=401, supervisor=403)),
    ("get", "/api/v1/people/{la}", expect(200, anonymous=401, supervisor=404)),
    ("get", "/api/v1/people/{chicago}", expect(200, anonymous=401, supervisor=404, derechohabiente=404,
                                               consular_officer=404)),
    ("post", "/api/v1/people", expect(403, anonymous=401, consular_officer=422, imss_staff=422,
                                      infonavit_staff=422, administrator=422)),
    # IMSS screens. {aff_la} is the citizen's own affiliation (LA), {aff_chicago} one at another consulate;
    # {period} a lapsed period of {aff_la}; {claim} a claim on {aff_chicago}; {other_la} an LA person not enrolled.
    ("get", "/imss/calculadora/", expect(200)),
    ("get", "/imss/calculadora/?date=2026-03-05&monthly_income=12000&zone=general&periodicity=monthly",
     expect(200)),
    ("get", "/imss/personas/{other_la}/afiliar/", {**IMSS_MANAGERS, H: 404}),
    ("get", "/imss/personas/{chicago}/afiliar/", {**IMSS_MANAGERS, H: 404, OF: 404, IM: 302, IN: 302, A: 302}),
    ("get", "/imss/afiliaciones/{aff_la}/", IMSS_MANAGERS),
    ("get", "/imss/afiliaciones/{aff_chicago}/", {**IMSS_MANAGERS, H: 404, OF: 404}),
    ("post", "/imss/afiliaciones/{aff_chicago}/lineas-de-captura/",
     {**IMSS_MANAGERS, H: 404, OF: 404, IM: 302, IN: 302, A: 302}),
    ("post", "/imss/afiliaciones/{aff_la}/periodos/{period}/reemitir/",
     {**IMSS_MANAGERS, H: 422, OF: 422, IM: 422, IN: 422, A: 422}),
    ("get", "/imss/afiliaciones/{aff_la}/beneficiarios/nuevo/", IMSS_MANAGERS),
    ("get", "/imss/afiliaciones/{aff_chicago}/beneficiarios/nuevo/", {**IMSS_MANAGERS, H: 404, OF: 404}),
    ("get", "/imss/afiliaciones/{aff_la}/ingreso/", IMSS_MANAGERS),
    ("get", "/imss/afiliaciones/{aff_chicago}/ingreso/", {**IMSS_MANAGERS, H: 404, OF: 404}),
    ("post", "/imss/afiliaciones/{aff_chicago}/afore/", {**IMSS_MANAGERS, H: 404, OF: 404, IM: 302, IN: 302,
                                                         A: 302}),
    ("get", "/imss/afiliaciones/{aff_la}/prestaciones/nueva/", {**REGISTRARS}),
    ("get", "/imss/afiliaciones/{aff_chicago}/prestaciones/nueva/", {**REGISTRARS, OF: 404}),
    ("post", "/imss/afiliaciones/{aff_la}/afore/", {**IMSS_MANAGERS, H: 302, OF: 302, IM: 302, IN: 302, A: 302}),
    ("get", "/imss/afiliaciones/{aff_la}/constancia.pdf", IMSS_MANAGERS),
    ("get", "/imss/afiliaciones/{aff_chicago}/constancia.pdf", {**IMSS_MANAGERS, H: 404, OF: 404}),
    ("get", "/imss/prestaciones/", expect(403, anonymous=302, imss_staff=200, administrator=200)),
    ("post", "/imss/prestaciones/{claim}/decision/", expect(403, anonymous=302, imss_staff=422, administrator=422)),
    ("get", "/imss/nss/", expect(403, anonymous=302, imss_staff=200, administrator=200)),
    ("post", "/imss/nss/{aff_chicago}/", expect(403, anonymous=302, imss_staff=422, administrator=422)),
    # Payments. {ref_la} and {ref_chicago} are payment references of {la} and {chicago}; {file} a payment file.
    ("get", "/pagos/registrar/", REGISTRARS),
    ("get", "/pagos/archivos/", STAFF_ONLY),
    ("get", "/pagos/archivos/{file}/", STAFF_ONLY),
    ("get", "/pagos/referencias/{ref_la}/ficha.pdf", expect(200, anonymous=302, supervisor=403)),
    ("get", "/pagos/referencias/{ref_chicago}/ficha.pdf", expect(200, anonymous=302, supervisor=403,
                                                                 derechohabiente=404, consular_officer=404)),
    ("post", "/api/v1/payments/payments", expect(403, anonymous=401, consular_officer=422, imss_staff=422,
                                                 infonavit_staff=422, administrator=422)),
    ("get", "/api/v1/payments/references/{ref_la}", expect(200, anonymous=401, supervisor=404)),
    ("get", "/api/v1/payments/references/{ref_chicago}", expect(200, anonymous=401, supervisor=404,
                                                                derechohabiente=404, consular_officer=404)),
    ("get", "/api/v1/payments/references/{ref_la}/slip.pdf", expect(200, anonymous=401, supervisor=404)),
    ("get", "/api/v1/payments/references/{ref_chicago}/slip.pdf", expect(200, anonymous=401, supervisor=404,
                                                                         derechohabiente=404,
                                                                         consular_officer=404)),
    ("post", "/api/v1/payments/files", expect(403, anonymous=401, imss_staff=422, infonavit_staff=422,
                                              administrator=422)),
    ("get", "/api/v1/payments/files/{file}", expect(403, anonymous=401, imss_staff=200, infonavit_staff=200,
                                                    administrator=200)),
    # IMSS API. Bodies are empty: allowed roles get the 422 that names the missing fields.
    ("post", "/api/v1/imss/quote", expect(422)),
    ("post", "/api/v1/imss/benefits/funeral/quote", expect(422)),
    ("post", "/api/v1/infonavit/solutions/simulate", expect(422)),  # public: every role gets the 422 naming keys
    # Prequalification and the offer catalogue (offers engineer). The simulator, the offers API, its feed and
    # the consular page are public; {offer} is a seeded offer code; staff screens for Infonavit staff only.
    ("post", "/api/v1/infonavit/credit/simulate", expect(422)),
    ("get", "/api/v1/infonavit/offers", expect(200)),
    ("get", "/api/v1/infonavit/offers/feed.json", expect(200)),
    ("get", "/infonavit/precalificacion/", expect(200)),
    ("get", "/infonavit/precalificacion/?as_of=2026-03-10", expect(422)),
    ("get", "/infonavit/precalificacion/mi-cuenta/", expect(403, anonymous=302, derechohabiente=200)),
    ("get", "/infonavit/precalificacion/personas/{la}/", expect(403, anonymous=302, consular_officer=200,
                                                                infonavit_staff=200, administrator=200)),
    ("get", "/infonavit/precalificacion/personas/{chicago}/", expect(403, anonymous=302, consular_officer=404,
                                                                     infonavit_staff=200, administrator=200)),
    ("get", "/infonavit/ofertas/", expect(200)),
    ("get", "/infonavit/ofertas/personal/", expect(403, anonymous=302, infonavit_staff=200, administrator=200)),
    ("get", "/infonavit/ofertas/personal/nueva/", expect(403, anonymous=302, infonavit_staff=200,
                                                         administrator=200)),
    ("post", "/infonavit/ofertas/personal/nueva/", expect(403, anonymous=302, infonavit_staff=422,
                                                          administrator=422)),
    ("get", "/infonavit/ofertas/personal/{offer}/", expect(403, anonymous=302, infonavit_staff=200,
                                                           administrator=200)),
    ("post", "/infonavit/ofertas/personal/{offer}/", expect(403, anonymous=302, infonavit_staff=422,
                                                            administrator=422)),
    ("get", "/admin/offers/offerversion/", expect(302, imss_staff=403, infonavit_staff=200, administrator=200)),
    ("post", "/api/v1/imss/affiliations", expect(422, anonymous=401, supervisor=403)),
    ("get", "/api/v1/imss/affiliations/{aff_la}", expect(200, anonymous=401, supervisor=403)),
    ("get", "/api/v1/imss/affiliations/{aff_chicago}", expect(200, anonymous=401, supervisor=403,
                                                              derechohabiente=404, consular_officer=404)),
    ("get", "/api/v1/imss/affiliations/{aff_la}/coverage", expect(200, anonymous=401, supervisor=403)),
    ("get", "/api/v1/imss/affiliations/{aff_chicago}/coverage", expect(200, anonymous=401, supervisor=403,
                                                                       derechohabiente=404,
                                                                       consular_officer=404)),
    ("get", "/api/v1/imss/affiliations/{aff_la}/periods", expect(200, anonymous=401, supervisor=403)),
    ("get", "/api/v1/imss/affiliations/{aff_chicago}/periods", expect(200, anonymous=401, supervisor=403,
                                                                      derechohabiente=404,
                                                                      consular_officer=404)),
    ("post", "/api/v1/imss/affiliations/{aff_la}/beneficiaries", expect(422, anonymous=401, supervisor=403)),
    ("post", "/api/v1/imss/affiliations/{aff_la}/income", expect(422, anonymous=401, supervisor=403)),
    ("post", "/api/v1/imss/affiliations/{aff_la}/references", expect(201, anonymous=401, supervisor=403)),
    ("post", "/api/v1/imss/affiliations/{aff_chicago}/references", expect(201, anonymous=401, supervisor=403,
                                                                          derechohabiente=404,
                                                                          consular_officer=404)),
    ("post", "/api/v1/imss/affiliations/{aff_la}/afore", expect(201, anonymous=401, supervisor=403)),
    ("post", "/api/v1/imss/affiliations/{aff_chicago}/afore", expect(201, anonymous=401, supervisor=403,
                                                                     derechohabiente=404, consular_officer=404)),
    ("post", "/api/v1/imss/affiliations/{aff_la}/nss", expect(403, anonymous=401, imss_staff=422,
                                                              administrator=422)),
    ("post", "/api/v1/imss/affiliations/{aff_la}/claims", expect(422, anonymous=401, supervisor=403,
                                                                 derechohabiente=403)),
    ("post", "/api/v1/imss/claims/{claim}/decision", expect(403, anonymous=401, imss_staff=422,
                                                            administrator=422)),
    # Infonavit credits. {credit_la} is the citizen's own credit (LA), {credit_chicago} one at another
    # consulate, {year} a complete tax year of both. Credits are for the borrower (own), their consulate's
    # officers, Infonavit staff and administrators; never IMSS staff or supervisors.
    ("get", "/infonavit/mi-credito/", expect(403, anonymous=302, derechohabiente=200)),
    ("get", "/infonavit/creditos/", CREDIT_STAFF),
    ("get", "/infonavit/creditos/{credit_la}/", CREDIT_READERS),
    ("get", "/infonavit/creditos/{credit_chicago}/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("post", "/infonavit/creditos/{credit_la}/pagos/", {**CREDIT_STAFF, OF: 422, IN: 422, A: 422}),
    ("post", "/infonavit/creditos/{credit_chicago}/pagos/", {**CREDIT_STAFF, OF: 404, IN: 422, A: 422}),
    ("get", "/infonavit/creditos/{credit_la}/estado.pdf", CREDIT_READERS),
    ("get", "/infonavit/creditos/{credit_chicago}/estado.pdf", {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/creditos/{credit_la}/movimientos.csv", CREDIT_READERS),
    ("get", "/infonavit/creditos/{credit_chicago}/movimientos.csv", {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/creditos/{credit_la}/constancia-intereses/{year}.pdf", CREDIT_READERS),
    ("get", "/infonavit/creditos/{credit_chicago}/constancia-intereses/{year}.pdf",
     {**CREDIT_READERS, H: 404, OF: 404}),
    # Notices on payroll discounts and the mortgage cancellation letter (views/notices.py). {notice_la} is the
    # retención issued with {credit_la} ({copy}: the worker's); the credits are active, so the letter is refused
    # with its reason (422).
    ("get", "/infonavit/creditos/{credit_la}/avisos/", CREDIT_READERS),
    ("get", "/infonavit/creditos/{credit_chicago}/avisos/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/creditos/{credit_la}/avisos/{notice_la}/{copy}.pdf", CREDIT_READERS),
    ("get", "/infonavit/creditos/{credit_chicago}/avisos/{notice_chicago}/{copy}.pdf",
     {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/creditos/{credit_la}/carta-cancelacion.pdf", {**CREDIT_READERS, H: 422, OF: 422, IN: 422,
                                                                        A: 422}),
    ("get", "/infonavit/creditos/{credit_chicago}/carta-cancelacion.pdf", {**CREDIT_READERS, H: 404, OF: 404,
                                                                             IN: 422, A: 422}),
    ("get", "/api/v1/infonavit/credits/{credit_la}/notices", CREDIT_API),
    ("get", "/api/v1/infonavit/credits/{credit_chicago}/notices", {**CREDIT_API, H: 404, OF: 404}),
    ("get", "/api/v1/infonavit/credits", CREDIT_API),
    ("get", "/api/v1/infonavit/credits/{credit_la}", CREDIT_API),
    ("get", "/api/v1/infonavit/credits/{credit_chicago}", {**CREDIT_API, H: 404, OF: 404}),
    ("get", "/api/v1/infonavit/credits/{credit_la}/statement", CREDIT_API),
    ("get", "/api/v1/infonavit/credits/{credit_chicago}/statement", {**CREDIT_API, H: 404, OF: 404}),
    ("post", "/api/v1/infonavit/credits/{credit_la}/payments", {**CREDIT_API, H: 403, OF: 422, IN: 422, A: 422}),
    # Relief solutions on stored credits (api.py "relief solutions"). {app_la} is an RC application waiting for
    # approval on {credit_la}, asked by the administrator; {app_chicago} one on {credit_chicago}.
    ("get", "/api/v1/infonavit/credits/{credit_la}/solutions", CREDIT_API),
    ("get", "/api/v1/infonavit/credits/{credit_chicago}/solutions", {**CREDIT_API, H: 404, OF: 404}),
    ("post", "/api/v1/infonavit/credits/{credit_la}/solutions/{solution}/applications",
     {**CREDIT_API, H: 422, OF: 422, IN: 422, A: 422}),  # no Idempotency-Key: 422 naming it
    ("post", "/api/v1/infonavit/credits/{credit_chicago}/solutions/{solution}/applications",
     {**CREDIT_API, H: 404, OF: 404, IN: 422, A: 422}),
    ("get", "/api/v1/infonavit/applications/{app_la}", CREDIT_API),
    ("get", "/api/v1/infonavit/applications/{app_chicago}", {**CREDIT_API, H: 404, OF: 404}),
    ("post", "/api/v1/infonavit/applications/{app_la}/approve",  # four eyes (A asked) / not eligible: 422
     expect(403, anonymous=401, infonavit_staff=422, administrator=422)),
    ("post", "/api/v1/infonavit/applications/{app_la}/refuse",
     expect(403, anonymous=401, infonavit_staff=422, administrator=422)),
    ("post", "/api/v1/infonavit/applications/{app_la}/end",
     expect(403, anonymous=401, infonavit_staff=422, administrator=422)),
    # Infonavit relief-solution screens (views/solutions.py). The simulator is public.
    ("get", "/infonavit/soluciones/simular/", expect(200)),
    ("get", "/infonavit/soluciones/simular/?as_of=2026-03-10&product=tradicional", expect(422)),
    # A stored credit's solutions, the preview and its Confirm (no key: 422), applications and letters, and the
    # four-eyes queue. {app_la} was asked by the administrator (four eyes: 422) on a pesos credit (RC refused).
    ("get", "/infonavit/creditos/{credit_la}/soluciones/", CREDIT_READERS),
    ("get", "/infonavit/creditos/{credit_chicago}/soluciones/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/creditos/{credit_la}/soluciones/{solution}/", CREDIT_READERS),
    ("get", "/infonavit/creditos/{credit_chicago}/soluciones/{solution}/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("post", "/infonavit/creditos/{credit_la}/soluciones/{solution}/",
     {**CREDIT_READERS, H: 422, OF: 422, IN: 422, A: 422}),
    ("post", "/infonavit/creditos/{credit_chicago}/soluciones/{solution}/",
     {**CREDIT_READERS, H: 404, OF: 404, IN: 422, A: 422}),
    ("get", "/infonavit/solicitudes/pendientes/", expect(403, anonymous=302, infonavit_staff=200, administrator=200)),
    ("get", "/infonavit/solicitudes/{app_la}/", CREDIT_READERS),
    ("get", "/infonavit/solicitudes/{app_chicago}/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/solicitudes/{app_la}/carta.pdf", CREDIT_READERS),
    ("get", "/infonavit/solicitudes/{app_chicago}/carta.pdf", {**CREDIT_READERS, H: 404, OF: 404}),
    ("post", "/infonavit/solicitudes/{app_la}/aprobar/", expect(403, anonymous=302, infonavit_staff=422,
                                                               administrator=422)),
    ("post", "/infonavit/solicitudes/{app_la}/rechazar/", expect(403, anonymous=302, infonavit_staff=422,
                                                                administrator=422)),
    ("post", "/infonavit/solicitudes/{app_la}/terminar/", expect(403, anonymous=302, infonavit_staff=422,
                                                                administrator=422)),
    # Portfolio job runs (batch app): Infonavit staff and administrators only; an unknown campaign id shows
    # the list.
    ("get", "/infonavit/corridas/", expect(403, anonymous=302, infonavit_staff=200, administrator=200)),
    ("get", "/infonavit/corridas/?campana=999999", expect(403, anonymous=302, infonavit_staff=200,
                                                         administrator=200)),
    # Infonavit Sin Fronteras: settlement files for Infonavit staff and administrators ({file} is a bank file,
    # not a settlement file: 404); payment instructions for officers and Infonavit staff, also for a typed
    # number of a credit they cannot see (no name shown); the companies in the admin.
    ("get", "/pagos/remesas/", expect(403, anonymous=302, infonavit_staff=200, administrator=200)),
    ("get", "/pagos/remesas/{file}/", expect(403, anonymous=302, infonavit_staff=404, administrator=404)),
    ("get", "/infonavit/sin-fronteras/instrucciones/", CREDIT_STAFF),
    ("get", "/infonavit/sin-fronteras/instrucciones/?numero={credit_chicago}", CREDIT_STAFF),
    ("get", "/infonavit/sin-fronteras/instrucciones/?numero=123", {**CREDIT_STAFF, OF: 422, IN: 422, A: 422}),
    ("get", "/infonavit/sin-fronteras/instrucciones/{credit_la}.pdf", CREDIT_STAFF),
    ("get", "/admin/payments/remittancecompany/", expect(302, imss_staff=403, infonavit_staff=200,
                                                         administrator=200)),
    # Housing subaccount (SCV), voluntary deposits and SCV refunds (views/savings.py, views/refunds.py, the api.py
    # "savings" section). {deposit_*} a deposit of {la}/{chicago}; {refund_*} a pending refund asked by the
    # administrator (four eyes); {scv_doc} a document of {refund_la}. Empty posts: 422 (form) or 302 (decisions).
    ("get", "/infonavit/mi-ahorro/", expect(403, anonymous=302, derechohabiente=200)),
    ("get", "/infonavit/ahorro/{la}/", CREDIT_READERS),
    ("get", "/infonavit/ahorro/{chicago}/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/ahorro/{la}/historial-laboral/", CREDIT_READERS),
    ("get", "/infonavit/ahorro/{chicago}/historial-laboral/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/ahorro/{la}/aportacion/", CREDIT_READERS),
    ("get", "/infonavit/ahorro/{chicago}/aportacion/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("post", "/infonavit/ahorro/{la}/aportacion/", {**CREDIT_READERS, H: 422, OF: 422, IN: 422, A: 422}),
    ("get", "/infonavit/aportaciones/{deposit_la}/", CREDIT_READERS),
    ("get", "/infonavit/aportaciones/{deposit_chicago}/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/ahorro/{la}/devolucion/", CREDIT_READERS),
    ("get", "/infonavit/ahorro/{chicago}/devolucion/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("post", "/infonavit/ahorro/{la}/devolucion/", {**CREDIT_READERS, H: 422, OF: 422, IN: 422, A: 422}),
    ("get", "/infonavit/devoluciones/", expect(403, anonymous=302, infonavit_staff=200, administrator=200)),
    ("get", "/infonavit/devoluciones/{refund_la}/", CREDIT_READERS),
    ("get", "/infonavit/devoluciones/{refund_chicago}/", {**CREDIT_READERS, H: 404, OF: 404}),
    ("get", "/infonavit/devoluciones/{refund_la}/documentos/{scv_doc}/", CREDIT_READERS),
    ("get", "/infonavit/devoluciones/{refund_chicago}/documentos/{scv_doc}/", {**CREDIT_READERS, H: 404, OF: 404,
                                                                             IN: 404, A: 404}),
    ("post", "/infonavit/devoluciones/{refund_chicago}/aprobar/", expect(403, anonymous=302, infonavit_staff=302,
                                                                        administrator=302)),
    ("post", "/infonavit/devoluciones/{refund_la}/rechazar/", expect(403, anonymous=302, infonavit_staff=302,
                                                                    administrator=302)),
    ("post", "/infonavit/devoluciones/{refund_la}/pagar/", expect(403, anonymous=302, infonavit_staff=302,
                                                                 administrator=302)),
    ("post", "/infonavit/devoluciones/{refund_la}/revision/", expect(403, anonymous=302, infonavit_staff=302,
                                                                    administrator=302)),  # fix5c
    ("get", "/api/v1/infonavit/savings", {**CREDIT_API, OF: 422, IN: 422, A: 422}),  # staff name the person
    ("get", "/api/v1/infonavit/savings?person={la}", CREDIT_API),
    ("get", "/api/v1/infonavit/savings?person={chicago}", {**CREDIT_API, H: 404, OF: 404}),
    ("post", "/api/v1/infonavit/savings/deposits", {**CREDIT_API, H: 422, OF: 422, IN: 422, A: 422}),
    ("post", "/api/v1/infonavit/savings/refunds", {**CREDIT_API, H: 422, OF: 422, IN: 422, A: 422}),
    ("get", "/api/v1/infonavit/savings/refunds/{refund_la}", CREDIT_API),
    ("get", "/api/v1/infonavit/savings/refunds/{refund_chicago}", {**CREDIT_API, H: 404, OF: 404}),
    # Mi Cuenta (people/urls.py at /cuenta/): every page is about the signed-in account itself (no ids), but the
    # staff decision on a correction ({correction}: an id; an empty post is sent back to the queue, 302).
    ("get", "/cuenta/registro/", expect(302, anonymous=200)),
    ("post", "/cuenta/registro/", expect(302, anonymous=200)),  # a body-less post shows the form
    ("get", "/cuenta/registro/codigo/", expect(302)),  # no registration under way in this session
    ("get", "/cuenta/contrasena/", expect(200)),
    ("get", "/cuenta/contrasena/enviada/", expect(200)),
    ("get", "/cuenta/contrasena/{uidb64}/{reset_token}/", expect(200)),  # an invalid link says so
    ("get", "/cuenta/contrasena/lista/", expect(200)),
    ("get", "/cuenta/entrar/codigo/", expect(302)),  # no password step under way
    ("get", "/cuenta/seguridad/", expect(200, anonymous=302)),
    ("get", "/cuenta/seguridad/totp/activar/", expect(200, anonymous=302)),
    ("get", "/cuenta/seguridad/totp/desactivar/", expect(200, anonymous=302)),
    ("post", "/cuenta/seguridad/totp/desactivar/", expect(200, anonymous=302)),
    ("get", "/cuenta/datos/", expect(403, anonymous=302, derechohabiente=200)),
    ("post", "/cuenta/datos/correo/", expect(403, anonymous=302, derechohabiente=422)),
    ("get", "/cuenta/datos/correo/codigo/", expect(403, anonymous=302, derechohabiente=200)),
    ("get", "/cuenta/correcciones/", expect(403, anonymous=302, derechohabiente=200)),
    ("post", "/cuenta/correcciones/", expect(403, anonymous=302, derechohabiente=200)),
    ("get", "/cuenta/correcciones/revision/", STAFF_ONLY),
    ("post", "/cuenta/correcciones/{correction}/resolver/", expect(403, anonymous=302, imss_staff=302,
                                                                  infonavit_staff=302, administrator=302)),
    # Working group (agreements app). {wg_action} is an IMSS action, {wg_evidence} its evidence file. Supervisors
    # and administrators edit; IMSS staff follow their institution's actions up (comments, evidence), Infonavit
    # staff do not (not theirs); officers read. Empty posts: 422 naming the fields.
    ("get", "/tablero/grupo-de-trabajo/", WG_READERS),
    ("get", "/tablero/grupo-de-trabajo/?institution=imss&status=pending&overdue=on", WG_READERS),
    ("get", "/tablero/grupo-de-trabajo/acciones/nueva/", WG_EDITORS),
    ("post", "/tablero/grupo-de-trabajo/acciones/nueva/", {**WG_EDITORS, S: 422, A: 422}),
    ("get", "/tablero/grupo-de-trabajo/acciones/{wg_action}/", WG_READERS),
    ("post", "/tablero/grupo-de-trabajo/acciones/{wg_action}/estado/", {**WG_EDITORS, S: 422, A: 422}),
    ("post", "/tablero/grupo-de-trabajo/acciones/{wg_action}/evidencia/", {**WG_EDITORS, IM: 422, S: 422, A: 422}),
    ("post", "/tablero/grupo-de-trabajo/acciones/{wg_action}/comentarios/", {**WG_EDITORS, IM: 422, S: 422,
                                                                              A: 422}),
    ("get", "/tablero/grupo-de-trabajo/evidencias/{wg_evidence}/", WG_READERS),
    ("get", "/admin/agreements/agreement/", expect(302, imss_staff=403, infonavit_staff=403, administrator=200)),
]

# Placeholders of the paths above and the route parameter each stands for.
PLACEHOLDERS = {"la": "person_id", "chicago": "person_id", "other_la": "person_id", "aff_la": "affiliation_id",
                "aff_chicago": "affiliation_id", "period": "period_id", "claim": "claim_id",
                "ref_la": "str:code", "ref_chicago": "str:code", "file": "file_id",
                "credit_la": "str:number", "credit_chicago": "str:number", "year": "year",
                "solution": "str:code", "offer": "slug:code", "app_la": "application_id", "app_chicago": "application_id",
                "notice_la": "notice_id", "notice_chicago": "notice_id", "copy": "str:copy",
                "deposit_la": "deposit_id", "deposit_chicago": "deposit_id", "refund_la": "refund_id",
                "refund_chicago": "refund_id", "scv_doc": "document_id",
                "wg_action": "action_id", "wg_evidence": "evidence_id",  # working group
                "uidb64": "str:uidb64", "reset_token": "str:token", "correction": "request_id",  # Mi Cuenta
                "indicator": "slug:indicator", "month": "str:month",  # dashboards
                "mx_state": "str:state",  # state report (infonavitind)
                }  # converter:name, int if none


@pytest.fixture
def clients(world):
    result = {ANON: Client()}
    for role, user in world["users"].items():
        client = Client()
        client.force_login(user)
        result[role] = client
    return result


@pytest.fixture
def ids(world):
    """Ids for the placeholders: IMSS affiliations of the LA citizen and the Chicago person, a lapsed period
    and a registered claim (stored directly: the matrix is about who sees what, not about the rules)."""
    from datetime import date

    from ventanilla.imss.models import (
        Affiliation,
        BenefitClaim,
        ContributionPeriod,
        IncomeDeclaration,
        QuoteBreakdown,
    )

    clerk = world["users"][Role.ADMINISTRATOR]

    def affiliation(person):
        row = Affiliation.objects.create(person=person, consulate=person.consulate, status="active",
                                         channel="window", zone="general", periodicity="monthly",
                                         occupation="Cocinero", enrolled_on=date(2026, 3, 5), enrolled_by=clerk)
        IncomeDeclaration.objects.create(affiliation=row, monthly_income=12000, effective_from=date(2026, 3, 1),
                                         declared_by=clerk)
        return row

    aff_la, aff_chicago = affiliation(world["person_la"]), affiliation(world["person_chicago"])
    period = ContributionPeriod.objects.create(affiliation=aff_la, period_start=date(2026, 4, 1),
                                               period_end=date(2026, 4, 30), months=1, sbc_daily=400,
                                               amount=2633, due_date=date(2026, 3, 20),
                                               breakdown=QuoteBreakdown.objects.create(digest="matrix", data=[]))
    claim = BenefitClaim.objects.create(affiliation=aff_chicago, kind="funeral", event_date=date(2026, 5, 1),
                                        eligible=False, registered_by=clerk)
    return {"la": world["person_la"].pk, "chicago": world["person_chicago"].pk, "other_la": world["other_la"].pk,
            "aff_la": aff_la.pk, "aff_chicago": aff_chicago.pk, "period": period.pk, "claim": claim.pk,
            "offer": "mejoravit", "uidb64": "MQ", "reset_token": "no-valido", "correction": 1,  # Mi Cuenta
            "indicator": "persons_by_consulate", "month": "2026-10",  # dashboards
            "mx_state": "MN"}  # state report (infonavitind)


@pytest.fixture
def payment_ids(world):
    """A payment reference of each world person and a payment file (stored directly, like `ids`)."""
    from django.utils import timezone

    from ventanilla.payments.models import PaymentFile, PaymentReference
    from ventanilla.payments.references import new_reference_code

    today = timezone.localdate()
    codes = {}
    for name, person in (("ref_la", world["person_la"]), ("ref_chicago", world["person_chicago"])):
        codes[name] = PaymentReference.objects.create(
            code=new_reference_code(), owner_kind="test.matrix", owner_id=name, person=person, amount="1000.00",
            description="Cuotas IMSS prueba", period_start=today, period_end=today, due_date=today,
            issued_at=timezone.now()).code
    payment_file = PaymentFile.objects.create(filename="banco.csv", sha256="0" * 64, started_at=timezone.now())
    return {**codes, "file": payment_file.pk}


@pytest.fixture
def credit_ids(world):
    """An Infonavit credit of each world person, originated through the service (origination is cheap)."""
    from datetime import date

    from ventanilla.infonavit.services import originate_credit

    staff = world["users"][Role.INFONAVIT_STAFF]
    numbers = {}
    for name, person in (("credit_la", world["person_la"]), ("credit_chicago", world["person_chicago"])):
        numbers[name] = originate_credit(
            staff, person, product="tradicional", denomination="pesos", origination_date=date(2024, 3, 15),
            amount_lent="500000", rate="10.45", term_months=240, regime="own", state="MN").number
    # Relief-solution applications (stored directly, like `ids`): RC waiting for a second person.
    from ventanilla.infonavit.models import Credit, SolutionApplication

    applications = {}
    for name, number in (("app_la", numbers["credit_la"]), ("app_chicago", numbers["credit_chicago"])):
        applications[name] = SolutionApplication.objects.create(
            credit=Credit.objects.get(number=number), code="RC", status="pending_approval", channel="staff",
            requested_by=world["users"][Role.ADMINISTRATOR], starts_on=date(2026, 3, 10),
            idempotency_key=f"matrix-{name}").pk
    notices = {f"notice_{name[len('credit_'):]}": Credit.objects.get(number=number).notices.get().pk
               for name, number in numbers.items()}  # the retención issued with each credit
    return {**numbers, "year": 2025, "solution": "STM", **applications, **notices, "copy": "trabajador"}


@pytest.fixture
def savings_ids(world, settings, tmp_path):
    """A voluntary deposit and a pending SCV refund (asked by the administrator) of each world person, and a
    document of the LA refund under a temporary MEDIA_ROOT (stored directly, like `ids`)."""
    from datetime import date

    from django.core.files.base import ContentFile

    from ventanilla.infonavit.models import RefundDocument, RefundRequest, VoluntaryDeposit

    settings.MEDIA_ROOT = tmp_path
    admin = world["users"][Role.ADMINISTRATOR]
    found = {}
    for name, person in (("la", world["person_la"]), ("chicago", world["person_chicago"])):
        found[f"deposit_{name}"] = VoluntaryDeposit.objects.create(person=person, amount="100.00",
                                                                   requested_by=admin, idempotency_key=name).pk
        found[f"refund_{name}"] = RefundRequest.objects.create(
            person=person, claimant="worker", basis="pension_resolution", afore="Afore", clabe="032180000118359719",
            bank_statement_date=date(2026, 11, 2), requested_by=admin, idempotency_key=name).pk
    document = RefundDocument(refund_id=found["refund_la"], kind="bank_statement", content_type="application/pdf",
                              size=9, sha256="0" * 64, uploaded_by=admin)
    document.file.save("estado.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return {**found, "scv_doc": document.pk}


@pytest.fixture
def agreement_ids(world, settings, tmp_path):
    """Working group: an IMSS action of the Infonavit–IME agreement with a PDF evidence (through the services)."""
    from datetime import date

    from django.core.files.uploadedfile import SimpleUploadedFile

    from ventanilla.agreements import services as agreement_services
    from ventanilla.agreements.demo import load_agreements
    from ventanilla.agreements.models import Agreement

    settings.MEDIA_ROOT = tmp_path
    load_agreements()
    supervisor = world["users"][Role.SUPERVISOR]
    action = agreement_services.create_action(
        supervisor, agreement_id=str(Agreement.objects.get(code="sre-imss-2022").pk), action="Matriz",
        owner_institution="imss", due_on=date(2026, 12, 31))
    evidence = agreement_services.add_evidence(
        supervisor, action.pk, description="Minuta", upload=SimpleUploadedFile("minuta.pdf", b"%PDF-1.4\n"))
    return {"wg_action": action.pk, "wg_evidence": evidence.pk}


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "template", "expected"), MATRIX, ids=[f"{m} {t}" for m, t, _ in MATRIX])
def test_each_role_gets_exactly_what_it_may(clients, ids, payment_ids, credit_ids, savings_ids, agreement_ids,
                                            method, template, expected):
    path = template.format(**ids, **payment_ids, **credit_ids, **savings_ids, **agreement_ids)
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
    assert curps(OF) == {la, other_la}
    assert curps(IM) == curps(IN) == curps(A) == {la, other_la, chicago}
    page = clients[OF].get("/ventanilla/").content.decode()
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

    def normalise(path: str, pattern: str) -> str:
        for placeholder, parameter in PLACEHOLDERS.items():
            converter, _, name = parameter.rpartition(":")
            path = path.replace("{" + placeholder + "}", pattern.format(name, converter=converter or "int"))
        return path

    normalised = {normalise(p, "<{converter}:{}>") for p in listed}
    missing_screens = _web_routes() - normalised
    assert not missing_screens, f"screens missing from the access matrix: {missing_screens}"
    api_listed = {normalise(p, "{{{}}}") for p in listed if p.startswith("/api/")}
    schema = api.get_openapi_schema()
    operations = {path for path, methods in schema["paths"].items() for _ in methods}
    missing_api = operations - api_listed
    assert not missing_api, f"API operations missing from the access matrix: {missing_api}"
