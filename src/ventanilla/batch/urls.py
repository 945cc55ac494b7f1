from django.urls import path

from ventanilla.batch import views

app_name = "batch"

urlpatterns = [
    path("", views.job_runs, name="job_runs"),
]
