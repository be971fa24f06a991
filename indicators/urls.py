from django.urls import path

from . import views

app_name = "indicators"
urlpatterns = [
    path("", views.indicator_list, name="list"),
    path("new/", views.indicator_edit, name="create"),
    path("<int:indicator_id>/", views.benchmark, name="benchmark"),
    path("<int:indicator_id>/edit/", views.indicator_edit, name="edit"),
    path("<int:indicator_id>/values/", views.values_enter, name="values"),
    path("<int:indicator_id>/upload/", views.values_upload, name="upload"),
    path("<int:indicator_id>/targets/", views.targets, name="targets"),
    path("<int:indicator_id>/targets/network-wide/", views.target_network, name="target_network"),
    path("<int:indicator_id>/targets/cities/<slug:slug>/", views.target_city, name="target_city"),
    path("cities/<slug:slug>/", views.city_page, name="city"),
]
