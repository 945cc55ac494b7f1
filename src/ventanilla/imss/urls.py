from django.urls import path

from ventanilla.imss import views

app_name = "imss"

urlpatterns = [
    path("calculadora/", views.calculator, name="calculator"),
    path("personas/<int:person_id>/afiliar/", views.enrol, name="enrol"),
    path("afiliaciones/<int:affiliation_id>/", views.affiliation_detail, name="affiliation"),
    path("afiliaciones/<int:affiliation_id>/lineas-de-captura/", views.issue_reference, name="issue_reference"),
    path("afiliaciones/<int:affiliation_id>/periodos/<int:period_id>/reemitir/", views.reissue_reference,
         name="reissue_reference"),
    path("afiliaciones/<int:affiliation_id>/beneficiarios/nuevo/", views.beneficiary_new, name="beneficiary_new"),
    path("afiliaciones/<int:affiliation_id>/ingreso/", views.income, name="income"),
    path("afiliaciones/<int:affiliation_id>/prestaciones/nueva/", views.claim_new, name="claim_new"),
    path("afiliaciones/<int:affiliation_id>/afore/", views.afore_request, name="afore"),
    path("afiliaciones/<int:affiliation_id>/constancia.pdf", views.certificate, name="certificate"),
    path("prestaciones/", views.claims, name="claims"),
    path("prestaciones/<int:claim_id>/decision/", views.claim_decide, name="claim_decide"),
    path("nss/", views.nss_pending, name="nss_pending"),
    path("nss/<int:affiliation_id>/", views.nss_assign, name="nss_assign"),
]
