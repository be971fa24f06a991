import copy

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions.milestones import viewers_today
from actions.models import ActionPlan, ActionPoint, DeliveryStatus
from actions.selectors import overdue_milestones
from baltmet.history import history_entries, in_viewers_time_zone
from cities.access import member_required
from cities.models import City
from cities.roles import roles_of
from initiatives.selectors import pending_consents_for_city

from . import permissions, rollup, selectors, services, workflow
from .forms import CoordinatorReturnForm, CoordinatorReviewForm, PointStatusForm, ReportForm
from .models import Evidence, ProgressReport, ReportingPeriod, current_period_of


@login_required
def home(request):
    """Delegates, mayors and observers start in their city's workspace; the network roles at the dashboard;
    an account without a role is told so."""
    roles = roles_of(request.user)
    if not roles.in_network:
        return render(request, "accounts/no_role.html")
    city_id = roles.delegate_city_id or min(roles.city_ids, default=None)
    if city_id is None:
        return redirect("dashboard:home" if roles.sees_whole_network else "actions:home")
    return redirect("reports:workspace", city_slug=City.objects.values_list("slug", flat=True).get(pk=city_id))


@member_required
def workspace(request, city_slug):
    city = get_object_or_404(City, slug=city_slug)
    roles = roles_of(request.user)
    if not permissions.can_view_city(roles, city.pk):
        raise PermissionDenied
    plan = ActionPlan.objects.current()
    if plan is None:
        return render(request, "actions/no_plan.html")
    periods = selectors.periods_of(plan)
    period = _chosen_period(request, plan, periods)
    context = {"city": city, "plan": plan, "periods": periods, "period": period, "roles": roles}
    if period is not None:
        context["rows"] = selectors.workspace_rows(city=city, period=period)
        context["overdue_count"] = sum(row.overdue for row in context["rows"])
        context["can_write"] = roles.delegate_city_id == city.pk and not period.is_closed
    context.update(_workspace_extras(city, roles, user=request.user, plan=plan))
    context.update(_standing(request.user, city, roles, plan=plan, periods=periods))
    return render(request, "reports/workspace.html", context)


def _standing(user, city, roles, *, plan, periods):
    """A Mayor's or observer's landing is their city's standing against the plan (what their digest
    says: the same selector), with the Mayor's latest digest; a delegate's is their to-do list."""
    if city.pk not in roles.mayor_of | roles.observer_of or roles.delegate_city_id == city.pk:
        return {}
    from datetime import timedelta

    from django.utils import timezone

    from digests.selectors import digest_build, latest_digest, network_at

    until = timezone.now()
    since = until - timedelta(days=30)
    network = network_at(since=since, until=until, plan=plan, periods=periods)  # the page has read both
    digest = digest_build(recipient=user, since=since, until=until, network=network, changes=False)
    return {
        "standing": next((s for s in digest.standings if s.city.pk == city.pk), None),
        "attention": [item for item in digest.attention if item.city is None or item.city.pk == city.pk],
        "is_mayor": city.pk in roles.mayor_of,
        "latest_digest": latest_digest(user) if city.pk in roles.mayor_of else None,
    }


def _chosen_period(request, plan, periods):
    chosen = request.GET.get("period")
    if chosen:
        for period in periods:
            if str(period.pk) == chosen:
                return period
        raise Http404(_("No such reporting period in this plan."))
    return current_period_of(periods)


def _workspace_extras(city, roles, *, user, plan):
    """Tasks other parts of the portal put in the workspace (initiatives waiting for the city's answer, the
    overdue milestones of the city and of the points it coordinates)."""
    if roles.delegate_city_id != city.pk:
        return {}
    return {"pending_consents": pending_consents_for_city(city=city),
            "overdue_milestones": overdue_milestones(plan=plan, today=viewers_today(user), city_ids=[city.pk])}


