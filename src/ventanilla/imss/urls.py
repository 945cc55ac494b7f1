app_name = "imss"

urlpatterns: list = []
