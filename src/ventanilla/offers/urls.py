from django.urls import path

from ventanilla.offers import views

app_name = "offers"

urlpatterns = [
    path("", views.consular, name="consular"),  # public, printable
    path("personal/", views.staff_list, name="staff_list"),
    path("personal/nueva/", views.staff_new, name="staff_new"),
    path("personal/<slug:code>/", views.staff_offer, name="staff_offer"),
]