@member_required
def report_open(request, point_id, period_id):
    """Open the delegate's own report on a point for a period: the existing one, or a new draft."""
    point = get_object_or_404(
        ActionPoint.objects.select_related("focus_area__plan", "coordinating_city").prefetch_related("partner_cities"),
        pk=point_id,
    )
    period = get_object_or_404(ReportingPeriod, pk=period_id)
    roles = roles_of(request.user)
    city_id = roles.delegate_city_id
    if city_id is not None:
        existing = ProgressReport.objects.filter(action_point=point, city_id=city_id, period=period).order_by().first()
        if existing and request.method == "POST" and not _same_text(request.POST, existing):
            # Started meanwhile (another tab, a colleague): keep theirs, and show this text beside it.
            return _conflict_page(request, roles, existing, request.POST.get("action") == "submit")
        if existing:
            return redirect("reports:report", report_id=existing.pk)
    if not permissions.can_start_report(roles, point, period):
        raise PermissionDenied
    city = City.objects.get(pk=city_id)
    submitting = request.POST.get("action") == "submit"
    form = ReportForm(request.POST or None, request.FILES or None, submitting=submitting,
                      initial={"version": 1})
    if request.method == "POST" and form.is_valid():
        try:
            report = services.report_start(point=point, city=city, period=period, user=request.user,
                                           data=form.cleaned_data, evidence=form.new_evidence(), submit=submitting)
        except services.ReportConflict as conflict:
            # Started meanwhile in another tab or by a colleague: theirs is kept, and so is this text.
            return _conflict_page(request, roles, conflict.current, submitting)
        except services.ReportStateError as error:
            form.add_error(None, str(error))
        else:
            _saved_message(request, submitting, report)
            return redirect("reports:report", report_id=report.pk)
    # Where the report will go, said before it is written (reports/workflow.py).
    unsaved = ProgressReport(action_point=point, city=city, period=period)
    two_step = point.focus_area.plan.is_two_step
    consolidated = workflow.is_consolidated(unsaved, two_step=two_step)
    return render(request, "reports/report_form.html", {
        "point": point, "period": period, "city": city, "form": form, "report": None,
        "two_step": two_step, "consolidated": consolidated,
        "goes_to_coordinator": workflow.goes_to_coordinator(unsaved, two_step=two_step),
        "partner_slots": selectors.partner_reports_in_period(unsaved, roles) if consolidated else None,
    })


def _same_text(data, report) -> bool:
    """What was posted is what the report already says (the second click of a double click)."""
    return all((data.get(field) or "").strip() == (getattr(report, field) or "").strip()
               for field in services.CONTENT_FIELDS)


def _saved_message(request, submitted, report=None):
    if submitted and report is not None and report.state in workflow.AWAITING_COORDINATOR:
        messages.success(request, _("Your report was submitted to the coordinating city, which reviews it first. "
                                    "Its delegates have been told."))
    elif submitted:
        messages.success(request, _("Your report was submitted for review. The Secretariat has been told."))
    else:
        messages.success(request, _("Draft saved. You can come back to it later."))


@member_required
def report_detail(request, report_id):
    report = selectors.report_detail(report_id)
    roles = roles_of(request.user)
    if not permissions.can_view_report(roles, report):
        raise PermissionDenied
    editable = permissions.can_edit_report(roles, report)
    form = None
    if request.method == "POST":
        if not editable:
            if report.city_id == roles.delegate_city_id:
                # e.g. the second click of a double-clicked submit: the first one already went through
                messages.info(request, _("This report is %(state)s and can no longer be changed.")
                              % {"state": report.get_state_display().lower()})
                return redirect("reports:report", report_id=report.pk)
            raise PermissionDenied
        submitting = request.POST.get("action") == "submit"
        form = ReportForm(request.POST, request.FILES, instance=copy.copy(report), submitting=submitting)
        if form.is_valid():
            try:
                services.report_save(report=report, version=form.cleaned_data["version"] or 0, user=request.user,
                                     data=form.cleaned_data, evidence=form.new_evidence(), submit=submitting)
            except services.ReportConflict as error:
                return _conflict_page(request, roles, error.current, submitting)
            except services.ReportStateError as error:
                messages.error(request, str(error))
                return redirect("reports:report", report_id=report.pk)
            if submitting:
                _saved_message(request, submitted=True, report=report)
            else:
                messages.success(request, _("Draft saved."))
            return redirect("reports:report", report_id=report.pk)
    elif editable:
        form = ReportForm(instance=report, initial={"version": report.version})
    return _detail_page(request, roles, report, form)


