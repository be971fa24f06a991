"""The coordinator confirms an action point's status on its roll-up, in a real browser, at desktop and at
phone width, in a one-step and in a two-step plan: the suggestion comes from the approved reports only,
an override needs a reason, and the partner city reads the result without a form.

Riga (alice) coordinates 1.3 with Tallinn (bob) as partner."""

import re

import pytest
from playwright.sync_api import expect

from actions.models import ActionPlan, DeliveryStatus
from reports import services
from reports.models import PointPeriodStatus, ProgressReport, WorkflowState

from .conftest import log_in
from .test_phone_layout import fits_the_screen
from .test_review_and_digest_journeys import log_out


def _report(point, city, period, status, state):
    return ProgressReport.objects.create(action_point=point, city=city, period=period, delivery_status=status,
                                         summary=f"{city} on 1.3.", state=state, submitted_at="2012-01-10T10:00Z",
                                         reviewed_at="2012-01-12T10:00Z" if state == WorkflowState.APPROVED else None)


@pytest.mark.parametrize("mode", [ActionPlan.ReviewMode.ONE_STEP, ActionPlan.ReviewMode.TWO_STEP])
def test_the_coordinator_overrides_the_suggested_status_with_a_reason(page, mode, plan, assigned, periods, cities,
                                                                      alice, bob, secretariat):
    point, period = assigned["1.3"], periods["2011 H2"]  # the current period: the last one that started
    if mode == ActionPlan.ReviewMode.TWO_STEP:
        services.plan_review_mode_set(plan=plan, mode=mode, user=secretariat)
    _report(point, cities["riga"], period, DeliveryStatus.ON_TRACK, WorkflowState.APPROVED)
    # One step: Tallinn's report is approved and counts; two steps: it is still with the coordinator.
    partner_state = WorkflowState.APPROVED if mode == ActionPlan.ReviewMode.ONE_STEP else WorkflowState.WITH_COORDINATOR
    _report(point, cities["tallinn"], period, DeliveryStatus.AT_RISK, partner_state)
    suggested = "At risk" if mode == ActionPlan.ReviewMode.ONE_STEP else "On track"

    log_in(page, "alice")
    page.get_by_role("row").filter(has_text="1.3").get_by_role("link", name=re.compile("Roll-up")).first.click()
    expect(page.get_by_role("heading", name="Roll-up of action point 1.3")).to_be_visible()
    cities_table = page.locator("table.rollup-cities")
    expect(cities_table.get_by_role("row").filter(has_text="Tallinn")).to_contain_text(
        "Approved" if mode == ActionPlan.ReviewMode.ONE_STEP else "With the coordinator")
    expect(page.locator(".rollup-facts")).to_contain_text(suggested)
    fits_the_screen(page)

    page.get_by_label("Status for this period").select_option(label="Delayed")
    page.get_by_role("button", name="Confirm the status").click()
    expect(page.get_by_text("Say why the status differs from the one the approved reports suggest.")).to_be_visible()
    page.get_by_label("Reason").fill("The partners' data will come a period late.")
    page.get_by_role("button", name="Confirm the status").click()
    expect(page.get_by_text(re.compile("The status of action point 1.3 for 2011 H2 is confirmed"))).to_be_visible()
    expect(page.locator(".rollup-history")).to_contain_text("The partners' data will come a period late.")
    fits_the_screen(page)
    log_out(page)

    row = PointPeriodStatus.objects.get(action_point=point, period=period)
    assert (row.status, row.confirmed_by, row.history.count()) == ("delayed", alice, 1)

    # The partner city reads the same roll-up from the action point's page, without the form.
    log_in(page, "bob")
    page.goto(point.get_absolute_url())
    page.get_by_role("link", name=re.compile("Roll-up")).first.click()
    expect(page.locator(".rollup-facts")).to_contain_text("Delayed")
    expect(page.get_by_role("button", name="Confirm the status")).to_have_count(0)
    fits_the_screen(page)


def test_the_rollup_page_is_accessible(audit_page, axe_violations, assigned, periods, cities, alice):
    from .test_accessibility import assert_accessible

    point, period = assigned["1.3"], periods["2011 H2"]
    _report(point, cities["riga"], period, DeliveryStatus.ON_TRACK, WorkflowState.APPROVED)
    services.confirm_point_status(point=point, period=period, status="delayed", reason="Data is late.", by=alice,
                                  expected_version=0)
    log_in(audit_page, "alice")
    assert_accessible(audit_page, axe_violations, f"/points/{point.pk}/rollup/?period={period.pk}")
    audit_page.get_by_label("Reason").fill("")  # an override without its reason: the error beside the field
    audit_page.get_by_role("button", name="Confirm the status").click()
    expect(audit_page.get_by_text("Say why the status differs from the one the approved reports suggest.")).to_be_visible()
    assert axe_violations(audit_page) == []
