"""What goes into a digest and a reminder, read with a fixed number of queries.

Everything is loaded plan-wide in a handful of queries and grouped in Python, so the number of
queries does not grow with the number of action points, reports or cities.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from types import SimpleNamespace
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from actions.models import ActionPlan, ActionPoint, DeliveryStatus
from cities.models import City, Membership, Role
from cities.roles import roles_of
from notifications.models import OutboxMessage
from reports import workflow
from reports.models import ProgressReport, ReportingPeriod, WorkflowState
from reports.permissions import can_view_report

from .models import DigestSubscription, Frequency

AT_RISK_STATUSES = (DeliveryStatus.AT_RISK, DeliveryStatus.DELAYED)


class Change(NamedTuple):
    """One thing that happened to a point. Named, not indexed: templates reading `change.0` on a
    plain tuple take Django's slow path (a failed attribute lookup and a dir()) every time."""

    kind: str  # "status", "summary" or "report"
    old: str
    new: str


@dataclass
class PointLine:
    point: ActionPoint
    coordinates: bool
    cities: list  # the recipient's cities taking part
    status_before: str | None
    changes: list = field(default_factory=list)

    @property
    def status_changed(self):
        return self.status_before is not None and self.status_before != self.point.status

    @property
    def status_before_label(self):
        return DeliveryStatus(self.status_before).label if self.status_before else ""


@dataclass
class OverdueItem:
    point: ActionPoint
    city: City
    period: ReportingPeriod
    state: str  # "" when no report was started

    @property
    def state_label(self):
        return WorkflowState(self.state).label if self.state else ""


@dataclass
class CityShare:
    city: City
    approved: int
    expected: int

    @property
    def percent(self):
        return round(100 * self.approved / self.expected) if self.expected else 0


@dataclass
class Digest:
    recipient: object
    plan: ActionPlan | None
    cities: list
    since: datetime
    until: datetime
    points: list = field(default_factory=list)
    approved: list = field(default_factory=list)
    overdue: list = field(default_factory=list)
    newly_completed: list = field(default_factory=list)
    at_risk: list = field(default_factory=list)
    share_period: ReportingPeriod | None = None
    shares: list = field(default_factory=list)
    missing_deadlines: list = field(default_factory=list)  # (delegate, city)
    initiatives: list = field(default_factory=list)

    @property
    def city_names(self):
        return ", ".join(city.name for city in self.cities)

    @property
    def changed_points(self):
        return [line for line in self.points if line.changes]

    @property
    def is_empty(self):
        return not (self.points or self.approved or self.overdue or self.newly_completed or self.at_risk)


def subscribers(*, only_email: str | None = None):
    """Active people with an address who get a digest, each with `digest_frequency` set."""
    users = (
        get_user_model().objects.filter(is_active=True).exclude(email="")
        .filter(
            Q(digest_subscription__frequency__in=[Frequency.MONTHLY, Frequency.QUARTERLY])
            | Q(digest_subscription__isnull=True, memberships__role=Role.MAYOR)
        )
        .select_related("digest_subscription").distinct().order_by("pk")
    )
    if only_email:
        users = users.filter(email__iexact=only_email)
    result = []
    for user in users:
        subscription = getattr(user, "digest_subscription", None)
        user.digest_frequency = subscription.frequency if subscription else Frequency.MONTHLY
        result.append(user)
    return result


def frequency_of(user) -> str:
    subscription = DigestSubscription.objects.filter(user=user).first()
    if subscription:
        return subscription.frequency
    is_mayor = Membership.objects.filter(user=user, role=Role.MAYOR).exists()
    return Frequency.MONTHLY if is_mayor else Frequency.NONE


def last_window_ends(users) -> dict[int, datetime]:
    """{person id: where the last digest they were sent ended}, for people who had one."""
    return dict(
        OutboxMessage.objects.filter(recipient__in=users, kind="digest", status=OutboxMessage.Status.SENT,
                                     window_end__isnull=False)
        .order_by().values("recipient_id").annotate(end=Max("window_end")).values_list("recipient_id", "end")
    )


def _history_status_at(moment, name="before"):
    """The point's status (or summary) in its last history row at `moment`, else in its first one after,
    as `status_<name>` and `summary_<name>`."""
    history = ActionPoint.history.model.objects

    def at(column):
        before = history.filter(id=OuterRef("pk"), history_date__lte=moment).order_by("-history_date", "-history_id")
        after = history.filter(id=OuterRef("pk"), history_date__gt=moment).order_by("history_date", "history_id")
        return Coalesce(Subquery(before.values(column)[:1]), Subquery(after.values(column)[:1]))

    return {f"status_{name}": at("status"), f"summary_{name}": at("coordinator_summary")}


