"""The digest and reminder engine: who is due (fan-out), and sending one delivery exactly once.

A delivery row is written, unique per person, kind and period, in the transaction that decides to
send it; the task to send it is queued only after that commits. Sending locks the row
(SELECT … FOR UPDATE SKIP LOCKED), sends over SMTP and marks it sent in the same transaction, so a
second beat run, a redelivered task or a task running twice at once finds it sent or locked and
does nothing. If the worker dies before the commit, the database drops the lock and the pending row
is sent by the redelivered task (acks_late + reject_on_worker_lost) or by the sweep. The one gap left
is between the SMTP server accepting the message and the commit: see docs/digests.md.
"""

import logging
import smtplib
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionPlan
from cities.models import Membership, Role
from notifications.emails import RenderedEmail, render_email
from reports.models import ReportingPeriod

from . import selectors
from .rendering import digest_email
from .models import DeliveryKind, DeliveryStatus, DigestDelivery, DigestSubscription, Frequency, ReminderItem

logger = logging.getLogger(__name__)

PREFERENCES_SALT = "digests.preferences"
# Every countdown stays far below the broker's visibility timeout (an hour by default), after which
# Redis would hand an unacknowledged task to another worker.
RETRY_MAX_DELAY = 600


def _setting(name, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return _setting("DIGEST_MAX_ATTEMPTS", 8)


def retry_delay(attempts: int) -> float:
    base = _setting("DIGEST_RETRY_BASE_SECONDS", 30)
    return min(base * 2 ** max(attempts - 1, 0), RETRY_MAX_DELAY)


# Periods -----------------------------------------------------------------------------------------


def period_key(*, frequency: str, when: datetime | None = None) -> str:
    today = timezone.localdate(when or timezone.now())
    if frequency == Frequency.QUARTERLY:
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return f"{today.year}-{today.month:02d}"


def default_since(*, frequency: str, until: datetime) -> datetime:
    return until - timedelta(days=92 if frequency == Frequency.QUARTERLY else 31)


def window_since(*, recipient, frequency: str, until: datetime) -> datetime:
    """Changes since the last digest the person received, or one month/quarter back for a first one."""
    return selectors.last_window_end(recipient=recipient) or default_since(frequency=frequency, until=until)


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


@transaction.atomic
def subscription_set(*, user, frequency: str) -> DigestSubscription:
    subscription, created = DigestSubscription.objects.select_for_update().get_or_create(
        user=user, defaults={"frequency": frequency},
    )
    if not created and subscription.frequency != frequency:
        subscription.frequency = frequency
        subscription.save()
    return subscription


# Rendering ---------------------------------------------------------------------------------------


def _links(user) -> dict:
    token = preferences_token(user=user)
    return {
        "preferences_url": settings.SITE_URL + reverse("digests:preferences", args=[token]),
        "unsubscribe_url": settings.SITE_URL + reverse("digests:unsubscribe", args=[token]),
    }


def digest_render(*, recipient, frequency: str, since: datetime, until: datetime, key: str):
    """The person's digest email and their links; built once for all who get the same (see rendering.py)."""
    links = _links(recipient)
    rendered = digest_email(recipient=recipient, frequency=frequency, since=since, until=until, key=key,
                            preferences_url=links["preferences_url"])
    return rendered, links


def next_digest_preview(*, recipient, until: datetime | None = None):
    """What the person's next digest would say if it were sent now (for the Secretariat's preview)."""
    until = until or timezone.now()
    frequency = selectors.frequency_of(recipient)
    if frequency == Frequency.NONE:
        frequency = Frequency.MONTHLY
    since = window_since(recipient=recipient, frequency=frequency, until=until)
    rendered, _ = digest_render(
        recipient=recipient, frequency=frequency, since=since, until=until,
        key=period_key(frequency=frequency, when=until),
    )
    return rendered


def reminder_render(*, delivery: DigestDelivery) -> RenderedEmail:
    recipient = delivery.recipient
    items = selectors.reminder_items(delivery_id=delivery.pk)
    context = {"items": items, "recipient": recipient, "today": delivery.period_key}
    return render_email("reminder", context, language=recipient.language, time_zone=recipient.time_zone)


# Fan-out -----------------------------------------------------------------------------------------


@dataclass
class Planned:
    delivery: DigestDelivery
    created: bool


def _queue_after_commit(ids: list[int]):
    if ids:
        transaction.on_commit(lambda: _dispatch(ids))


def _dispatch(ids: list[int]):
    from .tasks import send_delivery

    for delivery_id in ids:
        try:
            send_delivery.delay(delivery_id)
        except Exception:  # broker unreachable: the rows stay pending and the sweep queues them
            logger.warning("Could not queue digest delivery %s; the sweep will send it", delivery_id, exc_info=True)
            return


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


@transaction.atomic
def digests_fan_out(
    *, now: datetime | None = None, only_email: str | None = None, period: str | None = None, queue: bool = True,
) -> list[Planned]:
    """Create each due person's delivery for the current period (or `period`, resent on purpose) and
    queue one send task per delivery still pending, after commit. Running it twice queues nothing new.
    Every new delivery's window ends at this run's moment, so everyone on the same rhythm gets the same
    window (and people with the same cities the same digest, built once: see rendering.py)."""
    now = now or timezone.now()
    planned = []
    for user, _frequency, key in digests_plan(now=now, only_email=only_email, period=period):
        if period:
            copy = (DigestDelivery.objects.filter(recipient=user, kind=DeliveryKind.DIGEST, period_key=key)
                    .aggregate(top=Max("copy"))["top"])
            delivery = DigestDelivery.objects.create(
                recipient=user, kind=DeliveryKind.DIGEST, period_key=key, copy=0 if copy is None else copy + 1,
                to=user.email,
            )
            planned.append(Planned(delivery, True))
            continue
        delivery, created = DigestDelivery.objects.get_or_create(
            recipient=user, kind=DeliveryKind.DIGEST, period_key=key, copy=0,
            defaults={"to": user.email, "window_end": now},
        )
        planned.append(Planned(delivery, created))
    if queue:
        _queue_after_commit([p.delivery.pk for p in planned if p.delivery.status == DeliveryStatus.PENDING])
    return planned


@transaction.atomic
def reminders_fan_out(*, today=None, queue: bool = True) -> list[DigestDelivery]:
    """One reminder email a day at most per delegate, listing every report that is due within 7 days
    or 1, 7 or 30 days overdue and that they have not been reminded of at that stage yet."""
    today = today or timezone.localdate()
    plan = ActionPlan.objects.current()
    if plan is None:
        return []
    periods = [
        period for period in ReportingPeriod.objects.filter(plan=plan, is_closed=False).order_by("start")
        if selectors.reminder_stage(due_date=period.due_date, today=today)
    ]
    if not periods:
        return []
    periods_by_id = {period.pk: period for period in periods}
    slots = selectors.open_report_slots(plan=plan, periods=periods)
    delegates = defaultdict(list)
    for membership in Membership.objects.filter(
        role=Role.DELEGATE, user__is_active=True
    ).exclude(user__email="").select_related("user"):
        delegates[membership.city_id].append(membership.user)
    already = set(
        ReminderItem.objects.filter(period_id__in=list(periods_by_id)).order_by().values_list(
            "recipient_id", "action_point_id", "city_id", "period_id", "stage",
        )
    )
    todo = defaultdict(list)
    users = {}
    for point_id, city_id, period_id in sorted(slots):
        stage = selectors.reminder_stage(due_date=periods_by_id[period_id].due_date, today=today)
        for user in delegates.get(city_id, []):
            if (user.pk, point_id, city_id, period_id, stage) not in already:
                todo[user.pk].append((point_id, city_id, period_id, stage))
                users[user.pk] = user
    deliveries = []
    for user_id, items in todo.items():
        delivery, created = DigestDelivery.objects.get_or_create(
            recipient=users[user_id], kind=DeliveryKind.REMINDER, period_key=today.isoformat(), copy=0,
            defaults={"to": users[user_id].email},
        )
        if not created:
            continue  # already reminded today: the rest waits for tomorrow's email
        for point_id, city_id, period_id, stage in items:
            ReminderItem.objects.create(
                delivery=delivery, recipient_id=user_id, action_point_id=point_id, city_id=city_id,
                period_id=period_id, stage=stage,
            )
        deliveries.append(delivery)
    if queue:
        _queue_after_commit([delivery.pk for delivery in deliveries])
    return deliveries


def deliveries_requeue(*, now: datetime | None = None, limit: int = 500) -> int:
    """Queue pending deliveries whose task was lost (broker down at commit, worker gone) or whose
    retry is due; a task that is still on its way finds the row sent and does nothing."""
    now = now or timezone.now()
    ids = list(
        DigestDelivery.objects.filter(status=DeliveryStatus.PENDING)
        .filter(
            Q(next_attempt_at__isnull=True, created__lte=now - timedelta(minutes=2))
            | Q(next_attempt_at__lte=now - timedelta(minutes=1))
        )
        .order_by("created").values_list("pk", flat=True)[:limit]
    )
    _dispatch(ids)
    return len(ids)


# Sending -----------------------------------------------------------------------------------------


class Outcome:
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


@dataclass
class SendResult:
    outcome: str
    delay: float | None = None
    error: str = ""


def _is_bad_address(error: Exception) -> bool:
    """A refused recipient (5xx) or an address that cannot be written: retrying will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, ValueError)


def _message_id(delivery: DigestDelivery) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "baltmet.org"
    # The same id on every attempt of a delivery lets mail clients fold a duplicate from the SMTP gap.
    return f"<{delivery.kind}.{delivery.period_key}.{delivery.recipient_id}.{delivery.copy}@{domain}>"


def _compose(delivery: DigestDelivery, now: datetime) -> tuple[EmailMultiAlternatives, RenderedEmail]:
    recipient = delivery.recipient
    headers = {"Message-ID": _message_id(delivery), "X-BaltMet-Delivery": str(delivery.pk)}
    if delivery.kind == DeliveryKind.DIGEST:
        frequency = selectors.frequency_of(recipient)
        if frequency == Frequency.NONE:
            frequency = Frequency.QUARTERLY if "Q" in delivery.period_key else Frequency.MONTHLY
        if delivery.copy and delivery.window_start is None:
            original = DigestDelivery.objects.filter(
                recipient=recipient, kind=delivery.kind, period_key=delivery.period_key, status=DeliveryStatus.SENT,
            ).exclude(window_start=None).order_by("copy").first()
            if original:
                delivery.window_start, delivery.window_end = original.window_start, original.window_end
        until = delivery.window_end or now
        since = delivery.window_start or window_since(recipient=recipient, frequency=frequency, until=until)
        delivery.window_start, delivery.window_end = since, until
        rendered, links = digest_render(
            recipient=recipient, frequency=frequency, since=since, until=until, key=delivery.period_key,
        )
        headers["List-Unsubscribe"] = f"<{links['unsubscribe_url']}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    else:
        rendered = reminder_render(delivery=delivery)
    message = EmailMultiAlternatives(
        rendered.subject, rendered.text, to=[delivery.to or recipient.email], headers=headers,
        connection=get_connection(fail_silently=False),
    )
    message.attach_alternative(rendered.html, "text/html")
    return message, rendered


def delivery_send(*, delivery_id: int, now: datetime | None = None) -> SendResult:
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            DigestDelivery.objects.select_for_update(skip_locked=True)
            .filter(pk=delivery_id, status=DeliveryStatus.PENDING).first()
        )
        if delivery is None:
            return SendResult(Outcome.SKIPPED)  # sent, failed, or being sent by another worker right now
        if delivery.next_attempt_at and delivery.next_attempt_at > now + timedelta(seconds=2):
            return SendResult(Outcome.SKIPPED)  # an early duplicate: the scheduled retry owns it
        delivery.attempts += 1
        window = (delivery.window_start, delivery.window_end)
        try:
            message, rendered = _compose(delivery, now)
            message.send()
        except Exception as error:
            delivery.window_start, delivery.window_end = window
            delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
            if _is_bad_address(error) or delivery.attempts >= max_attempts():
                delivery.status = DeliveryStatus.FAILED
                delivery.failed_at = now
                delivery.next_attempt_at = None
                delivery.save()
                logger.warning("Digest delivery %s failed for good: %s", delivery.pk, delivery.last_error)
                return SendResult(Outcome.FAILED, error=delivery.last_error)
            delay = retry_delay(delivery.attempts)
            delivery.next_attempt_at = now + timedelta(seconds=delay)
            delivery.save()
            logger.info("Digest delivery %s attempt %s failed, retrying in %ss: %s",
                        delivery.pk, delivery.attempts, delay, delivery.last_error)
            return SendResult(Outcome.RETRY, delay=delay, error=delivery.last_error)
        delivery.status = DeliveryStatus.SENT
        delivery.sent_at = now
        delivery.subject = rendered.subject[:300]
        delivery.next_attempt_at = None
        delivery.last_error = ""
        delivery.save()
        return SendResult(Outcome.SENT)


@transaction.atomic
def digests_send_now(*, user) -> int:
    """The Secretariat's button: the current period's digests for everybody due, queued after commit."""
    planned = digests_fan_out()
    return sum(1 for p in planned if p.delivery.status == DeliveryStatus.PENDING)
