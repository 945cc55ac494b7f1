from django.urls import path  # noqa: F401  (paths are added below by capability)

from ventanilla.infonavit.views import credits, solutions  # noqa: F401

app_name = "infonavit"

urlpatterns = [
    # credits and statements (views/credits.py)
    # relief solutions (views/solutions.py)
    path("soluciones/simular/", solutions.simulate, name="solutions_simulate"),
]
