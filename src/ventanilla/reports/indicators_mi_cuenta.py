"""Mi Cuenta indicators (issue 6; seed 002: accounts, new accounts, states with most users, daily users and
average session length, most used services). Accounts are people.User rows with the derechohabiente role;
use is MEASURED by reports.middleware.PortalUsageMiddleware, never estimated."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ventanilla.reports import selectors
from ventanilla.reports.indicators import (
    Chart,
    Column,
    Filters,
    Indicator,
    Scope,
    register,
    suppress_running_total,
)
from ventanilla.reports.indicators_imss import DATED_FILTERS, SMALL_GROUPS_NOTE, suppressed_table

SESSION_NOTE = _("SUPUESTO: la duración de la sesión de un día es el tiempo entre la primera y la última "
                 "solicitud del usuario ese día (la definición del Infonavit no es pública).")


@register
class AccountsByMonth(Indicator):
    name = "mi_cuenta_accounts_by_month"
    title = _("Cuentas de Mi Cuenta: nuevas por mes y total")
    description = _("Cuentas abiertas cada mes (fecha de registro) y total acumulado al cierre del mes.")
    domain = "mi_cuenta"
    source = _("Cuentas del portal con rol derechohabiente (people.User.date_joined)")
    filters = DATED_FILTERS
    chart = Chart(kind="bar", label="month", value="new_accounts")

    def compute(self, scope: Scope, filters: Filters):
        columns = [Column("month", _("Mes"), "month"), Column("new_accounts", _("Cuentas nuevas"), "int"),
                   Column("accounts", _("Cuentas al cierre"), "int")]
        # Suppressed over the whole series, then cut to the range: a total shown never lets a hidden month
        # (nor the months before the start) be recovered by subtraction.
        series = selectors.accounts_by_month(filters)
        shown, _hidden = suppress_running_total(series, "new_accounts")
        in_range = [row for row in series if not filters.start or row["month"] >= filters.start]
        rows = [row for row in shown if not filters.start or row["month"] >= filters.start]
        notes = [SMALL_GROUPS_NOTE % {"n": selectors.MINIMUM_GROUP_SIZE},
                 _("Un mes con menos de %(n)s cuentas nuevas no se muestra, ni los siguientes hasta sumar %(n)s "
                   "entre todos: así el total acumulado no revela los meses ocultos.")
                 % {"n": selectors.MINIMUM_GROUP_SIZE}]
        return self.table(columns, rows, computed_at=timezone.now(), suppressed=len(in_range) - len(rows),
                          notes=notes)


@register
class AccountsByState(Indicator):
    name = "mi_cuenta_accounts_by_state"
    title = _("Cuentas de Mi Cuenta por estado")
    description = _("Cuentas abiertas en el periodo por estado del domicilio en México, de más a menos.")
    domain = "mi_cuenta"
    source = _("Cuentas del portal con rol derechohabiente y su persona (people.Person.mx_state)")
    filters = DATED_FILTERS
    chart = Chart(kind="bar", label="name", value="accounts")

    def compute(self, scope: Scope, filters: Filters):
        columns = [Column("state", _("Clave"), "text"), Column("name", _("Estado"), "text"),
                   Column("accounts", _("Cuentas"), "int")]
        return suppressed_table(self, columns, selectors.accounts_by_state(filters), "accounts")


@register
class DailyUsers(Indicator):
    name = "mi_cuenta_daily_users"
    title = _("Usuarios diarios de Mi Cuenta y duración media de la sesión")
    description = _("Usuarios del portal activos cada día, solicitudes y duración media de su sesión, medidos.")
    domain = "mi_cuenta"
    source = _("Uso medido del portal (reports.PortalDay)")
    filters = DATED_FILTERS
    chart = Chart(kind="line", label="day", value="users")

    def compute(self, scope: Scope, filters: Filters):
        columns = [Column("day", _("Día"), "date"), Column("users", _("Usuarios"), "int"),
                   Column("requests", _("Solicitudes"), "int"),
                   Column("average_session_seconds", _("Sesión media (segundos)"), "int"),
                   Column("average_session_minutes", _("Sesión media (minutos)"), "decimal")]
        # The same users come back day after day: no population to complement.
        return suppressed_table(self, columns, selectors.daily_users(filters), "users", [SESSION_NOTE],
                                partition=False)


@register
class MostUsedServices(Indicator):
    name = "mi_cuenta_most_used_services"
    title = _("Servicios más usados en Mi Cuenta")
    description = _("Servicios del portal por usuarios distintos y solicitudes en el periodo.")
    domain = "mi_cuenta"
    source = _("Uso medido del portal (reports.PortalServiceUse, nombre de la ruta)")
    filters = DATED_FILTERS
    chart = Chart(kind="bar", label="service", value="users")

    def compute(self, scope: Scope, filters: Filters):
        columns = [Column("service", _("Servicio"), "text"), Column("users", _("Usuarios"), "int"),
                   Column("requests", _("Solicitudes"), "int")]
        # A user uses several services: no population to complement.
        return suppressed_table(self, columns, selectors.most_used_services(filters), "users", partition=False)