def _detail_page(request, roles, report, form, conflict=None, mine=None, coordinator_form=None, status=200):
    two_step = report.period.plan.is_two_step
    can_accept = permissions.can_accept_report(roles, report)
    consolidated = workflow.is_consolidated(report, two_step=two_step)
    context = {
        "report": report, "point": report.action_point, "period": report.period, "city": report.city,
        "form": form, "editable": form is not None, "conflict": conflict, "mine": mine,
        "can_review": permissions.can_review_report(roles, report),
        "can_see_workspace": permissions.can_view_city(roles, report.city_id),
        "two_step": two_step, "consolidated": consolidated,
        "goes_to_coordinator": workflow.goes_to_coordinator(report, two_step=two_step),
        "can_accept": can_accept, "coordinator_form": coordinator_form or CoordinatorReviewForm(),
    }
    if report.state == workflow.State.RETURNED:
        context["returned_by_coordinator"] = selectors.returned_by(report) == workflow.COORDINATOR_RETURN
    if consolidated or can_accept:  # the consolidated report is written (and reviewed) beside the partners'
        context["partner_slots"] = selectors.partner_reports_in_period(report, roles)
    if form is not None:  # writing: last period's report and the partners' latest, beside the form
        context["previous_period"], context["previous"] = selectors.previous_report(report)
        context["partners"] = selectors.partners_latest(report, roles)
    return render(request, "reports/report_detail.html", context, status=status)


def _conflict_page(request, roles, current, submitting):
    """The saved version beside the person's unsaved one, which stays in the form to merge and save again."""
    report = selectors.report_detail(current.pk)
    if not permissions.can_edit_report(roles, report):
        messages.error(request, _("This report is %(state)s and can no longer be changed.")
                       % {"state": report.get_state_display().lower()})
        return redirect("reports:report", report_id=report.pk)
    data = request.POST.copy()
    data["version"] = report.version
    # A copy: validating the form writes its values into the instance, and the page must still show
    # the saved version beside the unsaved one.
    form = ReportForm(data, instance=copy.copy(report), submitting=submitting)
    form.is_valid()
    status = dict(DeliveryStatus.choices).get(request.POST.get("delivery_status", ""), "")
    mine = {"status": status, "summary": request.POST.get("summary", ""),
            "next_steps": request.POST.get("next_steps", "")}
    return _detail_page(request, roles, report, form, conflict=report, mine=mine)


@member_required
def report_history(request, report_id):
    report = selectors.report_detail(report_id)
    if not permissions.can_view_report(roles_of(request.user), report):
        raise PermissionDenied
    with in_viewers_time_zone(request.user):
        entries = history_entries(selectors.report_history(report), ProgressReport,
                                  added_removed=selectors.report_evidence_history(report))
        page = Paginator(entries, 50).get_page(request.GET.get("page"))
        return render(request, "reports/report_history.html", {"report": report, "page": page})


@member_required
def evidence_download(request, report_id, evidence_id):
    evidence = get_object_or_404(Evidence.objects.select_related("report"), pk=evidence_id, report_id=report_id)
    if not permissions.can_view_report(roles_of(request.user), evidence.report):
        raise PermissionDenied
    if not evidence.file:
        raise Http404
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404(_("The file is missing from storage.")) from None
    return FileResponse(handle, as_attachment=True, filename=evidence.filename,
                        content_type=evidence.content_type or "application/octet-stream")


@member_required
@require_POST
def evidence_remove(request, report_id, evidence_id):
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__period"), pk=evidence_id, report_id=report_id,
    )
    if not permissions.can_edit_report(roles_of(request.user), evidence.report):
        raise PermissionDenied
    try:
        removed = services.evidence_remove(evidence=evidence, user=request.user)
    except services.ReportStateError as error:
        messages.error(request, str(error))
    else:
        if removed:
            messages.success(request, _("“%(evidence)s” was removed from the report.") % {"evidence": evidence})
    return redirect("reports:report", report_id=report_id)


# Two-step review: the coordinating city's part ------------------------------------------------------------


@member_required
def coordination(request):
    """The coordinating city's queue: partner reports waiting for its delegate, and its consolidated reports."""
    roles = roles_of(request.user)
    if not permissions.can_coordinate(roles):
        raise PermissionDenied
    city = City.objects.get(pk=roles.delegate_city_id)
    plan = ActionPlan.objects.current()
    periods = selectors.periods_of(plan) if plan is not None else []
    period = _chosen_period(request, plan, periods) if plan is not None else None
    return render(request, "reports/coordination.html", {
        "city": city, "plan": plan, "periods": periods, "period": period,
        **selectors.coordinator_queue(city=city, plan=plan, period=period),
    })


