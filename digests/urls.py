from django.urls import path

from . import views

app_name = "digests"
urlpatterns = [
    path("", views.deliveries, name="deliveries"),
    path("preview/", views.preview, name="preview"),
    path("preview/<int:user_id>/", views.preview_recipient, name="preview_recipient"),
    path("preview/<int:user_id>/email.html", views.preview_html, name="preview_html"),
    path("latest/", views.latest, name="latest"),
    path("send-now/", views.send_now, name="send_now"),
    path("preferences/<str:token>/", views.preferences, name="preferences"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
