from django.contrib import admin
from django.urls import include, path

from ventanilla.api import api
from ventanilla.web import views as web_views

urlpatterns = [
    path("healthz", web_views.healthz, name="healthz"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("pagos/", include("ventanilla.payments.urls")),
    path("imss/", include("ventanilla.imss.urls")),
    path("infonavit/corridas/", include("ventanilla.batch.urls")),  # portfolio job runs (batch app)
    path("infonavit/ofertas/", include("ventanilla.offers.urls")),  # offer catalogue (offers app)
    path("infonavit/", include("ventanilla.infonavit.urls")),
    path("cuenta/", include("ventanilla.people.urls")),  # Mi Cuenta (people app)
    path("tablero/grupo-de-trabajo/", include("ventanilla.agreements.urls")),  # working group (agreements app)
    path("tablero/", include("ventanilla.reports.urls")),  # dashboards, exports, monthly report (reports app)
    path("", include("ventanilla.web.urls")),
]

handler403 = "ventanilla.web.views.permission_denied"
handler404 = "ventanilla.web.views.page_not_found"
