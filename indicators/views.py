from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from cities.access import member_required, network_roles
from cities.models import City

from . import charts, permissions, selectors, services
from .forms import IndicatorForm, UploadForm, ValueForm, YearForm
from .models import IndicatorValue


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
        "can_enter": permissions.can_enter(roles),
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
