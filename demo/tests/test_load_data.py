from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count, Max

from actions.models import ActionPlan, ActionPoint, FocusArea
from cities.models import City, Membership
from demo.load_data import LoadDataRefused, Sizes, load_data_generate
from indicators.models import Indicator, IndicatorValue
from initiatives.models import Initiative
from reports import workflow
from reports.models import ProgressReport, ReportingPeriod, WorkflowState

TODAY = date(2026, 11, 25)


def generate(scale=0.1, seed=7):
    return load_data_generate(scale=scale, seed=seed, end_year=2026, today=TODAY, log=lambda message: None)


def snapshot():
    """The generated network by natural keys (primary keys differ between runs on PostgreSQL)."""
    return {
        "reports": sorted(ProgressReport.objects.values_list(
            "action_point__focus_area__plan__title", "action_point__focus_area__number", "action_point__sequence",
            "city__slug", "period__label", "state", "delivery_status", "summary", "version", "submitted_at",
            "submitted_by__username", "reviewed_at",
        )),
        "history": sorted(ProgressReport.history.values_list(
            "history_type", "history_date", "state", "version", "summary", "history_user__username",
        )),
        "memberships": sorted(Membership.objects.values_list("user__username", "user__email", "role", "city__slug")),
        "partners": sorted(ActionPoint.partner_cities.through.objects.values_list(
            "actionpoint__focus_area__plan__title", "actionpoint__focus_area__number", "actionpoint__sequence",
            "city__slug",
        )),
        "initiatives": sorted(Initiative.objects.values_list("title", "state", "proposing_city__slug")),
        "indicator_values": sorted(
            IndicatorValue.objects.values_list("indicator__name", "city__slug", "year", "value")
        ),
    }


class Rollback(Exception):
    pass


def snapshot_of_a_run(**kwargs):
    try:
        with transaction.atomic():
            generate(**kwargs)
            taken = snapshot()
            raise Rollback
    except Rollback:
        return taken


def test_it_sizes_the_base_network_at_scale_1():
    assert Sizes.for_scale(1) == Sizes(plans=3, users=200, initiatives=50, indicators=10)
    assert Sizes.for_scale(10) == Sizes(plans=30, users=2000, initiatives=500, indicators=100)


@pytest.mark.django_db
def test_it_generates_the_base_shape_with_history_at_a_tenth_of_the_scale():
    counts = generate()

    assert City.objects.count() == 11
    assert ActionPlan.objects.count() == 1 and ActionPlan.objects.current().status == ActionPlan.Status.ADOPTED
    assert FocusArea.objects.count() == 4
    assert ActionPoint.objects.count() == 60
    assert ReportingPeriod.objects.count() == 4
    assert get_user_model().objects.count() == 20
    assert Initiative.objects.count() == 5
    assert Indicator.objects.count() == 1 and IndicatorValue.objects.exists()
    # A report by every taking-part city for most point-periods: 60 points × 4 periods × 4–7 cities.
    reports = ProgressReport.objects.count()
    assert counts["reports"] == reports
    assert 60 * 4 * 4 * 0.6 < reports < 60 * 4 * 7
    assert set(ProgressReport.objects.values_list("state", flat=True)) == set(WorkflowState.values) - workflow.TWO_STEP_ONLY

    # Every report has the history of its edits, ending in its current state, and nothing after "now".
    per_report = ProgressReport.history.values("id").annotate(n=Count("history_id"))
    assert per_report.count() == reports
    assert min(row["n"] for row in per_report) >= 2
    assert ProgressReport.history.count() >= 3 * reports
    for report in ProgressReport.objects.all()[:200]:
        last = report.history.order_by("-history_date", "-history_id").first()
        assert (last.state, last.version, last.summary) == (report.state, report.version, report.summary)
        assert report.version == report.history.count()
    now = datetime.combine(TODAY, time(7, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))
    assert ProgressReport.history.aggregate(last=Max("history_date"))["last"] <= now
    assert ActionPoint.history.filter(history_type="+").count() == ActionPoint.objects.count()

    # Never into a database that already has plans.
    with pytest.raises(LoadDataRefused):
        generate()
    with pytest.raises(CommandError):
        call_command("generate_load_data", "--scale", "0.1")


@pytest.mark.django_db
def test_it_is_deterministic_for_a_seed():
    first = snapshot_of_a_run(seed=7)
    second = snapshot_of_a_run(seed=7)

    assert first["reports"] and first["history"] and first["indicator_values"]
    assert first == second


def current_plan_reports():
    plan = ActionPlan.objects.current()
    return sorted(ProgressReport.objects.filter(period__plan=plan).values_list(
        "action_point__focus_area__number", "action_point__sequence", "city__slug", "period__label", "state",
        "delivery_status", "summary", "version", "submitted_at",
    ))


@pytest.mark.django_db
def test_a_larger_scale_adds_older_years_and_keeps_the_current_plan():
    def run(scale):
        try:
            with transaction.atomic():
                generate(scale=scale)
                taken = (ActionPlan.objects.count(), current_plan_reports())
                raise Rollback
        except Rollback:
            return taken

    plans_small, small = run(0.1)
    plans_large, large = run(0.5)

    assert (plans_small, plans_large) == (1, 2)
    assert small and small == large
