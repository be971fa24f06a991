"""What goes into a digest and a reminder, read with a fixed number of queries.

Everything is loaded plan-wide in a handful of queries and grouped in Python, so the number of
queries does not grow with the number of action points, reports or cities.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.auth import get_user_model
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPlan, ActionPoint, DeliveryStatus
from actions.selectors import taking_part_of
from baltmet.links import link
from cities.models import City, Membership, Role
from cities.roles import roles_of
from notifications.models import OutboxMessage
from reports import workflow
from reports.models import ProgressReport, ReportingPeriod, WorkflowState, current_period_of
from reports.rollup import rollups, worst_points
from reports.status import overall_status

from .models import DigestSubscription, Frequency

AT_RISK_STATUSES = (DeliveryStatus.AT_RISK, DeliveryStatus.DELAYED)
MAX_ATTENTION = 3  # what needs the reader: the few things they can act on, most pressing first
MAX_HAPPENED = 8  # what changed: the rest is a count and a link


@dataclass
class Attention:
    """Something that needs the reader, as a kind the template words: "overdue", "late_delegate",
    "at_risk", "returned", "consents" or "queue"."""

    kind: str
    count: int = 0
    city: City | None = None
    period: ReportingPeriod | None = None
    points: list = field(default_factory=list)  # point numbers
    people: list = field(default_factory=list)  # delegates named (only to their own city's Mayor)
    url: str = ""


@dataclass
class Happened:
    """Something that changed in the window: "status" (a point's overall status), "approved" (one of the
    reader's cities' reports), "others_approved" (a count), "initiative"."""

    kind: str
    point_number: str = ""
    old: str = ""
    new: str = ""
    city: City | None = None
    period: ReportingPeriod | None = None
    excerpt: str = ""
    count: int = 0
    title: str = ""
    url: str = ""


@dataclass
class Standing:
    """How one of the reader's cities stands against the plan."""

    city: City
    points: int = 0
    coordinates: int = 0
    statuses: list = field(default_factory=list)  # (status or "", label, n)
    period: ReportingPeriod | None = None
    expected: int = 0
    approved: int = 0
    submitted: int = 0
    missing: int = 0
    overdue: bool = False
    url: str = ""
    watch: list = field(default_factory=list)  # the few worst of its points' roll-ups (reports.rollup)


@dataclass
class Digest:
    recipient: object
    plan: ActionPlan | None
    cities: list
    since: datetime
    until: datetime
    attention: list = field(default_factory=list)
    happened: list = field(default_factory=list)
    more_happened: int = 0
    standings: list = field(default_factory=list)
    completed_in_network: list = field(default_factory=list)  # point numbers completed in the window
    at_risk_in_network: int = 0
    plan_url: str = ""

    @property
    def city_names(self):
        return ", ".join(city.name for city in self.cities)

    @property
    def is_empty(self):
        return not (self.attention or self.happened)


# Who wants a digest: whoever chose a rhythm, and Mayors who chose nothing (the default).
WANTS_DIGEST = (Q(digest_subscription__frequency__in=[Frequency.MONTHLY, Frequency.QUARTERLY])
                | Q(digest_subscription__isnull=True, memberships__role=Role.MAYOR))