def _coordinator_step(request, report_id, *, accepting):
    report = selectors.report_detail(report_id)
    roles = roles_of(request.user)
    if not workflow.is_actor(workflow.ACCEPT, roles, report):
        raise PermissionDenied
    form = (CoordinatorReviewForm if accepting else CoordinatorReturnForm)(request.POST)
    if not form.is_valid():
        return _detail_page(request, roles, report, None, coordinator_form=form, status=400)
    try:
        if accepting:
            services.report_accept(report=report, coordinator=request.user, comment=form.cleaned_data["comment"])
        else:
            services.report_return_to_partner(report=report, coordinator=request.user,
                                              comment=form.cleaned_data["comment"])
    except services.ReportStateError as error:
        messages.error(request, str(error))
        return redirect("reports:report", report_id=report.pk)
    if accepting and report.state in workflow.AWAITING_REVIEW:
        messages.success(request, _("%(city)s's report is accepted. Your consolidated report for the period was "
                                    "already approved, so it went on to the Secretariat; the city has been told.")
                         % {"city": report.city})
    elif accepting:
        messages.success(request, _("%(city)s's report is accepted into your consolidated report; the city has been "
                                    "told.") % {"city": report.city})
    else:
        messages.success(request, _("%(city)s's report was returned with your comment; the city has been told.")
                         % {"city": report.city})
    return redirect("reports:coordination")


@member_required
@require_POST
def report_accept(request, report_id):
    return _coordinator_step(request, report_id, accepting=True)


@member_required
@require_POST
def report_return_to_partner(request, report_id):
    return _coordinator_step(request, report_id, accepting=False)


# An action point's roll-up ------------------------------------------------------------------------------


@member_required
def point_rollup(request, point_id):
    """Every taking-part city's report and status for a period, the suggested and the confirmed status, the
    trend; the coordinating city's delegate (and the Secretariat) confirm or override the status here."""
    from actions.selectors import action_point_detail
    from indicators.selectors import indicators_for_point

    point = action_point_detail(point_id)
    roles = roles_of(request.user)
    plan = point.focus_area.plan
    periods = selectors.periods_of(plan)
    period = _chosen_period(request, plan, periods)
    may_confirm = period is not None and permissions.can_update_action_point(roles, point)
    can_confirm = may_confirm and not period.is_closed  # a closed period's status stays as it is
    if request.method == "POST" and not can_confirm:
        raise PermissionDenied
    rolled = rollup.point_rollup(point, period=period, roles=roles)
    status, conflict = 200, None
    form = None
    if can_confirm:
        confirmed = rolled.confirmed
        form = PointStatusForm(request.POST or None, suggested=rolled.suggested, initial={
            "status": confirmed.status if confirmed else rolled.suggested,
            "reason": confirmed.reason if confirmed else "", "version": confirmed.version if confirmed else 0})
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.confirm_point_status(point=point, period=period, status=data["status"],
                                                  reason=data["reason"], by=request.user,
                                                  expected_version=data["version"])
                except services.PointStatusConflict as error:
                    conflict = error.current
                    rolled = rollup.point_rollup(point, period=period, roles=roles)
                    fresh = request.POST.copy()
                    fresh["version"] = conflict.version if conflict else 0
                    form = PointStatusForm(fresh, suggested=rolled.suggested)
                    form.is_valid()
                    status = 409
                except services.ReportStateError as error:
                    form.add_error("reason", str(error))
                    status = 400
                else:
                    messages.success(request, _("The status of action point %(number)s for %(period)s is confirmed.")
                                     % {"number": point.number, "period": period.label})
                    return redirect(f"{request.path}?period={period.pk}")
            else:
                status = 400
    return render(request, "reports/rollup.html", {
        "point": point, "plan": plan, "periods": periods, "period": period, "rollup": rolled, "form": form,
        "conflict": conflict, "conflicted": status == 409, "can_confirm": can_confirm,
        "closed_for_confirming": may_confirm and not can_confirm,
        "confirmations": rollup.confirmation_history(point, period) if period is not None else [],
        "point_indicators": indicators_for_point(point=point),
    }, status=status)
