from django.urls import path

from . import views

app_name = "twofactor"
urlpatterns = [
    path("", views.home, name="home"),
    path("code/", views.verify, name="verify"),
    path("set-up/", views.setup, name="setup"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("turn-off/", views.disable, name="disable"),
    path("people/<int:user_id>/", views.person, name="person"),
]
