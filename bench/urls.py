"""The portal's URLs plus a trivial page: a template rendered with no database query, the yardstick
every page's time is divided by. Never part of the product's URLs."""

from django.http import HttpResponse
from django.template import engines
from django.urls import include, path

TRIVIAL = engines["django"].from_string(
    "<!doctype html><html lang=\"en\"><head><title>{{ title }}</title></head>"
    "<body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul></body></html>"
)


def trivial(request):
    return HttpResponse(TRIVIAL.render({"title": "Trivial", "items": range(10)}))


urlpatterns = [
    path("bench/trivial/", trivial, name="bench_trivial"),
    path("", include("baltmet.urls")),
]
