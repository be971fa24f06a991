import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from baltmet.history import history_entries, in_viewers_time_zone
from cities.access import member_required
from cities.roles import roles_of
from indicators.selectors import indicators_for_point
from initiatives.selectors import approved_initiatives_for_point
from meetings.selectors import mandate_for_point
from practices.selectors import practices_for_point
from reports import permissions
from reports import selectors as report_selectors
from reports.models import ProgressReport, ReportingPeriod
from reports.status import overall_statuses

from . import selectors, services
from .forms import CoordinatorUpdateForm
from .models import ActionPlan, ActionPoint


@member_required
def current_plan(request):
    plan = ActionPlan.objects.current()
    if plan is None:
        return render(request, "actions/no_plan.html")
    return redirect(plan)


@member_required
def plan_detail(request, plan_id):
    plan = selectors.plan_overview(plan_id)
    points = [point for area in plan.focus_areas.all() for point in area.action_points.all()]
    for point, overall in zip(points, overall_statuses(points).values(), strict=True):
        point.overall = overall
    return render(request, "actions/plan_detail.html", {"plan": plan, "plans": ActionPlan.objects.all()})


@member_required
def action_point_detail(request, point_id):
    point = selectors.action_point_detail(point_id)
    roles = roles_of(request.user)
    plan = point.focus_area.plan
    context = {
        "point": point, "plan": plan, "overall": overall_statuses([point])[point.pk],
        "timeline": report_selectors.approved_timeline(point),
        "last_reported": report_selectors.last_reported(point),
        "can_update": permissions.can_update_action_point(roles, point),
    }
    city_id = roles.delegate_city_id
    if city_id is not None and permissions.city_takes_part(point, city_id):
        period = ReportingPeriod.objects.current(plan)
        if period is not None:
            context["own_period"] = period
            context["own_report"] = (ProgressReport.objects.filter(action_point=point, city_id=city_id, period=period)
                                     .order_by().first())
            context["can_start"] = permissions.can_start_report(roles, point, period)
    context["approved_initiatives"] = approved_initiatives_for_point(point=point)
    context["mandate"] = mandate_for_point(point)
    context["point_practices"] = practices_for_point(point)
    context["point_indicators"] = indicators_for_point(point=point)
    return render(request, "actions/action_point_detail.html", context)


@member_required
def action_point_update(request, point_id):
    point = selectors.action_point_detail(point_id)
    if not permissions.can_update_action_point(roles_of(request.user), point):
        raise PermissionDenied
    conflict = None
    form = CoordinatorUpdateForm(request.POST or None, instance=point, initial={"version": point.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_point_update(
                point=point, version=form.cleaned_data["version"],
                coordinator_summary=form.cleaned_data["coordinator_summary"], user=request.user,
            )
        except services.ActionPointConflict as error:
            conflict = error.current
            data = request.POST.copy()
            data["version"] = conflict.version
            form = CoordinatorUpdateForm(data, instance=copy.copy(conflict))
            form.is_valid()
        else:
            messages.success(request, _("The coordinator's summary was updated."))
            return redirect(point)
    return render(request, "actions/action_point_update.html", {"point": point, "form": form, "conflict": conflict})


@member_required
def action_point_history(request, point_id):
    point = selectors.action_point_detail(point_id)
    records = point.history.select_related("history_user").order_by("history_date", "history_id")
    with in_viewers_time_zone(request.user):
        entries = history_entries(records, ActionPoint, m2m_fields=["partner_cities"])
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        return render(request, "actions/action_point_history.html", {"point": point, "page": page})
