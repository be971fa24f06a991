from django.urls import path

from accounts import views as account_views

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.home, name="home"),
    path("queue/", views.queue, name="queue"),
    path("reports/", views.report_list, name="reports"),
    path("reports/export.csv", views.export_csv, name="export_csv"),
    path("reports/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("reports/<int:report_id>/", views.review, name="review"),
    path("reports/<int:report_id>/approve/", views.approve, name="approve"),
    path("reports/<int:report_id>/return/", views.return_report, name="return"),
    path("reports/<int:report_id>/publish/", views.publish, name="publish"),
    path("periods/<int:period_id>/publish/", views.period_publish, name="period_publish"),
    path("reminders/", views.remind, name="remind"),
    path("progress-report/", views.progress_report, name="progress_report"),
    path("progress-report.pdf", views.progress_report_pdf, name="progress_report_pdf"),
    path("plans/", views.plans, name="plans"),
    path("plans/<int:plan_id>/", views.plan_manage, name="plan"),
    path("plans/<int:plan_id>/review-mode/", views.plan_review_mode, name="plan_review_mode"),
    path("plans/<int:plan_id>/successor/", views.plan_successor, name="plan_successor"),
    path("plans/<int:plan_id>/adopt/", views.plan_adopt, name="plan_adopt"),
    path("plans/focus-areas/<int:area_id>/", views.area_edit, name="area_edit"),
    path("plans/<int:plan_id>/periods/new/", views.period_add, name="period_add"),
    path("periods/<int:period_id>/", views.period_edit, name="period_edit"),
    path("periods/<int:period_id>/close/", views.period_close, name="period_close"),
    path("periods/<int:period_id>/open/", views.period_open, name="period_open"),
    path("action-points/<int:point_id>/cities/", views.point_cities, name="point_cities"),
    path("people/", views.people, name="people"),
    path("people/invite/", views.invite, name="invite"),
    path("people/<int:user_id>/", views.person_detail, name="person"),
    path("people/<int:user_id>/roles/", views.membership_add, name="membership_add"),
    path("people/<int:user_id>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:user_id>/activate/", views.person_activate, name="person_activate"),
    path("roles/<int:membership_id>/", views.membership_change, name="membership_change"),
    path("roles/<int:membership_id>/remove/", views.membership_remove, name="membership_remove"),
    # Public: opened from the invitation email by someone without an account.
    path("invitation/<str:token>/", account_views.invitation_accept, name="invitation_accept"),
]
