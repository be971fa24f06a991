"""What every web worker would otherwise build for itself on its first requests, built once in gunicorn's
master before it forks the workers (deploy/gunicorn.conf.py: preload_app and when_ready).

A worker started cold pays, on the first page or email in each language, for reading that language's
catalogues and for building the URL resolver's reverse index (some 100–200 ms each), and for compiling
each template it meets. Workers are replaced every couple of thousand requests, so under load a
cold start lands in the middle of other people's requests. Built before the fork, it is shared by
every worker (copy-on-write) and paid once per server start.

Nothing here touches the database: a connection opened before the fork would be shared by the workers
(the hook closes any all the same).
"""

from pathlib import Path

from django.conf import settings
from django.forms.renderers import get_default_renderer
from django.template import engines
from django.template.exceptions import TemplateDoesNotExist, TemplateSyntaxError
from django.template.utils import get_app_template_dirs
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

TEMPLATE_SUFFIXES = {".html", ".txt"}


def template_names(engine) -> list[str]:
    """Every template a Django template engine finds in its directories and the apps', by the name it is
    loaded with."""
    names = set()
    app_dirs = get_app_template_dirs("templates") if engine.app_dirs else ()
    for directory in [*map(Path, engine.dirs), *app_dirs]:
        for path in Path(directory).rglob("*"):
            if path.suffix in TEMPLATE_SUFFIXES and path.is_file():
                names.add(path.relative_to(directory).as_posix())
    return sorted(names)


def _build(resolver) -> None:
    """The resolver's reverse index in the active language, and its namespaces' (reverse("app:name")
    builds them per language too)."""
    resolver.reverse_dict  # noqa: B018 - built on first use
    for _prefix, namespace in resolver.namespace_dict.values():
        _build(namespace)


def _one_name_per_namespace(resolver, prefix=""):
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        name = next((key for key in sub.reverse_dict if isinstance(key, str)), None)
        if name is not None:
            yield f"{prefix}{namespace}:{name}"
        yield from _one_name_per_namespace(sub, f"{prefix}{namespace}:")


def warm() -> dict:
    """Read every language's catalogues, build the URL resolver for each and compile every template
    (into the cached template loader). Returns what was done, for the log."""
    names = None
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            _build(get_resolver())
            names = names if names is not None else list(_one_name_per_namespace(get_resolver()))
            for name in names:  # reverse("app:name") builds a resolver of its own per namespace and language
                try:
                    reverse(name)
                except NoReverseMatch:
                    pass  # the name wants arguments: the resolver is built all the same
    compiled = 0
    # The pages' templates, and the form renderer's (labels and widgets), which has an engine of its own.
    for backend in (engines["django"], get_default_renderer().engine):
        for name in template_names(backend.engine):
            try:
                backend.get_template(name)
                compiled += 1
            except (TemplateSyntaxError, TemplateDoesNotExist):
                pass  # a template of a third-party app this portal does not use; it fails where it is used
    return {"languages": len(settings.LANGUAGES), "templates": compiled}
