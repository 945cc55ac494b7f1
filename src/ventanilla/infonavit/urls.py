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
]
