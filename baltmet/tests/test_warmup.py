"""gunicorn's master warms the app before forking the workers (baltmet/warmup.py): a worker's first pages and
emails, in any language, then build no URL index and compile no template of their own."""

import pytest
from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import base, engines
from django.test import Client
from django.urls import clear_url_caches, resolvers, reverse
from django.utils import translation

from baltmet.warmup import warm
from testing.twofactor import pass_second_factor


def _cold():
    """As a worker that has served nothing yet: no URL index, no compiled template."""
    clear_url_caches()
    resolvers.get_ns_resolver.cache_clear()
    for backend in (engines["django"], get_default_renderer().engine):
        for loader in backend.engine.template_loaders:
            loader.reset()


@pytest.fixture
def counted(monkeypatch):
    built = {"url indexes": [], "templates": []}
    populate, init = resolvers.URLResolver._populate, base.Template.__init__

    def counting_populate(self):
        built["url indexes"].append(translation.get_language())
        return populate(self)

    def counting_init(self, template_string, origin=None, name=None, engine=None):
        built["templates"].append(name or "<string>")
        return init(self, template_string, origin, name, engine)

    monkeypatch.setattr(resolvers.URLResolver, "_populate", counting_populate)
    monkeypatch.setattr(base.Template, "__init__", counting_init)
    return built


@pytest.mark.django_db
def test_after_the_warm_up_pages_in_every_language_build_nothing(counted, secretariat, alice, riga_report, plan,
                                                                   django_assert_num_queries):
    _cold()
    with django_assert_num_queries(0):  # nothing read: no connection for the workers to inherit
        done = warm()
    assert done["languages"] == len(settings.LANGUAGES) and done["templates"] > 100

    counted["url indexes"].clear()
    counted["templates"].clear()
    pages = [(secretariat, reverse("dashboard:home")), (secretariat, reverse("dashboard:queue")),
             (alice, reverse("reports:report", args=[riga_report.pk])),
             (alice, reverse("reports:workspace", args=[riga_report.city.slug]))]
    for code, _name in settings.LANGUAGES:
        for person, url in pages:
            person.language = code
            person.save(update_fields=["language"])
            client = Client()
            client.force_login(person)
            pass_second_factor(client, person)
            assert client.get(url).status_code == 200, (code, url)
    assert counted["url indexes"] == []
    # Only templates made from strings in code (not files a worker could share) may still be compiled.
    assert [name for name in counted["templates"] if name != "<string>"] == []


def test_a_cold_worker_would_build_them(counted, db, secretariat):
    """The counting itself: without the warm-up the same page builds URL indexes and compiles templates."""
    _cold()
    client = Client()
    client.force_login(secretariat)
    pass_second_factor(client, secretariat)
    client.get(reverse("dashboard:home"))
    assert counted["url indexes"] and counted["templates"]
