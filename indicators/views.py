from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cities.access import member_required, network_roles
from cities.models import City

from . import charts, permissions, selectors, services
from .forms import CityTargetForm, IndicatorForm, NetworkTargetForm, UploadForm, ValueForm, YearForm
from .models import CityTarget, IndicatorValue, NetworkTarget


def _entering_roles(request):
    if not permissions.can_enter(request.roles):
        raise PermissionDenied
    return request.roles


@member_required
def indicator_list(request):
    roles = network_roles(request)
    home_city = None
    if len(roles.city_ids) == 1:
        home_city = City.objects.filter(pk=next(iter(roles.city_ids))).first()
    return render(request, "indicators/list.html", {
        "indicators": selectors.indicator_list(), "home_city": home_city,
        "cities": City.objects.order_by("name"),
    })


@member_required
def indicator_edit(request, indicator_id=None):
    if not permissions.can_define(request.roles):
        raise PermissionDenied
    indicator = selectors.indicator_get(indicator_id) if indicator_id else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        indicator = services.indicator_save(user=request.user, indicator=form.save(commit=False))
        form.save_m2m()
        messages.success(request, _("Indicator saved."))
        return redirect(indicator)
    return render(request, "indicators/indicator_form.html", {"form": form, "indicator": indicator})


@member_required
def benchmark(request, indicator_id):
    roles = network_roles(request)
    indicator = selectors.indicator_get(indicator_id)
    chosen = YearForm(request.GET, indicator=indicator) if "year" in request.GET else None
    year = chosen.cleaned_data["year"] if chosen is not None and chosen.is_valid() else None
    data = selectors.benchmark(indicator=indicator, year=year)
    chart = charts.trend_chart(
        years=data.years, series=[(trend.city.name, trend.values) for trend in data.trends], medians=data.medians,
    )
    return render(request, "indicators/benchmark.html", {
        "indicator": indicator, "data": data, "chart": chart,
        "year_form": chosen if chosen is not None and not chosen.is_valid() else YearForm(
            initial={"year": data.year}, indicator=indicator),
        "can_enter": permissions.can_enter(roles), "can_set_targets": permissions.can_set_targets(roles),
    })


@member_required
def values_enter(request, indicator_id):
    roles = _entering_roles(request)
    indicator = selectors.indicator_get(indicator_id)
    own_city = None if roles.is_secretariat else get_object_or_404(City, pk=roles.delegate_city_id)
    form = ValueForm(request.POST or None, indicator=indicator, city=own_city)
    if request.method == "POST" and form.is_valid():
        city = own_city or form.cleaned_data["city"]
        try:
            services.indicator_value_set(
                indicator=indicator, city=city, year=form.cleaned_data["year"], value=form.cleaned_data["value"],
                source=form.cleaned_data["source"], user=request.user,
            )
        except services.ValueRefused as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Value saved for %(city)s.") % {"city": city})
            return redirect("indicators:values", indicator.pk)
    values = IndicatorValue.objects.filter(indicator=indicator).select_related("city", "entered_by")
    changes = IndicatorValue.history.filter(indicator_id=indicator.pk).select_related("city", "history_user")
    if own_city is not None:
        values, changes = values.filter(city=own_city), changes.filter(city_id=own_city.pk)
    return render(request, "indicators/values.html", {
        "indicator": indicator, "form": form, "city": own_city, "values": values.order_by("city__name", "year"),
        "changes": changes.order_by("-history_date")[:50], "upload_form": UploadForm(),
    })


@member_required
def values_upload(request, indicator_id):
    _entering_roles(request)
    indicator = selectors.indicator_get(indicator_id)
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(services.MAX_UPLOAD_BYTES + 1)
        try:
            saved = services.indicator_values_import(indicator=indicator, user=request.user, data=data)
        except services.ImportRefused as refused:
            errors = refused.errors
        else:
            separated = {",": _("commas"), ";": _("semicolons"), "\t": _("tabs")}[saved.separator]
            messages.success(request, _("%(count)s values imported (the file was read as separated by %(separator)s).")
                             % {"count": len(saved.values), "separator": separated})
            return redirect("indicators:values", indicator.pk)
    return render(request, "indicators/upload.html", {
        "indicator": indicator, "form": form, "errors": errors,
    }, status=400 if errors else 200)


@member_required
def city_page(request, slug):
    network_roles(request)
    city = get_object_or_404(City, slug=slug)
    return render(request, "indicators/city.html", {
        "city": city, "items": selectors.city_profile(city=city), "cities": City.objects.order_by("name"),
    })


def _targets_indicator(request, indicator_id):
    if not permissions.can_set_targets(request.roles):
        raise PermissionDenied
    return selectors.indicator_get(indicator_id)


@member_required
def targets(request, indicator_id):
    indicator = _targets_indicator(request, indicator_id)
    city_targets, network_target = selectors.targets_of(indicator)
    by_city = {row.city_id: row for row in city_targets}
    return render(request, "indicators/targets.html", {
        "indicator": indicator, "network_target": network_target,
        "rows": [(city, by_city.get(city.pk)) for city in City.objects.order_by("name")],
    })


def _save_target(request, *, form, save, current, template, context):
    """Validate and save a baseline/target form; a save over somebody else's change shows theirs (409),
    with the person's own entries still in the form and the version moved on, so saving again replaces it."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "version"}
        try:
            save(version=form.cleaned_data["version"], **data)
        except ValidationError as error:
            form.add_error(None, error)
        except services.TargetConflict as error:
            conflict = error.current
            posted = request.POST.copy()
            posted["version"] = conflict.version if conflict is not None else 0
            form = type(form)(posted, indicator=context["indicator"])
            form.is_valid()
            form.add_error(None, _("Somebody else saved this target while you were editing it; what they saved "
                                   "is shown below. Check it, and save again to replace it with yours."))
        else:
            messages.success(request, _("Baseline and target saved."))
            return redirect("indicators:targets", context["indicator"].pk)
    return render(request, template, {**context, "form": form, "conflict": conflict, "current": current},
                  status=409 if conflict is not None else (400 if form.is_bound else 200))


@member_required
def target_city(request, indicator_id, slug):
    indicator = _targets_indicator(request, indicator_id)
    city = get_object_or_404(City, slug=slug)
    current = CityTarget.objects.filter(indicator=indicator, city=city).first()
    initial = {"version": 0}
    if current is not None:
        initial = {field: getattr(current, field) for field in (
            "baseline_year", "baseline_value", "target_year", "target_value", "version")}
    form = CityTargetForm(request.POST or None, indicator=indicator, initial=initial)

    def save(**data):
        return services.city_target_set(user=request.user, indicator=indicator, city=city, **data)

    return _save_target(request, form=form, save=save, current=current, template="indicators/target_city.html",
                        context={"indicator": indicator, "city": city,
                                 "network_target": NetworkTarget.objects.filter(indicator=indicator).first()})


@member_required
def target_network(request, indicator_id):
    indicator = _targets_indicator(request, indicator_id)
    current = NetworkTarget.objects.filter(indicator=indicator).first()
    initial = {"version": 0} if current is None else {
        "target_year": current.target_year, "target_value": current.target_value, "version": current.version}
    form = NetworkTargetForm(request.POST or None, indicator=indicator, initial=initial)

    def save(**data):
        return services.network_target_set(user=request.user, indicator=indicator, **data)

    return _save_target(request, form=form, save=save, current=current, template="indicators/target_network.html",
                        context={"indicator": indicator})
