from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.timeline, name="timeline"),
    path("new/", views.meeting_create, name="create"),
    path("<int:meeting_id>/", views.meeting_detail, name="detail"),
    path("<int:meeting_id>/edit/", views.meeting_edit, name="edit"),
    path("<int:meeting_id>/history/", views.meeting_history, name="history"),
    path("<int:meeting_id>/briefing/", views.briefing, name="briefing"),
    path("<int:meeting_id>/briefing.pdf", views.briefing_download, name="briefing_pdf"),
    path("<int:meeting_id>/documents/<int:document_id>/", views.document_download, name="document"),
    path("<int:meeting_id>/documents/<int:document_id>/remove/", views.document_remove, name="document_remove"),
    path("resolutions/new/", views.resolution_create, name="resolution_create"),
    path("resolutions/<int:resolution_id>/", views.resolution_detail, name="resolution"),
    path("resolutions/<int:resolution_id>/edit/", views.resolution_edit, name="resolution_edit"),
    path("resolutions/<int:resolution_id>/history/", views.resolution_history, name="resolution_history"),
]
