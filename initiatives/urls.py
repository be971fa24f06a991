from django.urls import path

from . import views

app_name = "initiatives"
urlpatterns = [
    path("", views.initiative_list, name="list"),
    path("overview/", views.overview, name="overview"),
    path("propose/", views.initiative_propose, name="propose"),
    path("<int:initiative_id>/", views.initiative_detail, name="detail"),
    path("<int:initiative_id>/edit/", views.initiative_edit, name="edit"),
    path("<int:initiative_id>/answer/", views.initiative_answer, name="answer"),
    path("<int:initiative_id>/withdraw/", views.initiative_withdraw, name="withdraw"),
    path("<int:initiative_id>/remind/", views.initiative_remind, name="remind"),
]
