from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("workspace/", views.home, name="home"),
    path("cities/<slug:city_slug>/", views.workspace, name="workspace"),
    path("reports/new/<int:point_id>/<int:period_id>/", views.report_open, name="open"),
    path("reports/<int:report_id>/", views.report_detail, name="report"),
    path("reports/<int:report_id>/accept/", views.report_accept, name="accept"),
    path("reports/<int:report_id>/return-to-partner/", views.report_return_to_partner, name="return_to_partner"),
    path("coordination/", views.coordination, name="coordination"),
    path("points/<int:point_id>/rollup/", views.point_rollup, name="rollup"),
    path("reports/<int:report_id>/history/", views.report_history, name="history"),
    path("reports/<int:report_id>/evidence/<int:evidence_id>/", views.evidence_download, name="evidence"),
    path("reports/<int:report_id>/evidence/<int:evidence_id>/remove/", views.evidence_remove,
         name="evidence_remove"),
]
