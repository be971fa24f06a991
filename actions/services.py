"""Changes to action plans. Views, admin actions, commands and tasks all go through here."""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cities.access import require_secretariat
from cities.models import City

from .models import ActionPlan, ActionPoint, DeliveryStatus, FocusArea
from .plan_text import ParsedPlan


@dataclass
class ImportResult:
    plan: ActionPlan
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    not_in_file: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated)


def _save_if_changed(instance, values: dict, result: ImportResult, label: str) -> None:
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    if instance.pk is None:
        for name, value in values.items():
            setattr(instance, name, value)
        instance._change_reason = "Imported from plan text"
        instance.save()
        result.created.append(label)
    elif changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance._change_reason = "Updated from plan text"
        instance.save(update_fields=changed)
        result.updated.append(f"{label} ({', '.join(changed)})")


@transaction.atomic
def plan_import(*, parsed: ParsedPlan, status: str | None = None, progress=None) -> ImportResult:
    """Create the plan or bring it in line with the text. Unchanged rows are not saved, so a second
    import of the same text writes nothing, history included. Coordinating and partner cities are
    not in plan texts and are left as they are; focus areas and points missing from the text are
    kept (they may hold reports) and listed in the result."""
    plan = ActionPlan.objects.filter(title=parsed.title).first() or ActionPlan()
    result = ImportResult(plan=plan)
    plan_values = {
        "title": parsed.title,
        "first_year": parsed.first_year,
        "last_year": parsed.last_year,
        "introduction": parsed.introduction,
    }
    if plan.pk is None:
        plan_values["status"] = status or ActionPlan.Status.DRAFT
    elif status:
        plan_values["status"] = status
    _save_if_changed(plan, plan_values, result, f"plan {parsed.title}")

    areas = {area.number: area for area in plan.focus_areas.all()}
    points = {
        (point.focus_area.number, point.sequence): point
        for point in ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area")
    }
    for parsed_area in (progress or (lambda items, **kwargs: items))(parsed.areas, desc="Importing", unit="focus area"):
        area = areas.pop(parsed_area.number, None) or FocusArea(plan=plan, number=parsed_area.number)
        _save_if_changed(
            area, {"title": parsed_area.title, "description": parsed_area.description},
            result, f"focus area {parsed_area.number}",
        )
        for parsed_point in parsed_area.points:
            point = points.pop((parsed_point.focus_area, parsed_point.sequence), None) or ActionPoint(
                focus_area=area, sequence=parsed_point.sequence
            )
            _save_if_changed(point, {"text": parsed_point.text}, result, f"action point {parsed_point.number}")
    result.not_in_file = [f"focus area {number}" for number in sorted(areas)] + [
        f"action point {area}.{sequence}" for area, sequence in sorted(points)
    ]
    return result


class ActionPointConflict(Exception):
    def __init__(self, current):
        self.current = current
        super().__init__("The action point changed since it was opened.")


@transaction.atomic
def action_point_update(*, point: ActionPoint, version: int, coordinator_summary: str, user) -> ActionPoint:
    """The coordinator's summary; refused if someone saved in between. The row lock makes the version check
    and the write one step: of two at once, one wins. (The status is confirmed period by period:
    reports.services.confirm_point_status.)"""
    from cities.roles import roles_of
    from reports.permissions import can_update_action_point

    locked = ActionPoint.objects.select_for_update(of=("self",)).get(pk=point.pk)
    if not can_update_action_point(roles_of(user), locked):
        raise PermissionDenied(_("Only the coordinating city's delegate and the Secretariat update an action point."))
    if locked.version != version:
        raise ActionPointConflict(locked)
    locked.coordinator_summary = coordinator_summary
    locked.version += 1
    locked._history_user = user
    locked._change_reason = "Coordinator's update"
    locked.save(update_fields=["coordinator_summary", "version"])
    point.status, point.coordinator_summary, point.version = locked.status, locked.coordinator_summary, locked.version
    return point


# Running the plan (the Secretariat) --------------------------------------------------------------------


def _require_draft(plan_id: int) -> ActionPlan:
    plan = ActionPlan.objects.get(pk=plan_id)
    if plan.status != ActionPlan.Status.DRAFT:
        raise ValidationError(_("Only a draft plan's focus areas and action points can be rewritten."))
    return plan


