from django.urls import path

from ventanilla.payments import views

app_name = "payments"

urlpatterns = [
    path("registrar/", views.record_payment, name="record_payment"),
    path("archivos/", views.files, name="files"),
    path("archivos/<int:file_id>/", views.file_detail, name="file_detail"),
    path("referencias/<str:code>/ficha.pdf", views.reference_slip, name="reference_slip"),
    # Infonavit Sin Fronteras settlement files
    path("remesas/", views.settlement_files, name="settlement_files"),
    path("remesas/<int:file_id>/", views.settlement_file, name="settlement_file"),
]