def subscribers(*, only_email: str | None = None):
    """Active people with an address who get a digest, each with `digest_frequency` set."""
    users = (
        get_user_model().objects.filter(is_active=True).exclude(email="").filter(WANTS_DIGEST)
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


def digest_wanted_without_address() -> list:
    """Active people who would get a digest but have no email address: a run cannot reach them."""
    return list(get_user_model().objects.filter(is_active=True, email="").filter(WANTS_DIGEST).distinct()
                .order_by("last_name", "username"))


def cities_of(users) -> dict[int, list]:
    """{person id: the cities they take part in (as delegate, Mayor or observer), by name}, in one query."""
    cities = defaultdict(list)
    for membership in (Membership.objects.filter(user__in=users, city__isnull=False).select_related("city")
                       .order_by("city__name")):
        if membership.city not in cities[membership.user_id]:
            cities[membership.user_id].append(membership.city)
    return dict(cities)


@dataclass
class UnreachedCity:
    """A member city whose Mayor a digest run does not reach; `mayors` are (person, reason) with the
    reason "no_address" or "no_digest" (they chose none); no mayors at all means the city has none."""

    city: City
    mayors: list = field(default_factory=list)


def cities_unreached(*, reached_ids) -> list[UnreachedCity]:
    """The network's member cities none of whose Mayors is among `reached_ids` (the people a run
    reaches), each with why, in two queries."""
    mayors = defaultdict(list)
    for membership in (Membership.objects.filter(role=Role.MAYOR, user__is_active=True, city__left__isnull=True)
                       .select_related("user").order_by("user__last_name", "user__username")):
        mayors[membership.city_id].append(membership.user)
    unreached = []
    for city in City.objects.filter(left__isnull=True).order_by("name"):
        if any(person.pk in reached_ids for person in mayors[city.pk]):
            continue
        unreached.append(UnreachedCity(city=city, mayors=[
            (person, "no_address" if not person.email else "no_digest") for person in mayors[city.pk]]))
    return unreached


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


def workspace_url(city) -> str:
    return reverse("reports:workspace", args=[city.slug])


def _statuses_at(point_ids, moments):
    """{moment: {point id: the overall status the coordinator had set at that moment (or None)}}."""
    at = {moment: {} for moment in moments}
    for point_id, when, status in (
        ActionPoint.history.model.objects.filter(id__in=point_ids, history_date__lte=max(moments))
        .order_by("history_date", "history_id").values_list("id", "history_date", "status")
    ):
        for moment in moments:
            if when <= moment:
                at[moment][point_id] = status
    return at


@dataclass
class Network:
    """What every digest of one window reads alike, whoever it is for: the current plan, its points as at
    the window's end with their overall statuses, who takes part, the periods and the reports' states.
    Built once per window by a run (rendering.render_digests), not once per reader."""

    since: datetime
    until: datetime
    plan: object
    all_cities: dict
    points: list = field(default_factory=list)
    by_id: dict = field(default_factory=dict)
    taking_part: dict = field(default_factory=dict)
    status_at: dict = field(default_factory=dict)
    overall: dict = field(default_factory=dict)
    periods: list = field(default_factory=list)
    today: date | None = None
    due: list = field(default_factory=list)
    now_period: object = None
    relevant: set = field(default_factory=set)
    states: dict = field(default_factory=dict)
    rolled: dict = field(default_factory=dict)


def network_at(*, since: datetime, until: datetime, plan=None, periods=None) -> Network:
    """The reader-independent part of a digest of the window, in a fixed number of queries. `plan` (the
    current one) and `periods` (its periods in order) when the caller has read them already."""
    plan = plan if plan is not None else ActionPlan.objects.current()
    network = Network(since=since, until=until, plan=plan, all_cities={city.pk: city for city in City.objects.all()})
    if plan is None:
        return network
    points = list(ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area")
                  .only("pk", "sequence", "coordinating_city_id", "status", "focus_area__number")
                  .order_by("focus_area__number", "sequence"))
    by_id = {point.pk: point for point in points}
    taking_part = taking_part_of(points)
    status_at = _statuses_at(list(by_id), [since, until])
    approved_until = defaultdict(dict)  # point id -> city id -> delivery status of its latest approved report
    approved = list(  # (point id, city id, period id, delivery status), as at the window's end
        ProgressReport.objects.filter(action_point_id__in=list(by_id), state__in=workflow.PUBLIC_IN_NETWORK,
                                      reviewed_at__lte=until)
        .order_by("period__start").values_list("action_point_id", "city_id", "period_id", "delivery_status")
    )
    for point_id, city_id, _period_id, status in approved:
        approved_until[point_id][city_id] = status
    for point in points:  # as at the window's end: a later change is the next digest's
        point.status = status_at[until].get(point.pk, point.status)
    overall = {point.pk: overall_status(point, list(approved_until[point.pk].values())) for point in points}

    if periods is None:
        periods = ReportingPeriod.objects.filter(plan=plan).order_by("start")
    periods = list(periods)
    today = timezone.localdate(until)
    due = [period for period in periods if period.due_date < today]
    now_period = current_period_of(periods, today)
    # The periods a digest speaks of: the open ones past their due date, the last two due (a delegate
    # who missed both is named to their Mayor) and the current one.
    relevant = ({period.pk for period in due if not period.is_closed} | {period.pk for period in due[-2:]}
                | ({now_period.pk} if now_period else set()))
    states = {
        (point_id, city_id, period_id): state for point_id, city_id, period_id, state in
        ProgressReport.objects.filter(period_id__in=relevant).order_by()
        .values_list("action_point_id", "city_id", "period_id", "state")
    }
    network.points, network.by_id, network.taking_part, network.status_at = points, by_id, taking_part, status_at
    network.overall, network.periods, network.today, network.due = overall, periods, today, due
    network.now_period, network.relevant, network.states = now_period, relevant, states
    network.rolled = rollups(points, periods=periods, period=now_period, overall=overall, until=until,
                             approved=approved)
    return network


def digest_build(*, recipient, since: datetime, until: datetime | None = None, network: Network | None = None,
                 changes: bool = True) -> Digest:
    """A 30-second read for the person: what needs them (at most three things, most pressing first),
    what changed since their last digest (at most eight lines), how each of their cities stands against
    the plan, and a line on the network; everything as at `until` that they may see in the portal.
    A fixed number of queries whatever the size of the network; fewer with the window's `network`
    (network_at) already read. `changes=False` leaves out what changed, and its queries (the Mayor's
    workspace shows the rest; what changed is the email's)."""
    from initiatives.selectors import initiatives_approved_since, pending_consents_count

    until = until or timezone.now()
    if network is None or (network.since, network.until) != (since, until):
        network = network_at(since=since, until=until)
    roles = roles_of(recipient)
    city_ids = set(roles.city_ids)
    plan, all_cities = network.plan, network.all_cities
    cities = sorted((all_cities[pk] for pk in city_ids if pk in all_cities), key=lambda c: c.name)
    digest = Digest(recipient=recipient, plan=plan, since=since, until=until, cities=cities)
    if plan is None:
        return digest
    digest.plan_url = link("actions:plan", plan.pk)
    points, by_id, taking_part, status_at = network.points, network.by_id, network.taking_part, network.status_at
    overall, periods, today, due = network.overall, network.periods, network.today, network.due
    now_period, relevant, states = network.now_period, network.relevant, network.states

    def slots(city_id):
        return [pid for pid, cities_in in taking_part.items() if city_id in cities_in]

    def missing(period, city_id):
        return [pid for pid in slots(city_id) if states.get((pid, city_id, period.pk)) not in workflow.REPORTED]

    # What needs the reader -------------------------------------------------------------------------
    open_due = [period for period in due if not period.is_closed]
    late_delegates = {}
    if len(due) >= 2 and city_ids:
        late = {cid for cid in city_ids if all(missing(period, cid) for period in due[-2:])}
        for membership in (Membership.objects.filter(role=Role.DELEGATE, city_id__in=city_ids, user__is_active=True)
                           .select_related("user").order_by("user__last_name", "user__username")):
            if membership.city_id in late:
                late_delegates.setdefault(membership.city_id, []).append(membership.user)
    attention = []
    for city in cities:
        overdue = [(period, len(missing(period, city.pk))) for period in open_due if period.pk in relevant]
        overdue = [(period, n) for period, n in overdue if n]
        if overdue:  # a count and the oldest period, not a line per report
            oldest = overdue[0][0]
            attention.append(Attention("overdue", count=sum(n for _p, n in overdue), city=city, period=oldest,
                                       url=workspace_url(city) + f"?period={oldest.pk}"))
        if city.pk in late_delegates:
            names = [str(person) for person in late_delegates[city.pk]]
            attention.append(Attention("late_delegate", city=city, people=names,
                                       url=workspace_url(city)))
        risky = [point.number for point in points if point.coordinating_city_id == city.pk
                 and overall[point.pk].status in AT_RISK_STATUSES]
        if risky:
            attention.append(Attention("at_risk", count=len(risky), city=city, points=risky,
                                       url=workspace_url(city)))
        returned = sum(1 for (pid, cid, per), state in states.items()
                       if cid == city.pk and state == WorkflowState.RETURNED)
        if returned:
            attention.append(Attention("returned", count=returned, city=city,
                                       url=workspace_url(city)))
    for city_id, count in pending_consents_count(city_ids=city_ids).items():
        attention.append(Attention("consents", count=count, city=all_cities[city_id], url=link("initiatives:list")))
    if roles.is_secretariat or roles.is_chair:
        waiting = ProgressReport.objects.filter(period__plan=plan, state__in=workflow.AWAITING_REVIEW).count()
        if waiting:
            attention.append(Attention("queue", count=waiting, url=link("dashboard:queue")))
    order = ["overdue", "late_delegate", "queue", "at_risk", "returned", "consents"]
    digest.attention = sorted(attention, key=lambda item: order.index(item.kind))[:MAX_ATTENTION]

    # What changed since the last digest ----------------------------------------------------------
    if changes:
        mine = {pid for pid, cities_in in taking_part.items() if cities_in & city_ids} if city_ids else set(by_id)
        happened = []
        for point in points:
            before, after = status_at[since].get(point.pk), status_at[until].get(point.pk)
            if point.pk in mine and before != after and after:
                happened.append(Happened("status", point_number=point.number,
                                         url=link("actions:action_point", point.pk),
                                         old=DeliveryStatus(before).label if before else str(_("no status")),
                                         new=DeliveryStatus(after).label))
        others_approved = 0
        for report in (ProgressReport.objects.filter(action_point_id__in=list(mine), state=WorkflowState.APPROVED,
                                                     reviewed_at__gt=since, reviewed_at__lte=until)
                       .only("pk", "action_point_id", "city_id", "period_id", "summary")
                       .order_by("reviewed_at", "pk")):
            if report.city_id in city_ids or not city_ids:
                happened.append(Happened(
                    "approved", point_number=by_id[report.action_point_id].number, city=all_cities[report.city_id],
                    period=next((p for p in periods if p.pk == report.period_id), None),
                    excerpt=Truncator(report.summary).words(15), url=link("reports:report", report.pk)))
            else:
                others_approved += 1
        if others_approved:
            happened.append(Happened("others_approved", count=others_approved, url=digest.plan_url))
        for initiative in initiatives_approved_since(city_ids=city_ids, since=since, until=until):
            happened.append(Happened("initiative", title=initiative.title,
                                     url=link("initiatives:detail", initiative.pk)))
        digest.happened, digest.more_happened = happened[:MAX_HAPPENED], max(0, len(happened) - MAX_HAPPENED)

    # How each of the reader's cities stands --------------------------------------------------------
    shown = open_due[-1] if open_due else now_period
    for city in cities:
        own = slots(city.pk)
        counts = defaultdict(int)
        for pid in own:
            counts[overall[pid].status or ""] += 1
        standing = Standing(city=city, points=len(own), url=workspace_url(city),
                            watch=worst_points([by_id[pid] for pid in own], network.rolled),
                            coordinates=sum(1 for pid in own if by_id[pid].coordinating_city_id == city.pk),
                            statuses=[(value, label, counts[value]) for value, label in
                                      [*DeliveryStatus.choices, ("", _("No status yet"))] if counts[value]])
        if shown is not None:
            in_period = [states.get((pid, city.pk, shown.pk)) for pid in own]
            standing.period, standing.expected = shown, len(own)
            standing.approved = in_period.count(WorkflowState.APPROVED)
            standing.submitted = in_period.count(WorkflowState.SUBMITTED)
            standing.missing = standing.expected - standing.approved - standing.submitted
            standing.overdue = shown.due_date < today and standing.missing > 0
        digest.standings.append(standing)

    # The network, in a line --------------------------------------------------------------------------
    digest.completed_in_network = [
        point.number for point in points
        if status_at[until].get(point.pk) == DeliveryStatus.COMPLETED
        and status_at[since].get(point.pk) != DeliveryStatus.COMPLETED
    ]
    digest.at_risk_in_network = sum(1 for point in points if overall[point.pk].status in AT_RISK_STATUSES)
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


def waiting_for_coordinator(*, period_ids) -> list[tuple[int, int, int, int]]:
    """[(point id, partner city id, period id, coordinating city id)] of the partner reports of these
    periods waiting for their coordinating city (two-step review)."""
    return list(ProgressReport.objects.filter(period_id__in=period_ids, state__in=workflow.AWAITING_COORDINATOR)
                .order_by("pk").values_list("action_point_id", "city_id", "period_id",
                                            "action_point__coordinating_city_id"))


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


def latest_digest(user):
    """The last digest the person was actually sent (for the link on their landing page), or None."""
    from notifications.models import Kind, OutboxMessage

    return (OutboxMessage.objects.filter(recipient=user, kind=Kind.DIGEST, status=OutboxMessage.Status.SENT)
            .order_by("-sent_at", "-pk").first())
