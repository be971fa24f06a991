"""Digests and reminders: who is due, written into the outbox (notifications/) which sends each once.

Digests: beat's run (or the Secretariat's button) finds everybody due for the current month or
quarter, builds each digest as at the run's moment (once per group of people who get the same one:
rendering.py) and writes one outbox message per person under the key "digest:<period>:u<person>" —
so a second run, a second beat or a retried task writes nothing new. The next digest starts where the
last one sent ended.

Reminders, one engine for both ways they are asked for: every morning (`reminders_fan_out`) each
delegate gets at most one email listing the reports of their city that are due within 7 days or 1, 7
or 30 days overdue and that they were not yet reminded of at that stage; the Secretariat's button
(`reminders_request`) reminds the delegates of chosen cities of a period's missing reports at once,
but not twice within an hour. Both write ReminderItems (what was reminded, to whom) with the message.
"""

import logging
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from actions.models import ActionPlan
from actions.selectors import milestone_reminder_cities, overdue_milestones_by_city
from cities.access import may_manage
from cities.models import City, Membership, Role
from cities.roles import read_roles, roles_of
from notifications.emails import render_email
from notifications.models import OutboxMessage
from notifications.services import outbox_write
from reports.models import ReportingPeriod

from . import selectors
from .models import DigestSubscription, Frequency, ReminderItem, ReminderStage
from .rendering import DigestFor, render_digests

logger = logging.getLogger(__name__)

PREFERENCES_SALT = "digests.preferences"
REQUESTED_QUIET = timedelta(hours=1)
DIGEST = "digest"
REMINDER = "reminder"


# Periods -----------------------------------------------------------------------------------------


def period_key(*, frequency: str, when: datetime | None = None) -> str:
    today = timezone.localdate(when or timezone.now())
    if frequency == Frequency.QUARTERLY:
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return f"{today.year}-{today.month:02d}"


def default_since(*, frequency: str, until: datetime) -> datetime:
    return until - timedelta(days=92 if frequency == Frequency.QUARTERLY else 31)


def digest_key(*, period: str, recipient_id: int, copy: int = 0) -> str:
    return f"{DIGEST}:{period}:u{recipient_id}" + (f":copy{copy}" if copy else "")


# Signed links ------------------------------------------------------------------------------------


def preferences_token(*, user) -> str:
    # No timestamp: the link in an old digest keeps working, and the same person always gets the same link.
    return signing.Signer(salt=PREFERENCES_SALT).sign_object({"u": user.pk})


def preferences_user_id(*, token: str) -> int | None:
    """The person a link was made for, or None when the link is forged or damaged."""
    try:
        data = signing.Signer(salt=PREFERENCES_SALT).unsign_object(token)
    except signing.BadSignature:
        return None
    return data.get("u") if isinstance(data, dict) else None


def preferences_url(user) -> str:
    return settings.SITE_URL + reverse("digests:preferences", args=[preferences_token(user=user)])


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse("digests:unsubscribe", args=[preferences_token(user=user)])


@transaction.atomic
def subscription_set(*, user, frequency: str) -> DigestSubscription:
    subscription, created = DigestSubscription.objects.select_for_update().get_or_create(
        user=user, defaults={"frequency": frequency},
    )
    if not created and subscription.frequency != frequency:
        subscription.frequency = frequency
        subscription.save()
    return subscription


# Digests -----------------------------------------------------------------------------------------


@dataclass
class Planned:
    message: OutboxMessage
    created: bool


def digests_plan(*, now: datetime | None = None, only_email: str | None = None, period: str | None = None):
    """Who is due for which digest: [(user, frequency, period key)], without writing anything."""
    now = now or timezone.now()
    plan = []
    for user in selectors.subscribers(only_email=only_email):
        frequency = user.digest_frequency
        if period and ("Q" in period) != (frequency == Frequency.QUARTERLY):
            if only_email is None:
                continue  # a named period is for the people on that rhythm, unless one person is chosen
        plan.append((user, frequency, period or period_key(frequency=frequency, when=now)))
    return plan


