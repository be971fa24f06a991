from django.urls import path

from . import views

app_name = "practices"
urlpatterns = [
    path("", views.practice_list, name="list"),
    path("new/", views.practice_create, name="create"),
    path("<int:practice_id>/", views.practice_detail, name="detail"),
    path("<int:practice_id>/edit/", views.practice_edit, name="edit"),
    path("<int:practice_id>/history/", views.practice_history, name="history"),
    path("<int:practice_id>/publish/", views.practice_publish, name="publish"),
    path("<int:practice_id>/ask/", views.practice_contact, name="contact"),
    path("<int:practice_id>/files/<int:attachment_id>/", views.attachment_download, name="attachment"),
    path("<int:practice_id>/files/<int:attachment_id>/remove/", views.attachment_remove, name="attachment_remove"),
]