def _initiatives_since(city_ids, since):
    # Built by the initiatives app; a digest simply leaves the section out until it exists.
    try:
        from initiatives import selectors as initiative_selectors
    except ImportError:
        return []
    if not hasattr(initiative_selectors, "initiatives_approved_since"):
        return []
    return list(initiative_selectors.initiatives_approved_since(city_ids=city_ids, since=since))


def digest_build(*, recipient, since: datetime, until: datetime | None = None) -> Digest:
    until = until or timezone.now()
    roles = roles_of(recipient)
    city_ids = set(roles.city_ids)
    plan = ActionPlan.objects.current()
    all_cities = {city.pk: city for city in City.objects.all()}
    digest = Digest(
        recipient=recipient, plan=plan, since=since, until=until,
        cities=sorted((all_cities[pk] for pk in city_ids if pk in all_cities), key=lambda c: c.name),
    )
    if plan is None:
        return digest

    points = list(
        ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area", "coordinating_city")
        .annotate(**_history_status_at(since), **_history_status_at(until, "until"))
        .order_by("focus_area__number", "sequence")
    )
    for point in points:
        # As at the window's end: a change made after it (while the run writes the digests, say)
        # belongs to the next digest, which starts there, and must not be told twice.
        if point.status_until is not None:
            point.status, point.coordinator_summary = point.status_until, point.summary_until or ""
    taking_part = ActionPoint.objects.filter(focus_area__plan=plan).taking_part()
    by_id = {p.pk: p for p in points}

    for point in points:
        mine = taking_part[point.pk] & city_ids
        if not mine:
            continue
        line = PointLine(
            point=point, coordinates=point.coordinating_city_id in city_ids,
            cities=sorted((all_cities[c] for c in mine), key=lambda c: c.name), status_before=point.status_before,
        )
        if line.status_changed:
            line.changes.append(Change("status", line.status_before_label, point.get_status_display()))
        if (point.summary_before or "") != point.coordinator_summary:
            line.changes.append(Change("summary", "", ""))
        digest.points.append(line)
    lines = {line.point.pk: line for line in digest.points}

    periods = list(ReportingPeriod.objects.filter(plan=plan).order_by("start"))
    periods_by_id = {period.pk: period for period in periods}

    # What happened to reports on the recipient's points during the window, from their history rows:
    # each report's last state in the window, told only if the recipient may see the report so
    # (reports.permissions: the same rule as the pages).
    last_state = {}
    for row in (
        ProgressReport.history.model.objects.filter(
            action_point_id__in=list(lines), history_date__gt=since, history_date__lte=until,
        ).order_by("history_date", "history_id").values("id", "action_point_id", "city_id", "period_id", "state")
    ):
        last_state[row["id"]] = row
    for row in last_state.values():
        seen = can_view_report(roles, SimpleNamespace(state=row["state"], city_id=row["city_id"]))
        if seen and row["city_id"] in all_cities and row["period_id"] in periods_by_id:
            lines[row["action_point_id"]].changes.append(Change(
                "report", f"{all_cities[row['city_id']]} · {periods_by_id[row['period_id']]}",
                WorkflowState(row["state"]).label,
            ))

    digest.approved = list(
        ProgressReport.objects.filter(
            city_id__in=city_ids, period__plan=plan, state=WorkflowState.APPROVED,
            reviewed_at__gt=since, reviewed_at__lte=until,
        ).select_related("action_point__focus_area", "city", "period")
        .order_by("action_point__focus_area__number", "action_point__sequence", "city__name")
    )

    # Overdue: slots whose period's due date has passed without a submitted or approved report.
    today = timezone.localdate(until)
    due = [period for period in periods if period.due_date < today]
    relevant = {period.pk for period in due if not period.is_closed} | {period.pk for period in due[-2:]}
    reports = {}
    # .order_by(): the model's default ordering would join four tables just to sort these rows.
    for point_id, city_id, period_id, state in (
        ProgressReport.objects.filter(period_id__in=relevant).order_by()
        .values_list("action_point_id", "city_id", "period_id", "state")
    ):
        reports[(point_id, city_id, period_id)] = state

    def missing(period_id, city_id):
        return [
            (pid, reports.get((pid, city_id, period_id), "")) for pid, cities_in in taking_part.items()
            if city_id in cities_in and reports.get((pid, city_id, period_id)) not in workflow.REPORTED
        ]

    for period in due:
        if period.pk not in relevant or period.is_closed:
            continue
        for city in digest.cities:
            for point_id, state in missing(period.pk, city.pk):
                digest.overdue.append(OverdueItem(point=by_id[point_id], city=city, period=period, state=state))

    # A delegate is named when their city missed deadlines in each of the last two due periods.
    # (Queried whether or not anybody is late, so that the number of queries stays the same.)
    if len(due) >= 2 and city_ids:
        late_cities = {city_id for city_id in city_ids if all(missing(period.pk, city_id) for period in due[-2:])}
        digest.missing_deadlines = [
            (membership.user, all_cities[membership.city_id]) for membership in
            Membership.objects.filter(role=Role.DELEGATE, city_id__in=city_ids, user__is_active=True)
            .select_related("user").order_by("city__name", "user__last_name", "user__username")
            if membership.city_id in late_cities
        ]

    # The network: completions in the window, points at risk, and who has reported for the last due period.
    digest.newly_completed = [
        p for p in points if p.status == DeliveryStatus.COMPLETED and p.status_before != DeliveryStatus.COMPLETED
    ]
    digest.at_risk = [p for p in points if p.status in AT_RISK_STATUSES]
    digest.share_period = due[-1] if due else ReportingPeriod.objects.current(plan, today=today)
    if digest.share_period is not None:
        # Approved reports only: they are what every member of the network may see of every city.
        share_id = digest.share_period.pk
        if share_id in relevant:
            approved_slots = {key for key, state in reports.items() if key[2] == share_id and state in workflow.PUBLIC_IN_NETWORK}
        else:
            approved_slots = {
                (pid, cid, share_id) for pid, cid in ProgressReport.objects.filter(
                    period_id=share_id, state__in=workflow.PUBLIC_IN_NETWORK).order_by().values_list("action_point_id", "city_id")
            }
        expected = defaultdict(int)
        approved = defaultdict(int)
        for point_id, cities_in in taking_part.items():
            for city_id in cities_in:
                expected[city_id] += 1
                approved[city_id] += (point_id, city_id, share_id) in approved_slots
        digest.shares = [
            CityShare(city=city, approved=approved[city.pk], expected=expected[city.pk])
            for city in sorted(all_cities.values(), key=lambda c: c.name) if city.is_member or expected[city.pk]
        ]

    digest.initiatives = _initiatives_since(sorted(city_ids), since)
    return digest


