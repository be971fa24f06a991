from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from . import selectors
from .models import ActionPlan


@login_required
def current_plan(request):
    plan = ActionPlan.objects.current()
    if plan is None:
        return render(request, "actions/no_plan.html")
    return redirect(plan)


@login_required
def plan_detail(request, plan_id):
    plan = selectors.plan_overview(plan_id)
    return render(request, "actions/plan_detail.html", {"plan": plan, "plans": ActionPlan.objects.all()})


@login_required
def action_point_detail(request, point_id):
    point = selectors.action_point_detail(point_id)
    return render(request, "actions/action_point_detail.html", {"point": point, "plan": point.focus_area.plan})