def _digest_messages(items: list[DigestFor], keys: list[str]) -> list[OutboxMessage]:
    messages = []
    for item, key, rendered in zip(items, keys, render_digests(items, preferences_url=preferences_url), strict=True):
        messages.append(OutboxMessage(
            key=key, kind=DIGEST, recipient=item.recipient, to=item.recipient.email, subject=rendered.subject[:300],
            body_text=rendered.text, body_html=rendered.html, window_start=item.since, window_end=item.until,
            headers={"List-Unsubscribe": f"<{unsubscribe_url(item.recipient)}>",
                     "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
        ))
    return messages


@dataclass
class RunEntry:
    """One person a digest run reaches: the digest it would write for them (`item`, under `key`), or,
    when they already have this period's, nothing (`item` None; `existing` is that message)."""

    recipient: object
    frequency: str
    period_key: str
    key: str
    item: DigestFor | None = None
    existing: OutboxMessage | None = None
    cities: list = field(default_factory=list)  # filled in for the Secretariat's list only

    @property
    def frequency_label(self) -> str:
        return Frequency(self.frequency).label


def digests_run_plan(*, now: datetime | None = None, only_email: str | None = None,
                     period: str | None = None) -> list[RunEntry]:
    """What a run at `now` would do for each person due, without building or writing anything: the
    run itself (digests_fan_out) and the Secretariat's preview both start from this. A fixed number
    of queries, except for copies resent on purpose (`period`), which count each person's copies."""
    now = now or timezone.now()
    due = digests_plan(now=now, only_email=only_email, period=period)
    users = [user for user, _frequency, _key in due]
    existing = {m.key: m for m in OutboxMessage.objects.filter(kind=DIGEST, recipient__in=users)
                .filter(key__in=[digest_key(period=key, recipient_id=user.pk) for user, _f, key in due])}
    last_ends = selectors.last_window_ends(users)
    entries = []
    for user, frequency, key in due:
        first_key = digest_key(period=key, recipient_id=user.pk)
        first = existing.get(first_key)
        if period is None and first is not None:
            entries.append(RunEntry(user, frequency, key, first_key, existing=first))
            continue
        since, until = last_ends.get(user.pk) or default_since(frequency=frequency, until=now), now
        copy = 0
        if first is not None:  # resent on purpose: the same window as the first copy
            copy = OutboxMessage.objects.filter(Q(key=first_key) | Q(key__startswith=f"{first_key}:copy")).count()
            since, until = first.window_start or since, first.window_end or until
        item = DigestFor(recipient=user, frequency=frequency, period_key=key, since=since, until=until)
        entries.append(RunEntry(user, frequency, key, digest_key(period=key, recipient_id=user.pk, copy=copy),
                                item=item, existing=first))
    return entries


@transaction.atomic
def digests_fan_out(*, now: datetime | None = None, only_email: str | None = None, period: str | None = None,
                    queue: bool = True) -> list[Planned]:
    """Write each due person's digest of the current period (or of `period`, resent on purpose as a new
    copy) into the outbox. Running it twice writes nothing new. Every new digest's window ends at this
    run's moment, so people on the same rhythm share a window (and a build)."""
    entries = digests_run_plan(now=now, only_email=only_email, period=period)
    planned = [Planned(entry.existing, False) for entry in entries if entry.item is None]
    new = [entry for entry in entries if entry.item is not None]
    written = outbox_write(_digest_messages([e.item for e in new], [e.key for e in new]), queue=queue)
    planned += [Planned(message, True) for message in written]
    if queue:  # digests still pending from an earlier run (their task lost): send them now too
        from notifications.services import queue_after_commit

        queue_after_commit([p.message.pk for p in planned if not p.created and p.message.status == "pending"])
    return planned


def digests_send_now(*, user) -> int:
    """The Secretariat's button: the current period's digests for everybody due who has not had one. The
    run goes to a worker (building a thousand digests takes a few seconds); with the broker unreachable
    it runs here. Returns how many people are due."""
    from .tasks import fan_out_digests

    if not may_manage(roles_of(user)):
        raise PermissionDenied(_("Only the Secretariat sends digests."))
    try:
        fan_out_digests.delay()
    except Exception:  # the broker is unreachable: build them now; the outbox's sweep sends them
        logger.warning("Could not queue the digest run; running it in the request", exc_info=True)
        digests_fan_out()
    return len(digests_plan())


# The Secretariat's preview of a run ---------------------------------------------------------------


@dataclass
class RunPreview:
    """Who the current period's run would reach, as at `now`, and who it cannot."""

    now: datetime
    entries: list  # RunEntry, ordered by name, each with its person's cities
    without_address: list  # people who would get a digest but have no email address
    unreached_cities: list  # selectors.UnreachedCity: member cities whose Mayor the run does not reach

    @property
    def to_write(self):
        return [entry for entry in self.entries if entry.item is not None]

    @property
    def already_have(self):
        return [entry for entry in self.entries if entry.item is None]


def digests_run_preview(*, now: datetime | None = None) -> RunPreview:
    """The recipient list the Secretariat sees before a run; nothing is built, written or queued, and
    the number of queries does not grow with the number of people or cities."""
    now = now or timezone.now()
    entries = digests_run_plan(now=now)
    entries.sort(key=lambda e: ((e.recipient.last_name or e.recipient.username).lower(), e.recipient.pk))
    cities = selectors.cities_of([entry.recipient for entry in entries])
    for entry in entries:
        entry.cities = cities.get(entry.recipient.pk, [])
    reached = {entry.recipient.pk for entry in entries}
    return RunPreview(now=now, entries=entries,
                      without_address=selectors.digest_wanted_without_address(),
                      unreached_cities=selectors.cities_unreached(reached_ids=reached))


@dataclass
class DigestPreview:
    """One person's part of the run: `message` is the outbox row the run would write for them, built by
    the run's own code and saved nowhere; None when they already have this period's digest."""

    entry: RunEntry
    message: OutboxMessage | None


def digest_preview(*, recipient, now: datetime | None = None) -> DigestPreview | None:
    """What the current period's run would write for the person if it ran at `now` (None: the run does
    not reach them). Nothing is written, queued or sent."""
    if not recipient.email:
        return None
    entries = [e for e in digests_run_plan(now=now, only_email=recipient.email) if e.recipient.pk == recipient.pk]
    if not entries:
        return None
    [entry] = entries
    if entry.item is None:
        return DigestPreview(entry=entry, message=None)
    return DigestPreview(entry=entry, message=_digest_messages([entry.item], [entry.key])[0])


# Reminders ---------------------------------------------------------------------------------------


def _reminder_messages(todo: dict, users: dict, *, key: str, plan, today=None, sender=None, queue: bool = True,
                       reviews: frozenset = frozenset()) -> list[OutboxMessage]:
    """One message per delegate listing their items; the ReminderItems are written with it.
    `reviews`: the (user, point, city, period) items that are a partner's report waiting for the user
    as coordinator (two-step review), listed apart from the reports the user's city owes.
    Each message also lists the plan's overdue milestones of the delegate's city (read for all at once)."""
    today = today or timezone.localdate()
    read_roles(users.values())
    city_of = {user_id: roles_of(users[user_id]).delegate_city_id for user_id in todo}
    overdue = overdue_milestones_by_city(plan=plan, today=today,
                                         city_ids={city for city in city_of.values() if city is not None})
    point_ids = {point for items in todo.values() for point, _city, _period, _stage in items}
    lookup = selectors.reminder_objects(point_ids=point_ids,
                                        city_ids={c for items in todo.values() for _p, c, _pe, _s in items},
                                        period_ids={pe for items in todo.values() for _p, _c, pe, _s in items})
    written = []
    for user_id, items in todo.items():
        user = users[user_id]
        rows = [ReminderItem(recipient=user, action_point=lookup.points[p], city=lookup.cities[c],
                             period=lookup.periods[pe], stage=stage) for p, c, pe, stage in items]
        rows.sort(key=lambda r: (r.period.due_date, r.action_point.focus_area.number, r.action_point.sequence,
                                 r.city.name))
        waiting = [r for r in rows if (user.pk, r.action_point.pk, r.city.pk, r.period.pk) in reviews]
        owed = [r for r in rows if r not in waiting]
        late = overdue.get(city_of[user_id], [])
        if not rows and not late:
            continue
        rendered = render_email("reminder", {"items": owed, "to_review": waiting, "count": len(rows),
                                             "milestones": late, "recipient": user, "sender": sender,
                                             "today": today},
                                language=user.language, time_zone=user.time_zone)
        message = OutboxMessage(key=f"{key}:u{user.pk}", kind=REMINDER, recipient=user, to=user.email,
                                subject=rendered.subject[:300], body_text=rendered.text, body_html=rendered.html)
        if outbox_write([message], queue=queue):
            for row in rows:
                row.message = message
            bulk_create_with_history(rows, ReminderItem, default_user=sender)
            written.append(message)
    return written


def _delegates_by_city() -> dict[int, list]:
    delegates = defaultdict(list)
    for membership in Membership.objects.filter(role=Role.DELEGATE, user__is_active=True).exclude(
        user__email=""
    ).select_related("user").order_by("user_id"):
        delegates[membership.city_id].append(membership.user)
    return delegates


@transaction.atomic
def reminders_fan_out(*, today=None, queue: bool = True) -> list[OutboxMessage]:
    """Every morning: one email at most per delegate, listing every report of their city that is due
    within 7 days or 1, 7 or 30 days overdue and that they were not reminded of at that stage yet."""
    today = today or timezone.localdate()
    plan = ActionPlan.objects.current()
    if plan is None:
        return []
    periods = [
        period for period in ReportingPeriod.objects.filter(plan=plan, is_closed=False).order_by("start")
        if selectors.reminder_stage(due_date=period.due_date, today=today)
    ]
    stages = {period.pk: selectors.reminder_stage(due_date=period.due_date, today=today) for period in periods}
    slots = selectors.open_report_slots(plan=plan, periods=periods) if periods else {}
    delegates = _delegates_by_city()
    already = set(
        ReminderItem.objects.filter(period_id__in=list(stages)).exclude(stage=ReminderStage.REQUESTED)
        .order_by().values_list("recipient_id", "action_point_id", "city_id", "period_id", "stage")
    )
    todo, users = defaultdict(list), {}
    for point_id, city_id, period_id in sorted(slots):
        for user in delegates.get(city_id, []):
            if (user.pk, point_id, city_id, period_id, stages[period_id]) not in already:
                todo[user.pk].append((point_id, city_id, period_id, stages[period_id]))
                users[user.pk] = user
    # Two-step review: a partner's report waiting for its coordinator is the coordinator's to do.
    reviews = set()
    for point_id, city_id, period_id, coordinator_id in selectors.waiting_for_coordinator(period_ids=list(stages)):
        for user in delegates.get(coordinator_id, []):
            if (user.pk, point_id, city_id, period_id, stages[period_id]) not in already:
                todo[user.pk].append((point_id, city_id, period_id, stages[period_id]))
                users[user.pk] = user
                reviews.add((user.pk, point_id, city_id, period_id))
    # A milestone 1, 7 or 30 days late brings its cities' delegates a reminder even with no report to remind of.
    for city_id in milestone_reminder_cities(plan=plan, today=today):
        for user in delegates.get(city_id, []):
            todo.setdefault(user.pk, [])
            users[user.pk] = user
    # The key holds the day: a second run the same day writes nothing; the rest waits for tomorrow.
    return _reminder_messages(todo, users, key=f"{REMINDER}:{today.isoformat()}", plan=plan, today=today,
                              queue=queue, reviews=frozenset(reviews))


@dataclass
class RemindResult:
    sent: int  # emails written
    reminded: list  # cities whose delegates were emailed
    unreachable: list  # cities with missing reports but no delegate with an email address
    quiet: list  # cities whose delegates were all reminded within the hour


@transaction.atomic
def reminders_request(*, period: ReportingPeriod, user, city_ids=None) -> RemindResult:
    """The Secretariat's button: remind the delegates of the chosen cities (every city by default) of
    the period's reports still missing. A delegate reminded in the last hour is skipped, so a double
    click or two secretaries at once do not nag twice (the period's row lock serialises them)."""
    if not may_manage(roles_of(user)):
        raise PermissionDenied(_("Only the Secretariat sends reminders."))
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed:
        raise ValidationError(_("The period is closed: its reports can no longer be written."))
    now = timezone.now()
    if city_ids is None:
        city_ids = City.objects.filter(left__isnull=True).values_list("pk", flat=True)
    slots = selectors.open_report_slots(plan=period.plan, periods=[period], city_ids=set(city_ids))
    delegates = _delegates_by_city()
    recently = set(
        OutboxMessage.objects.filter(kind=REMINDER, created__gte=now - REQUESTED_QUIET, recipient__isnull=False)
        .values_list("recipient_id", flat=True)
    )
    todo, users = defaultdict(list), {}
    cities_missing = sorted({city_id for _point, city_id, _period in slots})
    for point_id, city_id, period_id in sorted(slots):
        for person in delegates.get(city_id, []):
            if person.pk not in recently:
                todo[person.pk].append((point_id, city_id, period_id, ReminderStage.REQUESTED))
                users[person.pk] = person
    written = _reminder_messages(todo, users, key=f"{REMINDER}:requested:{period.pk}:{now.isoformat()}",
                                 plan=period.plan, sender=user)
    names = {city.pk: city for city in City.objects.filter(pk__in=cities_missing)}
    reached = {city_id for items in todo.values() for _p, city_id, _pe, _s in items}
    return RemindResult(
        sent=len(written),
        reminded=[names[c] for c in cities_missing if c in reached],
        unreachable=[names[c] for c in cities_missing if not delegates.get(c)],
        quiet=[names[c] for c in cities_missing if delegates.get(c) and c not in reached],
    )