# Reminders ---------------------------------------------------------------------------------------


@dataclass
class ReminderObjects:
    points: dict
    cities: dict
    periods: dict


def reminder_objects(*, point_ids, city_ids, period_ids) -> ReminderObjects:
    """The points, cities and periods reminder emails name, in three queries."""
    return ReminderObjects(
        points={p.pk: p for p in ActionPoint.objects.filter(pk__in=point_ids).select_related("focus_area")},
        cities={c.pk: c for c in City.objects.filter(pk__in=city_ids)},
        periods={p.pk: p for p in ReportingPeriod.objects.filter(pk__in=period_ids)},
    )


def open_report_slots(*, plan, periods, city_ids=None) -> dict:
    """{(point_id, city_id, period_id): state or ""} for every slot of `periods` without a report in."""
    taking_part = ActionPoint.objects.filter(focus_area__plan=plan).taking_part()
    period_ids = [period.pk for period in periods]
    states = {
        (pid, cid, per): state for pid, cid, per, state in ProgressReport.objects.filter(period_id__in=period_ids)
        .order_by().values_list("action_point_id", "city_id", "period_id", "state")
    }
    slots = {}
    for period_id in period_ids:
        for point_id, cities_in in taking_part.items():
            for city_id in cities_in:
                if city_ids is not None and city_id not in city_ids:
                    continue
                state = states.get((point_id, city_id, period_id), "")
                if state not in workflow.REPORTED:
                    slots[(point_id, city_id, period_id)] = state
    return slots


def reminder_stage(*, due_date: date, today: date) -> str | None:
    days_late = (today - due_date).days
    if -7 <= days_late <= 0:
        return "due_soon"
    if days_late >= 30:
        return "overdue_30"
    if days_late >= 7:
        return "overdue_7"
    if days_late >= 1:
        return "overdue_1"
    return None
