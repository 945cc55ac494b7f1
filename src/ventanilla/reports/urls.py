from django.urls import path

from ventanilla.reports import state_views, views

app_name = "reports"

urlpatterns = [
    # Dashboards, exports and the monthly report (dashboards)
    path("imss/", views.dashboard, {"domain": "imss"}, name="dashboard_imss"),
    path("infonavit/", views.dashboard, {"domain": "infonavit"}, name="dashboard_infonavit"),
    path("mi-cuenta/", views.dashboard, {"domain": "mi-cuenta"}, name="dashboard_mi_cuenta"),
    path("<slug:indicator>.csv", views.export_csv, name="export_csv"),
    path("<slug:indicator>.xlsx", views.export_xlsx, name="export_xlsx"),
    path("reporte/<str:month>.pdf", views.monthly_pdf, name="monthly_pdf"),
    # State-level report in the style of seed 001 (infonavitind)
    path("estado/<str:state>/", state_views.state_report, name="state_report"),
]
