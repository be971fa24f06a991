import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
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
from reports.status import overall_status_from_timeline, overall_statuses

from . import milestones, selectors, services
from . import permissions as milestone_permissions
from .forms import CoordinatorUpdateForm, MilestoneForm, MilestoneMarkForm, MilestoneRemoveForm
from .models import ActionPlan, ActionPoint, Milestone


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
    by_id = {point.pk: point for point in points}
    for point, overall in zip(points, overall_statuses(points).values(), strict=True):
        point.overall = overall
    for point_id, (done, total) in selectors.milestone_counts(points).items():
        by_id[point_id].milestones_done, by_id[point_id].milestones_total = done, total
    return render(request, "actions/plan_detail.html", {"plan": plan, "plans": ActionPlan.objects.all()})


@member_required
def action_point_detail(request, point_id):
    point = selectors.action_point_detail(point_id)
    roles = roles_of(request.user)
    plan = point.focus_area.plan
    timeline = report_selectors.approved_timeline(point)
    context = {
        # The timeline holds every approved report on the point: its overall status needs no query of its own.
        "point": point, "plan": plan, "overall": overall_status_from_timeline(point, timeline),
        "timeline": timeline,
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
    context.update(_point_milestones(request.user, roles, point))
    context["approved_initiatives"] = approved_initiatives_for_point(point=point)
    context["mandate"] = mandate_for_point(point)
    context["point_practices"] = practices_for_point(point)
    context["point_indicators"] = indicators_for_point(point=point)
    return render(request, "actions/action_point_detail.html", context)


def _point_milestones(user, roles, point):
    today = milestones.viewers_today(user)
    rows = selectors.milestones_of(point)
    for milestone in rows:
        milestone.action_point = point  # loaded already: the permission check reads its cities and plan
        milestone.overdue = milestone.is_overdue(today)
        milestone.can_mark = milestone_permissions.can_mark_milestone(roles, milestone)
    return {
        "milestones": rows, "milestones_done": sum(milestone.done for milestone in rows),
        "milestone_today": today,
        "can_manage_milestones": milestone_permissions.can_manage_milestones(roles, point),
    }


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
        # Its milestones' changes too (added, moved, marked done, removed), each named by its title.
        entries += history_entries(selectors.milestone_history(point), Milestone,
                                   subject=lambda record: _("milestone “%(title)s”") % {"title": record.title})
        entries.sort(key=lambda entry: entry.when, reverse=True)
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        return render(request, "actions/action_point_history.html", {"point": point, "page": page})


# Milestones ---------------------------------------------------------------------------------------------


def _milestone_page(request, template, context, *, form, conflict=False, removed=False):
    status = 409 if conflict else (400 if form is not None and form.is_bound and form.errors else 200)
    return render(request, template, {**context, "form": form, "conflict": conflict, "removed": removed},
                  status=status)


def _after_conflict(request, form_class, current, **kwargs):
    """The person's entries kept, the version moved on to the saved one, so saving again replaces it."""
    posted = request.POST.copy()
    posted["version"] = current.version if current is not None else 0
    form = form_class(posted, **kwargs)
    form.is_valid()
    return form


@member_required
def milestone_add(request, point_id):
    point = selectors.action_point_detail(point_id)
    if not milestone_permissions.can_manage_milestones(request.roles, point):
        raise PermissionDenied
    form = MilestoneForm(request.POST or None, point=point)
    if request.method == "POST" and form.is_valid():
        try:
            milestones.milestone_add(point=point, title=form.cleaned_data["title"],
                                     due_date=form.cleaned_data["due_date"],
                                     responsible_city=form.cleaned_data["responsible_city"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Milestone added."))
            return redirect(point.get_absolute_url() + "#milestones")
    return _milestone_page(request, "actions/milestone_form.html", {"point": point, "milestone": None}, form=form)


@member_required
def milestone_edit(request, milestone_id):
    milestone = selectors.milestone_get(milestone_id)
    point = milestone.action_point
    if not milestone_permissions.can_manage_milestones(request.roles, point):
        raise PermissionDenied
    initial = {"title": milestone.title, "due_date": milestone.due_date,
               "responsible_city": milestone.responsible_city_id, "version": milestone.version}
    form = MilestoneForm(request.POST or None, point=point, initial=initial)
    context = {"point": point, "milestone": milestone}
    if request.method == "POST" and form.is_valid():
        try:
            milestones.milestone_edit(milestone=milestone, version=form.cleaned_data["version"],
                                      title=form.cleaned_data["title"], due_date=form.cleaned_data["due_date"],
                                      responsible_city=form.cleaned_data["responsible_city"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except milestones.MilestoneConflict as error:
            form = _after_conflict(request, MilestoneForm, error.current, point=point)
            return _milestone_page(request, "actions/milestone_form.html", {**context, "current": error.current},
                                   form=form, conflict=True, removed=error.current is None)
        else:
            messages.success(request, _("Milestone saved."))
            return redirect(point.get_absolute_url() + "#milestones")
    return _milestone_page(request, "actions/milestone_form.html", context, form=form)


@member_required
def milestone_mark(request, milestone_id):
    """Mark a milestone done on a date, or not done. The point's page posts here; this page shows the form
    again when the date is wrong or somebody changed the milestone meanwhile."""
    milestone = selectors.milestone_get(milestone_id)
    if not milestone_permissions.can_mark_milestone(request.roles, milestone):
        raise PermissionDenied
    today = milestones.viewers_today(request.user)
    form = MilestoneMarkForm(request.POST or None, today=today, initial={
        "done": "no" if milestone.done else "yes", "done_on": today, "version": milestone.version})
    context = {"point": milestone.action_point, "milestone": milestone}
    if request.method == "POST" and form.is_valid():
        try:
            milestones.milestone_mark(milestone=milestone, version=form.cleaned_data["version"],
                                      done=form.cleaned_data["done"], done_on=form.cleaned_data["done_on"],
                                      user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        except milestones.MilestoneConflict as error:
            form = _after_conflict(request, MilestoneMarkForm, error.current, today=today)
            return _milestone_page(request, "actions/milestone_mark.html", {**context, "current": error.current},
                                   form=form, conflict=True, removed=error.current is None)
        else:
            messages.success(request, _("Milestone marked done.") if form.cleaned_data["done"]
                             else _("Milestone marked not done."))
            return redirect(milestone.action_point.get_absolute_url() + "#milestones")
    return _milestone_page(request, "actions/milestone_mark.html", context, form=form)


@member_required
def milestone_remove(request, milestone_id):
    milestone = selectors.milestone_get(milestone_id)
    point = milestone.action_point
    if not milestone_permissions.can_manage_milestones(request.roles, point):
        raise PermissionDenied
    form = MilestoneRemoveForm(request.POST or None, initial={"version": milestone.version})
    context = {"point": point, "milestone": milestone}
    if request.method == "POST" and form.is_valid():
        try:
            milestones.milestone_remove(milestone=milestone, version=form.cleaned_data["version"], user=request.user)
        except milestones.MilestoneConflict as error:
            form = _after_conflict(request, MilestoneRemoveForm, error.current)
            return _milestone_page(request, "actions/milestone_remove.html", {**context, "current": error.current},
                                   form=form, conflict=True, removed=error.current is None)
        messages.success(request, _("Milestone removed."))
        return redirect(point.get_absolute_url() + "#milestones")
    return _milestone_page(request, "actions/milestone_remove.html", context, form=form)
