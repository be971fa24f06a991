"""The public pages: no sign-in, the same page for everybody (never the session or the person), kept by
shared caches (transparency.caching). What they show is transparency.selectors — published reports only."""

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from indicators import charts
from indicators import selectors as indicator_selectors
from practices.selectors import published_practice, published_practices

from . import opendata, selectors
from .caching import public_page


def _page(request, template, context, *, title, description):
    context.update({
        "page_title": title, "description": description, "canonical": opendata.absolute(request.path),
        "licence": opendata.LICENCE, "licence_url": opendata.LICENCE_URL,
    })
    return render(request, template, context)


@public_page
def home(request):
    plan = selectors.current_plan()
    context = {"plans": list(selectors.plan_summaries()), "indicators": list(selectors.public_indicators())}
    if plan is not None:
        context["plan"] = selectors.plan_get(plan.pk)
    return _page(request, "public/home.html", context, title=_("What the Baltic Metropolises do together"),
                 description=_("The Baltic Metropolises Network's joint action plan: its focus areas, action points, "
                               "the cities behind each and the progress they have published."))


@public_page
def plan(request, plan_id):
    plan = selectors.plan_get(plan_id)
    return _page(request, "public/plan.html", {"plan": plan, "plans": list(selectors.plan_summaries())},
                 title=plan.title,
                 description=_("%(title)s: focus areas, action points, coordinating and partner cities, and "
                               "published progress.") % {"title": plan.title})


@public_page
def action_point(request, point_id):
    point = selectors.point_get(point_id)
    practices = list(published_practices().filter(action_points=point)[:20])
    return _page(request, "public/action_point.html", {"point": point, "plan": point.focus_area.plan,
                                                       "practices": practices},
                 title=_("Action point %(number)s") % {"number": point.number},
                 description=point.text[:200])


@public_page
def practice_list(request):
    page = Paginator(published_practices().defer("search_vector"), 20).get_page(request.GET.get("page"))
    return _page(request, "public/practices.html", {"page": page}, title=_("Best practices"),
                 description=_("What the member cities have done well in city administration, shared for "
                               "others to learn from."))


@public_page
def practice(request, practice_id):
    practice = published_practice(practice_id)
    return _page(request, "public/practice.html", {"practice": practice}, title=practice.title,
                 description=practice.description[:200])


@public_page
def indicator_list(request):
    return _page(request, "public/indicators.html", {"indicators": list(selectors.public_indicators())},
                 title=_("Indicators"),
                 description=_("What the member cities measure the same way each year, city by city."))


@public_page
def indicator(request, indicator_id):
    indicator = selectors.indicator_get(indicator_id)
    data = indicator_selectors.benchmark(indicator=indicator)
    chart = charts.trend_chart(years=data.years, series=[(trend.city.name, trend.values) for trend in data.trends],
                               medians=data.medians)
    return _page(request, "public/indicator.html", {"indicator": indicator, "data": data, "chart": chart},
                 title=indicator.name, description=(indicator.description or indicator.name)[:200])


@public_page
def data(request):
    return _page(request, "public/data.html", {"datasets": opendata.DATASETS.values()},
                 title=_("Open data"),
                 description=_("The published plan, action points, progress and indicator values as CSV and JSON."))


def _download(slug: str, fmt: str):
    dataset = opendata.DATASETS[slug]

    @public_page
    def download(request):
        if fmt == "csv":
            response = StreamingHttpResponse(opendata.as_csv(dataset), content_type="text/csv; charset=utf-8")
        else:
            response = StreamingHttpResponse(opendata.as_json(dataset), content_type="application/json")
        response["Content-Disposition"] = f'inline; filename="baltmet-{slug}.{fmt}"'
        response["Link"] = f'<{opendata.LICENCE_URL}>; rel="license"'
        return response

    download.__name__ = f"download_{slug.replace('-', '_')}_{fmt}"
    return download


DOWNLOADS = {(slug, fmt): _download(slug, fmt) for slug in opendata.DATASETS for fmt in ("csv", "json")}