@transaction.atomic
def point_assign(*, point: ActionPoint, coordinating_city: City | None, partner_cities, user,
                 text: str | None = None) -> ActionPoint:
    """The point's cities (current members only), and in a draft plan its text."""
    require_secretariat(user)
    if text is not None and text != ActionPoint.objects.values_list("text", flat=True).get(pk=point.pk):
        _require_draft(point.focus_area.plan_id)
        point.text = text
    partners = [city for city in partner_cities if city != coordinating_city]
    already = set(ActionPoint.objects.get(pk=point.pk).taking_part_ids())
    former = [city.name for city in [coordinating_city, *partners]
              if city is not None and not city.is_member and city.pk not in already]
    if former:
        raise ValidationError(_("%(cities)s left the network and cannot take on an action point.")
                              % {"cities": ", ".join(former)})
    point.coordinating_city = coordinating_city
    point.demo_assignment = False
    point._history_user = user
    point._change_reason = "Cities assigned by the Secretariat"
    point.save(update_fields=["coordinating_city", "demo_assignment", "text"])
    point.partner_cities.set(partners)
    return point


@transaction.atomic
def focus_area_rename(*, area: FocusArea, title: str, user) -> FocusArea:
    """A draft plan's focus area gets a new title."""
    require_secretariat(user)
    _require_draft(area.plan_id)
    area.title = title
    area._history_user = user
    area._change_reason = "Renamed in the draft plan"
    area.save(update_fields=["title"])
    return area


@transaction.atomic
def plan_adopt(*, plan: ActionPlan, user) -> ActionPlan:
    """The Secretariat adopts a draft plan: it becomes the current plan, and the adopted plan it
    follows becomes history (closed). The row lock makes two adopts at once one adoption: the second
    finds the plan adopted already and is refused."""
    require_secretariat(user)
    locked = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if locked.status != ActionPlan.Status.DRAFT:
        raise ValidationError(_("This plan is already %(status)s.") % {"status": locked.get_status_display().lower()})
    if not ActionPoint.objects.filter(focus_area__plan=locked).exists():
        raise ValidationError(_("A plan without action points cannot be adopted."))
    locked.status = ActionPlan.Status.ADOPTED
    locked._history_user = user
    locked._change_reason = "Adopted by the Secretariat"
    locked.save(update_fields=["status"])
    if locked.predecessor_id:
        predecessor = ActionPlan.objects.select_for_update().get(pk=locked.predecessor_id)
        if predecessor.status == ActionPlan.Status.ADOPTED:
            predecessor.status = ActionPlan.Status.CLOSED
            predecessor._history_user = user
            predecessor._change_reason = f"Followed by {locked.title}"
            predecessor.save(update_fields=["status"])
    plan.status = locked.status
    return locked


@transaction.atomic
def plan_start_successor(*, plan: ActionPlan, title: str, first_year: int, last_year: int, user) -> ActionPlan:
    """A draft plan copying `plan`'s focus areas and action points; each copied point `continues`
    the point it was copied from, so a point's record reads across plans."""
    require_secretariat(user)
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if ActionPlan.objects.filter(predecessor=plan).exists():
        raise ValidationError(_("This plan already has a successor."))
    successor = ActionPlan(
        title=title, first_year=first_year, last_year=last_year, status=ActionPlan.Status.DRAFT,
        introduction=plan.introduction, predecessor=plan,
    )
    successor.full_clean()
    successor._history_user = user
    successor._change_reason = f"Started from {plan.title}"
    successor.save()
    for area in plan.focus_areas.order_by("number").prefetch_related("action_points__partner_cities", "action_points__coordinating_city"):
        new_area = FocusArea(plan=successor, number=area.number, title=area.title, description=area.description)
        new_area._history_user = user
        new_area.save()
        for point in area.action_points.order_by("sequence"):
            # A city that has left the network is not carried into the new plan.
            coordinator = point.coordinating_city if point.coordinating_city and point.coordinating_city.is_member else None
            new_point = ActionPoint(
                focus_area=new_area, sequence=point.sequence, text=point.text,
                coordinating_city=coordinator, status=None,
                continues=point, demo_assignment=point.demo_assignment,
            )
            new_point._history_user = user
            new_point._change_reason = f"Continues {point.number} of {plan.title}"
            new_point.save()
            new_point.partner_cities.set([city for city in point.partner_cities.all() if city.is_member])
    return successor
