from django.urls import path  # noqa: F401  (paths are added below by capability)

from ventanilla.infonavit.views import credits, solutions  # noqa: F401

app_name = "infonavit"

urlpatterns = [
    # credits and statements (views/credits.py)
    path("mi-credito/", credits.my_credits, name="my_credits"),
    path("creditos/", credits.credit_lookup, name="credit_lookup"),
    path("creditos/<str:number>/", credits.credit_detail, name="credit"),
    path("creditos/<str:number>/pagos/", credits.window_payment, name="window_payment"),
    path("creditos/<str:number>/estado.pdf", credits.statement_pdf, name="statement_pdf"),
    path("creditos/<str:number>/movimientos.csv", credits.statement_csv, name="statement_csv"),
    path("creditos/<str:number>/constancia-intereses/<int:year>.pdf", credits.interest_certificate,
         name="interest_certificate"),
    # relief solutions (views/solutions.py)
    path("soluciones/simular/", solutions.simulate, name="solutions_simulate"),
    path("creditos/<str:number>/soluciones/", solutions.credit_solutions, name="credit_solutions"),
    path("creditos/<str:number>/soluciones/<str:code>/", solutions.solution_apply, name="solution_apply"),
    path("solicitudes/pendientes/", solutions.applications_pending, name="applications_pending"),
    path("solicitudes/<int:application_id>/", solutions.application_detail, name="application"),
    path("solicitudes/<int:application_id>/carta.pdf", solutions.application_letter, name="application_letter"),
    path("solicitudes/<int:application_id>/aprobar/", solutions.application_approve, name="application_approve"),
    path("solicitudes/<int:application_id>/rechazar/", solutions.application_refuse, name="application_refuse"),
    path("solicitudes/<int:application_id>/terminar/", solutions.application_end, name="application_end"),
]
