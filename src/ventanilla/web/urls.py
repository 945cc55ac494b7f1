from django.contrib.auth import views as auth_views
from django.urls import path

from ventanilla.web import views

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("entrar/", views.LoginView.as_view(), name="login"),
    path("salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("portal/", views.portal, name="portal"),
    path("ventanilla/", views.ventanilla, name="ventanilla"),
    path("ventanilla/personas/nueva/", views.person_new, name="person_new"),
    path("ventanilla/personas/<int:person_id>/", views.person_detail, name="person_detail"),
    path("tablero/", views.tablero, name="tablero"),
    path("personal/", views.staff, name="staff"),
]
