from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from accounts import services as account_services
from accounts.models import Invitation
from actions import services as action_services
from actions.milestones import viewers_today
from actions.models import ActionPlan, ActionPoint, FocusArea
from actions.selectors import overdue_milestones
from baltmet.params import id_list_param, id_param
from cities import services as city_services
from cities.access import secretariat_required
from cities.models import Membership
from digests import services as digest_services
from reports import selectors as report_selectors
from reports import services as report_services
from reports.models import ReportingPeriod, WorkflowState, current_period_of
from reports.permissions import can_review_report
from reports.workflow import is_consolidated

from . import exports, selectors
from .charts import status_chart
from .forms import (
    DraftPointForm,
    FocusAreaForm,
    InvitationForm,
    MembershipForm,
    PeopleFilterForm,
    PeriodForm,
    PointCitiesForm,
    ReportFilterForm,
    ReturnForm,
    ReviewForm,
    SuccessorPlanForm,
)

PAGE_SIZE = 25


def _page(request, items, size=PAGE_SIZE):
    return Paginator(items, size).get_page(request.GET.get("page"))


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _no_plan(request):
    return render(request, "dashboard/no_plan.html", status=200)


# The dashboard and its lists ---------------------------------------------------------------------------


@secretariat_required(chair_may_view=True)
def home(request):
    form = ReportFilterForm(request.GET, period_empty_label=_("Current period"),
                            fields=["plan", "period", "focus_area", "city"])
    filters = form.filters()
    plan = filters["plan"]
    if plan is None:
        return _no_plan(request)
    # The form's drop-down lists double as the page's periods and cities: loaded once.
    period = filters["period"] or current_period_of(form.periods)
    data = selectors.dashboard(plan=plan, period=period, focus_area=filters["focus_area"], city=filters["city"],
                               periods=form.periods, all_cities=form.cities)
    city = filters["city"]
    overdue = overdue_milestones(plan=plan, today=viewers_today(request.user),
                                 city_ids=[city.pk] if city is not None else None)
    return render(request, "dashboard/home.html", {
        "form": form, "plan": plan, "period": period, **data, "chart": status_chart(data["history"]),
        "query": _query_without_page(request), "today": timezone.localdate(), "overdue_milestones": overdue,
    })


@secretariat_required(chair_may_view=True)
def queue(request):
    form = ReportFilterForm(request.GET, fields=["plan", "period", "focus_area", "city", "delivery_status"])
    filters = form.filters()
    filters.pop("state", None)
    page = _page(request, selectors.review_queue(**filters))
    # Read here, not halfway through the template.
    page.object_list = selectors.mark_consolidated(page.object_list, form.plans)
    return render(request, "dashboard/queue.html", {
        "form": form, "plan": filters["plan"], "page": page, "query": _query_without_page(request),
    })


@secretariat_required(chair_may_view=True)
def report_list(request):
    form = ReportFilterForm(request.GET)
    filters = form.filters()
    page = _page(request, selectors.listed(selectors.reports_filtered(**filters)))
    return render(request, "dashboard/reports.html", {
        "form": form, "plan": filters["plan"], "page": page, "query": _query_without_page(request),
    })


def _filename(plan, extension):
    stamp = timezone.localdate().isoformat()
    return f"baltmet-reports-{plan.first_year if plan else 'all'}-{stamp}.{extension}"


