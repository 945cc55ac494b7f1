from django.contrib.auth import views as auth_views
from django.urls import path

from ventanilla.people import views

app_name = "people"

urlpatterns = [
    path("registro/", views.register, name="register"),
    path("registro/codigo/", views.register_code, name="register_code"),
    path("contrasena/", views.PasswordResetView.as_view(), name="password_reset"),
    path("contrasena/enviada/", auth_views.PasswordResetDoneView.as_view(
        template_name="people/password_reset_sent.html"), name="password_reset_sent"),
    path("contrasena/<str:uidb64>/<str:token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("contrasena/lista/", auth_views.PasswordResetCompleteView.as_view(
        template_name="people/password_reset_done.html"), name="password_reset_done"),
    path("entrar/codigo/", views.login_code, name="login_code"),
    path("seguridad/", views.security, name="security"),
    path("seguridad/totp/activar/", views.totp_enable, name="totp_enable"),
    path("seguridad/totp/desactivar/", views.totp_disable, name="totp_disable"),
    path("datos/", views.contact, name="contact"),
    path("datos/correo/", views.email_change, name="email_change"),
    path("datos/correo/codigo/", views.email_code, name="email_code"),
    path("correcciones/", views.corrections, name="corrections"),
    path("correcciones/revision/", views.corrections_pending, name="corrections_pending"),
    path("correcciones/<int:request_id>/resolver/", views.correction_decide, name="correction_decide"),
]
