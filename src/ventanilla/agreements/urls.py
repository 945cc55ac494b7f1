from django.urls import path

from ventanilla.agreements import views

app_name = "agreements"

urlpatterns = [
    path("", views.action_list, name="action_list"),
    path("acciones/nueva/", views.action_new, name="action_new"),
    path("acciones/<int:action_id>/", views.action_detail, name="action_detail"),
    path("acciones/<int:action_id>/estado/", views.action_status, name="action_status"),
    path("acciones/<int:action_id>/evidencia/", views.action_evidence, name="action_evidence"),
    path("acciones/<int:action_id>/comentarios/", views.action_comment, name="action_comment"),
    path("evidencias/<int:evidence_id>/", views.evidence_file, name="evidence_file"),
]
