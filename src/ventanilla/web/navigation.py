"""What each role finds in the menu, and where it lands after signing in."""

from django.utils.translation import gettext_lazy as _

from ventanilla.people.access import role_of
from ventanilla.people.models import Role

HOME_BY_ROLE = {
    Role.DERECHOHABIENTE: "web:portal",
    Role.CONSULAR_OFFICER: "web:ventanilla",
    Role.IMSS_STAFF: "web:staff",
    Role.INFONAVIT_STAFF: "web:staff",
    Role.SUPERVISOR: "web:tablero",
    Role.ADMINISTRATOR: "web:staff",
}

MENU_BY_ROLE = {
    Role.DERECHOHABIENTE: [("web:portal", _("Mi Cuenta")), ("infonavit:my_credits", _("Mi crédito")),
                           ("infonavit:my_savings", _("Mi ahorro")),  # housing subaccount (SCV)
                           ("infonavit:prequal_portal", _("Precalificación")),  # prequalification (offers)
                           ("imss:calculator", _("Calculadora IMSS"))],
    Role.CONSULAR_OFFICER: [("web:ventanilla", _("Ventanilla")), ("web:person_new", _("Registrar persona")),
                            ("payments:record_payment", _("Registrar pago")),
                            ("infonavit:credit_lookup", _("Créditos Infonavit")),
                            ("infonavit:sin_fronteras", _("Sin Fronteras: instrucciones")),  # Sin Fronteras
                            ("imss:calculator", _("Calculadora IMSS")),
                            ("infonavit:solutions_simulate", _("Simulador Infonavit")),  # relief solutions
                            ("infonavit:prequal_simulate", _("Precalificación")),  # prequalification (offers)
                            ("offers:consular", _("Oferta Infonavit")),  # offer catalogue (offers)
                            ("web:tablero", _("Tablero"))],
    Role.IMSS_STAFF: [("web:staff", _("Parámetros")), ("web:ventanilla", _("Personas")),
                      ("imss:claims", _("Prestaciones")), ("imss:nss_pending", _("NSS pendientes")),
                      ("payments:files", _("Archivos de pagos")), ("web:tablero", _("Tablero")),
                      ("admin:index", _("Administración"))],
    Role.INFONAVIT_STAFF: [("web:staff", _("Parámetros")), ("web:ventanilla", _("Personas")),
                           ("infonavit:credit_lookup", _("Créditos Infonavit")),
                           ("infonavit:solutions_simulate", _("Simulador Infonavit")),  # relief solutions
                           ("infonavit:applications_pending", _("Soluciones por aprobar")),  # relief solutions
                           ("batch:job_runs", _("Corridas de cartera")),  # portfolio job runs (batch)
                           ("offers:staff_list", _("Catálogo de ofertas")),  # offer catalogue (offers)
                           ("infonavit:sin_fronteras", _("Sin Fronteras: instrucciones")),  # Sin Fronteras
                           ("payments:settlement_files", _("Liquidaciones de remesadoras")),  # Sin Fronteras
                           ("infonavit:refund_queue", _("Devoluciones SCV")),  # SCV refunds
                           ("payments:files", _("Archivos de pagos")), ("web:tablero", _("Tablero")),
                           ("admin:index", _("Administración"))],
    Role.SUPERVISOR: [("web:tablero", _("Tablero")),
                      ("reports:dashboard_imss", _("Tablero IMSS")),  # dashboards
                      ("reports:dashboard_infonavit", _("Tablero Infonavit")),  # dashboards
                      ("reports:dashboard_mi_cuenta", _("Tablero Mi Cuenta")),  # dashboards
                      ("agreements:action_list", _("Grupo de trabajo"))],  # working group (agreements)
    Role.ADMINISTRATOR: [("web:staff", _("Parámetros")), ("web:ventanilla", _("Personas")),
                         ("infonavit:credit_lookup", _("Créditos Infonavit")),
                         ("infonavit:solutions_simulate", _("Simulador Infonavit")),  # relief solutions
                         ("infonavit:applications_pending", _("Soluciones por aprobar")),  # relief solutions
                         ("batch:job_runs", _("Corridas de cartera")),  # portfolio job runs (batch)
                         ("offers:staff_list", _("Catálogo de ofertas")),  # offer catalogue (offers)
                         ("infonavit:sin_fronteras", _("Sin Fronteras: instrucciones")),  # Sin Fronteras
                         ("payments:settlement_files", _("Liquidaciones de remesadoras")),  # Sin Fronteras
                         ("infonavit:refund_queue", _("Devoluciones SCV")),  # SCV refunds
                         ("imss:claims", _("Prestaciones")), ("imss:nss_pending", _("NSS pendientes")),
                         ("payments:files", _("Archivos de pagos")), ("web:tablero", _("Tablero")),
                         ("admin:index", _("Administración"))],
}


def home_for(user) -> str:
    return HOME_BY_ROLE.get(role_of(user), "web:login")


def menu_for(user) -> list[tuple[str, str]]:
    return MENU_BY_ROLE.get(role_of(user), [])
