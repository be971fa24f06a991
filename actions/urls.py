from django.urls import path

from . import views

app_name = "actions"
urlpatterns = [
    path("", views.current_plan, name="home"),
    path("<int:plan_id>/", views.plan_detail, name="plan"),
    path("action-points/<int:point_id>/", views.action_point_detail, name="action_point"),
    path("action-points/<int:point_id>/update/", views.action_point_update, name="action_point_update"),
    path("action-points/<int:point_id>/history/", views.action_point_history, name="action_point_history"),
    path("action-points/<int:point_id>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("milestones/<int:milestone_id>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:milestone_id>/mark/", views.milestone_mark, name="milestone_mark"),
    path("milestones/<int:milestone_id>/remove/", views.milestone_remove, name="milestone_remove"),
]
