from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from actions.models import ActionPlan, ActionPoint
from baltmet.params import id_param, parse_id
from cities.access import member_required, network_roles
from cities.models import City

from . import permissions, selectors, services
from .forms import AnswerForm, InitiativeForm, WithdrawForm
from .models import Answer, Initiative, InitiativeState


def _member_cities():
    return list(City.objects.filter(left__isnull=True).order_by("name"))


@member_required
def initiative_list(request):
    roles = network_roles(request)
    state = request.GET.get("state") if request.GET.get("state") in InitiativeState.values else None
    return render(request, "initiatives/list.html", {
        "initiatives": selectors.initiative_overview(state=state), "state": state, "states": InitiativeState.choices,
        "can_propose": permissions.can_propose(roles),
    })


@member_required
def overview(request):
    if not permissions.can_see_overview(request.roles):
        raise PermissionDenied
    initiatives = selectors.initiative_overview(state=InitiativeState.PROPOSED)
    return render(request, "initiatives/overview.html", {
        "initiatives": initiatives, "unreachable": selectors.unreachable_city_ids(initiatives),
    })


@member_required
def initiative_detail(request, initiative_id):
    roles = network_roles(request)
    initiative = selectors.initiative_detail(initiative_id)
    consents = list(initiative.consents.all())
    mine = next((c for c in consents if c.city_id == roles.delegate_city_id), None)
    can_answer = permissions.can_answer(roles, initiative, mine)
    return render(request, "initiatives/detail.html", {
        "initiative": initiative, "consents": consents, "involved": [c for c in consents if c.involved],
        "answered": sum(c.answer != Answer.PENDING for c in consents),
        "mine": mine, "can_answer": can_answer,
        "answer_form": AnswerForm(initial={"version": initiative.version}) if can_answer else None,
        "can_change": permissions.can_change(roles, initiative),
        "can_withdraw": permissions.can_withdraw(roles, initiative),
        "can_remind": permissions.can_remind(roles, initiative),
        "unreachable": selectors.unreachable_city_ids([initiative]) if permissions.can_remind(roles, initiative) else set(),
        "decisions": list(initiative.decisions.all()),
    })


@member_required
def initiative_propose(request):
    roles = request.roles
    if not permissions.can_propose(roles):
        raise PermissionDenied
    plan = ActionPlan.objects.current()
    if plan is None:
        return render(request, "actions/no_plan.html")
    city = City.objects.get(pk=roles.delegate_city_id)
    initial = {}
    point_id = id_param(request.GET, "point")
    if point_id is not None:
        initial["action_point"] = ActionPoint.objects.filter(pk=point_id, focus_area__plan=plan).first()
    form = InitiativeForm(request.POST or None, initial=initial, plan=plan, cities=_member_cities(),
                          proposing_city=city)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_propose(
                user=request.user, plan=plan, action_point=form.cleaned_data["action_point"],
                title=form.cleaned_data["title"], description=form.cleaned_data["description"],
                start=form.cleaned_data["start"], end=form.cleaned_data["end"], costs=form.costs(),
            )
        except services.InitiativeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Initiative proposed; the cities involved have been asked."))
            return redirect(initiative)
    return render(request, "initiatives/form.html", {"form": form, "plan": plan, "city": city, "initiative": None})


@member_required
def initiative_edit(request, initiative_id):
    roles = network_roles(request)
    initiative = selectors.initiative_detail(initiative_id)
    if not permissions.can_change(roles, initiative):
        raise PermissionDenied
    consents = {c.city_id: c for c in initiative.consents.all()}
    cities = _member_cities()
    initial = {"title": initiative.title, "description": initiative.description, "start": initiative.start,
               "end": initiative.end, "version": initiative.version}
    for city in cities:
        consent = consents.get(city.pk)
        if consent is not None and consent.involved:
            initial[f"cost_{city.pk}"] = consent.expected_cost
            initial[f"currency_{city.pk}"] = consent.currency
    form = InitiativeForm(request.POST or None, initial=initial, cities=cities,
                          proposing_city=initiative.proposing_city, with_action_point=False)
    if request.method == "POST" and form.is_valid():
        version = parse_id(request.POST.get("version"))
        version = -1 if version is None else version
        try:
            services.initiative_change(
                initiative=initiative, user=request.user, version=version, title=form.cleaned_data["title"],
                description=form.cleaned_data["description"], start=form.cleaned_data["start"],
                end=form.cleaned_data["end"], costs=form.costs(),
            )
        except services.InitiativeError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Initiative saved. If its terms changed, the cities are asked again."))
            return redirect(initiative)
    return render(request, "initiatives/form.html", {
        "form": form, "plan": initiative.plan, "city": initiative.proposing_city, "initiative": initiative,
    })


@member_required
def initiative_answer(request, initiative_id):
    roles = request.roles
    initiative = selectors.initiative_detail(initiative_id)
    mine = next((c for c in initiative.consents.all() if c.city_id == roles.delegate_city_id), None)
    if mine is None:
        raise PermissionDenied
    form = AnswerForm(request.POST or None, initial={"version": initiative.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.initiative_answer(
                initiative=initiative, city=mine.city, user=request.user,
                approve=form.cleaned_data["answer"] == "approve", comment=form.cleaned_data["comment"],
                version=form.cleaned_data["version"],
            )
        except services.InitiativeError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your city's answer is recorded."))
        return redirect(initiative)
    return redirect(initiative.get_absolute_url() + "#answer")


@member_required
@require_POST
def initiative_withdraw(request, initiative_id):
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    if not permissions.is_proposer(request.roles, initiative):
        raise PermissionDenied
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.initiative_withdraw(initiative=initiative, user=request.user,
                                     comment=form.cleaned_data.get("comment", ""))
    except services.InitiativeError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The initiative is withdrawn."))
    return redirect(initiative)


@member_required
@require_POST
def initiative_remind(request, initiative_id):
    if not request.roles.is_secretariat:
        raise PermissionDenied
    initiative = get_object_or_404(Initiative, pk=initiative_id)
    try:
        result = services.initiative_remind(initiative=initiative, user=request.user)
    except services.InitiativeError as error:
        messages.error(request, str(error))
    else:
        if result.reached:
            messages.success(request, _("A reminder is on its way to the delegates of %(cities)s.")
                             % {"cities": ", ".join(map(str, result.reached))})
        if result.unreachable:
            messages.warning(request, _("Nobody to email for %(cities)s: no delegate with an email address. Ask the "
                                        "city to name one (People).") % {"cities": ", ".join(map(str, result.unreachable))})
        if not (result.reached or result.unreachable):
            messages.info(request, _("Every city has answered: nobody to remind."))
    return redirect("initiatives:overview" if request.POST.get("next") == "overview" else initiative)
