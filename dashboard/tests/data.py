"""A generated network of reports for the dashboard tests."""

import random
from datetime import date, datetime, timezone

from actions.models import ActionPoint, DeliveryStatus
from reports import workflow
from reports.models import ProgressReport, ReportingPeriod, WorkflowState

STATES = [state for state in WorkflowState.values if state not in workflow.TWO_STEP_ONLY]  # one-step plans
STATUSES = list(DeliveryStatus.values)


def add_periods(plan, count):
    """Half-year periods from 2011 on, created if missing; returned in order."""
    periods = []
    for n in range(count):
        year, half = 2011 + n // 2, n % 2
        start = date(year, 1 + 6 * half, 1)
        end = date(year, 6, 30) if half == 0 else date(year, 12, 31)
        period, _ = ReportingPeriod.objects.get_or_create(
            plan=plan, label=f"{year} H{half + 1}",
            defaults={"start": start, "end": end, "due_date": date(year + half, 7 if half == 0 else 1, 31)},
        )
        periods.append(period)
    return periods


def assign_all(plan, cities, rng):
    """Every point gets a coordinating city and one to three partners."""
    members = [city for city in cities.values() if city.left is None]
    for point in ActionPoint.objects.filter(focus_area__plan=plan):
        chosen = rng.sample(members, 4)
        point.coordinating_city = chosen[0]
        point.save()
        point.partner_cities.set(chosen[1:1 + rng.randint(1, 3)])


def generate_reports(plan, periods, cities, *, seed=1, share=0.8):
    """Reports in every workflow state and delivery status, for most assigned (point, city) pairs of
    every period, plus a few from cities that are not assigned."""
    rng = random.Random(seed)
    members = [city for city in cities.values() if city.left is None]
    points = list(ActionPoint.objects.filter(focus_area__plan=plan).prefetch_related("partner_cities"))
    moment = datetime(2012, 1, 1, tzinfo=timezone.utc)
    rows = []
    for period in periods:
        for point in points:
            pairs = {point.coordinating_city} | set(point.partner_cities.all())
            pairs.add(rng.choice(members))
            for city in pairs:
                if city is None or rng.random() > share:
                    continue
                state = rng.choice(STATES)
                rows.append(ProgressReport(
                    action_point=point, city=city, period=period, delivery_status=rng.choice(STATUSES),
                    summary=f"Progress on {point.pk} by {city.name} in {period.label}.", state=state,
                    submitted_at=None if state == WorkflowState.DRAFT else moment.replace(
                        day=1 + rng.randrange(27), hour=rng.randrange(24)),
                    reviewed_at=moment if state in (WorkflowState.APPROVED, WorkflowState.RETURNED) else None,
                    review_comment="Please add numbers." if state == WorkflowState.RETURNED else "",
                ))
    return ProgressReport.objects.bulk_create(rows)


def submitted(report_kwargs):
    values = {"state": WorkflowState.SUBMITTED, "submitted_at": datetime(2012, 1, 5, tzinfo=timezone.utc),
              "summary": "Done a lot.", **report_kwargs}
    return ProgressReport.objects.create(**values)