@secretariat_required(chair_may_view=True)
def export_csv(request):
    filters = ReportFilterForm(request.GET).filters()
    response = StreamingHttpResponse(exports.reports_csv(selectors.reports_filtered(**filters)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(True, _filename(filters["plan"], "csv"))
    return response


@secretariat_required(chair_may_view=True)
def export_xlsx(request):
    filters = ReportFilterForm(request.GET).filters()
    response = StreamingHttpResponse(
        exports.reports_xlsx(selectors.reports_filtered(**filters)),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = content_disposition_header(True, _filename(filters["plan"], "xlsx"))
    return response


def _progress_context(request):
    form = ReportFilterForm(request.GET, period_empty_label=_("Current period"), fields=["plan", "period"])
    filters = form.filters()
    plan = filters["plan"]
    if plan is None:
        return form, None
    period = filters["period"] or ReportingPeriod.objects.current(plan)
    return form, selectors.progress_report(plan=plan, period=period)


@secretariat_required(chair_may_view=True)
def progress_report(request):
    form, context = _progress_context(request)
    if context is None:
        return _no_plan(request)
    return render(request, "dashboard/progress_report.html", {**context, "form": form,
                                                              "query": _query_without_page(request)})


@secretariat_required(chair_may_view=True)
def progress_report_pdf(request):
    _form, context = _progress_context(request)
    if context is None:
        return _no_plan(request)
    response = HttpResponse(exports.progress_report_pdf(context), content_type="application/pdf")
    # The period's label is the Secretariat's text: Django's helper quotes and encodes it for the header.
    name = f"baltmet-progress-{context['period'].label if context['period'] else context['plan'].first_year}"
    response["Content-Disposition"] = content_disposition_header(True, "-".join(name.split()) + ".pdf")
    return response


# Review --------------------------------------------------------------------------------------------------


def _review_page(request, report, *, form=None, status=200):
    previous_period, previous = report_selectors.previous_report(report)
    can_review = request.can_manage and can_review_report(request.roles, report)
    consolidated = is_consolidated(report, two_step=report.action_point.focus_area.plan.is_two_step)
    return render(request, "dashboard/review.html", {
        "report": report, "previous": previous, "previous_period": previous_period, "can_review": can_review,
        "form": form or ReviewForm(), "next": _safe_next(request), "consolidated": consolidated,
        "partner_slots": report_selectors.partner_reports_in_period(report, request.roles) if consolidated else None,
    }, status=status)


def _safe_next(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/secretariat/") else ""


@secretariat_required(chair_may_view=True)
def review(request, report_id):
    report = selectors.report_for_review(report_id)
    if report.state == WorkflowState.DRAFT:
        # A draft is the city's working copy; the Secretariat sees it once it is submitted.
        messages.info(request, _("This report is still a draft of the city."))
    return _review_page(request, report)


@secretariat_required
@require_POST
def approve(request, report_id):
    report = selectors.report_for_review(report_id)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _review_page(request, report, form=form, status=400)
    try:
        report_services.report_approve(report=report, reviewer=request.user, comment=form.cleaned_data["comment"])
    except report_services.ReportStateError as error:
        messages.error(request, str(error))
        return redirect("dashboard:review", report.pk)
    messages.success(request, _("Report %(report)s approved; the delegates have been emailed.") % {"report": report})
    return redirect(_safe_next(request) or reverse("dashboard:queue"))


@secretariat_required
@require_POST
def return_report(request, report_id):
    report = selectors.report_for_review(report_id)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _review_page(request, report, form=form, status=400)
    try:
        report_services.report_return(report=report, reviewer=request.user, comment=form.cleaned_data["comment"])
    except report_services.ReportStateError as error:
        messages.error(request, str(error))
        return redirect("dashboard:review", report.pk)
    messages.success(request, _("Report %(report)s returned to the city with your comment.") % {"report": report})
    return redirect(_safe_next(request) or reverse("dashboard:queue"))


@secretariat_required
@require_POST
def publish(request, report_id):
    """Publish an approved report for the public, or take it back (published=0)."""
    report = selectors.report_for_review(report_id)
    published = request.POST.get("published", "1") != "0"
    try:
        changed = report_services.report_publish(report=report, user=request.user, published=published)
    except report_services.ReportStateError as error:
        messages.error(request, str(error))
    else:
        if not changed:
            messages.info(request, _("Nothing changed: the report already was as you asked."))
        elif published:
            messages.success(request, _("Report %(report)s is published on the public pages.") % {"report": report})
        else:
            messages.success(request, _("Report %(report)s is no longer public.") % {"report": report})
    return redirect("dashboard:review", report.pk)


@secretariat_required
@require_POST
def period_publish(request, period_id):
    """Publish every approved report of a period (of the cities that share theirs), or take them back."""
    period = get_object_or_404(ReportingPeriod, pk=period_id)
    published = request.POST.get("published", "1") != "0"
    changed = report_services.period_publish(period=period, user=request.user, published=published)
    if published:
        messages.success(request, ngettext("%(count)s approved report of %(label)s is now public.",
                                           "%(count)s approved reports of %(label)s are now public.", changed)
                         % {"count": changed, "label": period.label})
    else:
        messages.success(request, ngettext("%(count)s report of %(label)s is no longer public.",
                                           "%(count)s reports of %(label)s are no longer public.", changed)
                         % {"count": changed, "label": period.label})
    return redirect("dashboard:plan", period.plan_id)


@secretariat_required
@require_POST
def remind(request):
    plan = get_object_or_404(ActionPlan, pk=id_param(request.POST, "plan", required=True))
    period = get_object_or_404(ReportingPeriod, pk=id_param(request.POST, "period", required=True), plan=plan)
    city_ids = id_list_param(request.POST, "city") or None
    try:
        result = digest_services.reminders_request(period=period, user=request.user, city_ids=city_ids)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        _reminded(request, result)
    return redirect(f"{reverse('dashboard:home')}?plan={plan.pk}&period={period.pk}")


def _names(cities):
    return ", ".join(city.name for city in cities)


def _reminded(request, result):
    if result.sent:
        messages.success(request, ngettext(
            "%(count)s reminder email is on its way to the delegates of %(cities)s.",
            "%(count)s reminder emails are on their way to the delegates of %(cities)s.", result.sent,
        ) % {"count": result.sent, "cities": _names(result.reminded)})
    if result.quiet:
        messages.info(request, _("Not reminded again: the delegates of %(cities)s were reminded within the last "
                                 "hour.") % {"cities": _names(result.quiet)})
    if result.unreachable:
        messages.warning(request, _("Nobody to email for %(cities)s: no delegate with an email address. Ask the "
                                    "city to name one (People).") % {"cities": _names(result.unreachable)})
    if not (result.sent or result.quiet or result.unreachable):
        messages.info(request, _("Nobody to remind: every report of this period is in."))


# Running the plan ----------------------------------------------------------------------------------------


@secretariat_required
def plans(request):
    return render(request, "dashboard/plans.html", {"plans": selectors.plans_with_counts()})


@secretariat_required
def plan_manage(request, plan_id):
    plan = get_object_or_404(ActionPlan, pk=plan_id)
    return render(request, "dashboard/plan_manage.html", {
        "plan": plan, "points": selectors.plan_points(plan), "periods": selectors.plan_periods(plan),
        "period_form": PeriodForm(), "has_successor": ActionPlan.objects.filter(predecessor=plan).exists(),
        "review_modes": ActionPlan.ReviewMode.choices,
        "areas": plan.focus_areas.order_by("number") if plan.status == ActionPlan.Status.DRAFT else (),
    })


@secretariat_required
@require_POST
def plan_review_mode(request, plan_id):
    """Switch the plan between one-step and two-step review (the rule for reports in flight: reports/workflow.py)."""
    plan = get_object_or_404(ActionPlan, pk=plan_id)
    mode = request.POST.get("review_mode", "")
    try:
        moved = report_services.plan_review_mode_set(plan=plan, mode=mode, user=request.user)
    except report_services.ReportStateError as error:
        messages.error(request, str(error))
        return redirect("dashboard:plan", plan.pk)
    plan.refresh_from_db()
    messages.success(request, _("%(plan)s now has %(mode)s.") % {"plan": plan, "mode": plan.get_review_mode_display()})
    if moved:
        messages.info(request, ngettext(
            "%(count)s partner report that was with its coordinating city went to the review queue.",
            "%(count)s partner reports that were with their coordinating cities went to the review queue.", moved,
        ) % {"count": moved})
    return redirect("dashboard:plan", plan.pk)


@secretariat_required
def plan_successor(request, plan_id):
    plan = get_object_or_404(ActionPlan, pk=plan_id)
    years = plan.last_year - plan.first_year + 1
    form = SuccessorPlanForm(request.POST or None, initial={
        "first_year": plan.last_year + 1, "last_year": plan.last_year + years,
    })
    if request.method == "POST" and form.is_valid():
        try:
            successor = action_services.plan_start_successor(plan=plan, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Draft plan %(plan)s started from %(old)s.") % {"plan": successor, "old": plan})
            return redirect("dashboard:plan", successor.pk)
    return render(request, "dashboard/plan_successor.html", {"plan": plan, "form": form})


@secretariat_required
def point_cities(request, point_id):
    point = get_object_or_404(ActionPoint.objects.select_related("focus_area__plan"), pk=point_id)
    # A draft plan (a successor being prepared) has its points' texts rewritten here too.
    is_draft = point.focus_area.plan.status == ActionPlan.Status.DRAFT
    form = (DraftPointForm if is_draft else PointCitiesForm)(request.POST or None, instance=point)
    if request.method == "POST" and form.is_valid():
        try:
            action_services.point_assign(point=point, coordinating_city=form.cleaned_data["coordinating_city"],
                                         partner_cities=form.cleaned_data["partner_cities"], user=request.user,
                                         text=form.cleaned_data.get("text"))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Cities of action point %(number)s saved.") % {"number": point.number})
            return redirect("dashboard:plan", point.focus_area.plan_id)
    return render(request, "dashboard/point_cities.html", {"point": point, "form": form})


@secretariat_required
def area_edit(request, area_id):
    area = get_object_or_404(FocusArea.objects.select_related("plan"), pk=area_id)
    form = FocusAreaForm(request.POST or None, instance=area)
    if request.method == "POST" and form.is_valid():
        try:
            action_services.focus_area_rename(area=area, title=form.cleaned_data["title"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Focus area %(number)s renamed.") % {"number": area.number})
            return redirect("dashboard:plan", area.plan_id)
    return render(request, "dashboard/area_edit.html", {"area": area, "form": form})


@secretariat_required
def plan_adopt(request, plan_id):
    """A confirmation page (GET), then the adoption (POST)."""
    plan = get_object_or_404(ActionPlan.objects.select_related("predecessor"), pk=plan_id)
    error = None
    if request.method == "POST":
        try:
            action_services.plan_adopt(plan=plan, user=request.user)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            messages.success(request, _("%(plan)s is adopted: it is now the current plan.") % {"plan": plan})
            return redirect("dashboard:plan", plan.pk)
    return render(request, "dashboard/plan_adopt.html", {
        "plan": plan, "error": error, "points": ActionPoint.objects.filter(focus_area__plan=plan).count(),
    }, status=409 if error else 200)


@secretariat_required
def period_add(request, plan_id):
    plan = get_object_or_404(ActionPlan, pk=plan_id)
    return _period_form(request, plan, ReportingPeriod(plan=plan))


@secretariat_required
def period_edit(request, period_id):
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=period_id)
    return _period_form(request, period.plan, period)


def _period_form(request, plan, period):
    form = PeriodForm(request.POST or None, instance=period)
    if request.method == "POST" and form.is_valid():
        report_services.period_save(period=form.instance, user=request.user)
        messages.success(request, _("Reporting period %(label)s saved.") % {"label": form.instance.label})
        return redirect("dashboard:plan", plan.pk)
    return render(request, "dashboard/period_form.html", {"plan": plan, "period": period, "form": form})


@secretariat_required
def period_close(request, period_id):
    """GET asks first, saying what closing would lock; the POST from that page closes."""
    if request.method == "POST":
        return _period_set_closed(request, period_id, closed=True)
    period = get_object_or_404(ReportingPeriod.objects.select_related("plan"), pk=period_id)
    if period.is_closed:
        return redirect("dashboard:plan", period.plan_id)
    return render(request, "dashboard/period_close.html", {
        "period": period, "plan": period.plan, "before": selectors.before_closing(period),
    })


@secretariat_required
@require_POST
def period_open(request, period_id):
    return _period_set_closed(request, period_id, closed=False)


def _period_set_closed(request, period_id, *, closed):
    period = get_object_or_404(ReportingPeriod, pk=period_id)
    period = report_services.period_set_closed(period=period, closed=closed, user=request.user)
    if closed:
        messages.success(request, _("Period %(label)s is closed: its reports are locked.") % {"label": period.label})
    else:
        messages.success(request, _("Period %(label)s is open again.") % {"label": period.label})
    return redirect("dashboard:plan", period.plan_id)


# People --------------------------------------------------------------------------------------------------


@secretariat_required
def people(request):
    form = PeopleFilterForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    page = _page(request, selectors.people(
        never_logged_in=data.get("never_logged_in", False), city=data.get("city"), role=data.get("role", ""),
    ), size=50)
    return render(request, "dashboard/people.html", {
        "form": form, "page": page, "query": _query_without_page(request),
        "invitations": Invitation.objects.usable().select_related("city", "invited_by")[:50],
    })


@secretariat_required
def person_detail(request, user_id):
    person = selectors.person(user_id)
    return render(request, "dashboard/person.html", {
        "person": person,
        "membership_forms": [(m, MembershipForm(instance=m, prefix=f"m{m.pk}")) for m in person.memberships.all()],
        "add_form": MembershipForm(prefix="add"),
    })


def _person_page_with_error(request, person, form, membership=None):
    messages.error(request, _("The role was not saved; see the errors below."))
    forms_ = []
    for m in person.memberships.all():
        forms_.append((m, form if membership is not None and m.pk == membership.pk else MembershipForm(
            instance=m, prefix=f"m{m.pk}")))
    return render(request, "dashboard/person.html", {
        "person": person, "membership_forms": forms_,
        "add_form": form if membership is None else MembershipForm(prefix="add"),
    }, status=400)


@secretariat_required
@require_POST
def membership_add(request, user_id):
    person = selectors.person(user_id)
    form = MembershipForm(request.POST, prefix="add", instance=Membership(user=person))
    if form.is_valid():
        try:
            city_services.membership_add(person=person, role=form.cleaned_data["role"], city=form.cleaned_data["city"],
                                    user=request.user)
        except ValidationError as error:
            # Rules that span the person (one city per delegate) are checked by the service.
            form.add_error(None, error)
    if not form.is_valid():
        return _person_page_with_error(request, person, form)
    messages.success(request, _("Role added."))
    return redirect("dashboard:person", person.pk)


@secretariat_required
@require_POST
def membership_change(request, membership_id):
    membership = get_object_or_404(Membership, pk=membership_id)
    person = selectors.person(membership.user_id)
    form = MembershipForm(request.POST, prefix=f"m{membership.pk}", instance=membership)
    if form.is_valid():
        try:
            city_services.membership_change(membership=form.instance, role=form.cleaned_data["role"],
                                       city=form.cleaned_data["city"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
    if not form.is_valid():
        return _person_page_with_error(request, person, form, membership)
    messages.success(request, _("Role changed."))
    return redirect("dashboard:person", person.pk)


@secretariat_required
@require_POST
def membership_remove(request, membership_id):
    membership = get_object_or_404(Membership, pk=membership_id)
    city_services.membership_remove(membership=membership, user=request.user)
    messages.success(request, _("Role removed."))
    return redirect("dashboard:person", membership.user_id)


@secretariat_required
@require_POST
def person_deactivate(request, user_id):
    return _person_set_active(request, user_id, active=False)


@secretariat_required
@require_POST
def person_activate(request, user_id):
    return _person_set_active(request, user_id, active=True)


def _person_set_active(request, user_id, *, active):
    person = selectors.person(user_id)
    try:
        account_services.person_set_active(person=person, active=active, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if active:
            messages.success(request, _("%(person)s can log in again.") % {"person": person})
        else:
            messages.success(request, _("%(person)s is deactivated; what they wrote stays.") % {"person": person})
    return redirect("dashboard:person", person.pk)


@secretariat_required
def invite(request):
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, _token = account_services.invitation_send(invited_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("email", error)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.email})
            return redirect("dashboard:people")
    return render(request, "dashboard/invite.html", {"form": form})
