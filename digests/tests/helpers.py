"""A network for digest tests: one mayor per member city, each city coordinating its own action point."""

from datetime import date, timedelta

from django.utils import timezone

from actions.models import ActionPoint, DeliveryStatus
from cities.models import City, Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from reports.models import ProgressReport, ReportingPeriod, WorkflowState

STATUSES = [DeliveryStatus.ON_TRACK, DeliveryStatus.AT_RISK, DeliveryStatus.DELAYED, DeliveryStatus.COMPLETED]


def mayors_with_points(plan, count=10):
    """{city: (mayor, point)} for `count` member cities; each city coordinates one point whose status
    changed after the plan was imported (so the digest has something to say)."""
    cities = list(City.objects.filter(left__isnull=True).order_by("name")[:count])
    points = list(ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area").order_by(
        "focus_area__number", "sequence")[:count])
    network = {}
    for index, (city, point) in enumerate(zip(cities, points, strict=True)):
        mayor = UserFactory(username=f"mayor-{city.slug}", first_name="Mayor", last_name=city.name)
        membership_grant(user=mayor, role=Role.MAYOR, city=city)
        point.coordinating_city = city
        point.status = STATUSES[index % len(STATUSES)]
        point.save()
        network[city] = (mayor, point)
    return network


def due_periods(plan, today=None):
    """Two periods whose due dates have passed and a current one, around `today`."""
    today = today or timezone.localdate()
    rows = [
        ("Past 1", today - timedelta(days=400), today - timedelta(days=220), today - timedelta(days=200)),
        ("Past 2", today - timedelta(days=219), today - timedelta(days=40), today - timedelta(days=20)),
        ("Now", today - timedelta(days=39), today + timedelta(days=140), today + timedelta(days=160)),
    ]
    return {
        label: ReportingPeriod.objects.create(plan=plan, label=label, start=start, end=end, due_date=due)
        for label, start, end, due in rows
    }


def approved_report(*, point, city, period, reviewer, summary="Done."):
    now = timezone.now()
    return ProgressReport.objects.create(
        action_point=point, city=city, period=period, summary=summary, state=WorkflowState.APPROVED,
        submitted_at=now, submitted_by=reviewer, reviewed_at=now, reviewed_by=reviewer,
    )


__all__ = ["mayors_with_points", "due_periods", "approved_report", "date"]
