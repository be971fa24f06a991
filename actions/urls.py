from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.current_plan, name="home"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("action-points/<int:point_id>/", views.action_point_detail, name="action_point"),
]
