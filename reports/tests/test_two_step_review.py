"""Two-step review: a partner city's report goes to the coordinating city first, the coordinator's
consolidated report to the Secretariat (reports/workflow.py).

Riga (alice) coordinates 1.3 with Tallinn (bob) as partner."""

import pytest
from django.urls import reverse

from actions.models import ActionPlan
from notifications.models import OutboxMessage
from reports import services
from reports.models import ProgressReport, WorkflowState

from .conftest import form_data

TWO_STEP, ONE_STEP = ActionPlan.ReviewMode.TWO_STEP, ActionPlan.ReviewMode.ONE_STEP


@pytest.fixture
def two_step(plan, secretariat):
    services.plan_review_mode_set(plan=plan, mode=TWO_STEP, user=secretariat)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def tallinn_on_13(assigned, period, cities):
    return ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["tallinn"], period=period,
                                         summary="Tallinn mapped its start-ups.")


def _submit(client, report, **overrides):
    report.refresh_from_db()
    return client.post(reverse("reports:report", args=[report.pk]), form_data(report, action="submit", **overrides))


def _mails(kind, to):
    return OutboxMessage.objects.filter(kind=kind, to=to.email).count()


def test_it_keeps_plans_at_one_step_unless_the_secretariat_chooses_two(plan, tallinn_on_13, bob, client_for):
    assert plan.review_mode == ONE_STEP
    _submit(client_for(bob), tallinn_on_13)
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.SUBMITTED


def test_the_whole_two_step_loop(two_step, assigned, period, cities, tallinn_on_13, alice, bob, secretariat,
                                 client_for):
    riga, tallinn, sara = client_for(alice), client_for(bob), client_for(secretariat)

    # The partner submits: it goes to the coordinator, who is emailed, and not to the Secretariat.
    page = _submit(tallinn, tallinn_on_13, summary="Tallinn mapped 40 start-ups.")
    assert page.status_code == 302
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.WITH_COORDINATOR
    assert _mails("report_to_coordinator", alice) == 1
    assert _mails("report_submitted", secretariat) == 0
    assert "Tallinn" not in sara.get(reverse("dashboard:queue")).content.decode().split("<tbody>")[1]
    queue = riga.get(reverse("reports:coordination")).content.decode()
    assert "Partner reports waiting for you" in queue and reverse("reports:report", args=[tallinn_on_13.pk]) in queue

    # The coordinator's consolidated report cannot go to the Secretariat while a partner report waits.
    start = riga.post(reverse("reports:open", args=[assigned["1.3"].pk, period.pk]),
                      form_data(summary="Riga and Tallinn: 95 start-ups mapped.", action="submit"), follow=True)
    assert "1 partner report waits for you" in start.content.decode()
    assert not ProgressReport.objects.filter(action_point=assigned["1.3"], city=cities["riga"]).exists()

    # The coordinator sees the partner's report and returns it with a comment.
    detail = riga.get(reverse("reports:report", args=[tallinn_on_13.pk])).content.decode()
    assert "Your decision as coordinator" in detail and "Tallinn mapped 40 start-ups." in detail
    refused = riga.post(reverse("reports:return_to_partner", args=[tallinn_on_13.pk]), {"comment": ""})
    assert refused.status_code == 400 and "a comment is required" in refused.content.decode()
    riga.post(reverse("reports:return_to_partner", args=[tallinn_on_13.pk]), {"comment": "Add the sources."})
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.RETURNED and tallinn_on_13.review_comment == "Add the sources."
    assert _mails("report_returned", bob) == 1
    assert "Returned by the coordinating city" in tallinn.get(
        reverse("reports:report", args=[tallinn_on_13.pk])).content.decode()

    # Resubmitted, it goes to the coordinator again, who accepts it.
    _submit(tallinn, tallinn_on_13, summary="Tallinn mapped 40 start-ups (source: the city register).")
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.WITH_COORDINATOR
    riga.post(reverse("reports:accept", args=[tallinn_on_13.pk]), {"comment": ""})
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.ACCEPTED
    assert _mails("report_accepted", bob) == 1

    # The consolidated report, written beside the partner's, goes to the Secretariat.
    riga.post(reverse("reports:open", args=[assigned["1.3"].pk, period.pk]), form_data(summary="Riga: 55."))
    consolidated = ProgressReport.objects.get(action_point=assigned["1.3"], city=cities["riga"], period=period)
    page = riga.get(reverse("reports:report", args=[consolidated.pk])).content.decode()
    assert "this is the point's consolidated report" in page
    assert "The partner cities' reports for 2011 H1" in page and "the city register" in page
    assert "Submit the consolidated report to the Secretariat" in page
    _submit(riga, consolidated, summary="Riga and Tallinn: 95 start-ups mapped.")
    consolidated.refresh_from_db()
    assert consolidated.state == WorkflowState.SUBMITTED
    queue = sara.get(reverse("dashboard:queue")).content.decode()
    assert "Consolidated report" in queue and reverse("dashboard:review", args=[consolidated.pk]) in queue
    review = sara.get(reverse("dashboard:review", args=[consolidated.pk])).content.decode()
    assert "the city register" in review  # the partner's report beside the consolidated one

    # Approving it approves the partner report it consolidates, each with its history row and email.
    sara.post(reverse("dashboard:approve", args=[consolidated.pk]), {"comment": ""})
    consolidated.refresh_from_db()
    tallinn_on_13.refresh_from_db()
    assert consolidated.state == tallinn_on_13.state == WorkflowState.APPROVED
    reasons = list(tallinn_on_13.history.order_by("history_id").values_list("history_change_reason", flat=True))
    assert reasons[-3:] == ["Submitted to the coordinating city", "Accepted by the coordinating city",
                            "Approved with the coordinating city's consolidated report"]
    assert _mails("report_approved", bob) == 1 and _mails("report_approved", alice) == 1


def test_only_the_coordinating_citys_delegate_accepts_or_returns(two_step, tallinn_on_13, alice, bob, mayor,
                                                                  secretariat, client_for, cities):
    from cities.models import Role
    from cities.services import membership_grant
    from cities.tests.factories import UserFactory

    helsinki = UserFactory(username="hanna")
    membership_grant(user=helsinki, role=Role.DELEGATE, city=cities["helsinki"])
    _submit(client_for(bob), tallinn_on_13)
    for person in (bob, mayor, secretariat, helsinki):
        response = client_for(person).post(reverse("reports:accept", args=[tallinn_on_13.pk]), {"comment": ""})
        assert response.status_code == 403, person
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.WITH_COORDINATOR
    # Another city's delegate does not see the partner's report; the coordinator does.
    assert client_for(helsinki).get(reverse("reports:report", args=[tallinn_on_13.pk])).status_code == 403
    assert client_for(alice).get(reverse("reports:report", args=[tallinn_on_13.pk])).status_code == 200


def test_the_coordinator_does_not_see_a_partners_draft(two_step, tallinn_on_13, alice, client_for):
    assert client_for(alice).get(reverse("reports:report", args=[tallinn_on_13.pk])).status_code == 403


def test_a_point_without_a_coordinator_sends_reports_to_the_secretariat(two_step, points, period, cities, bob,
                                                                        client_for):
    point = points["5.1"] if "5.1" in points else next(p for p in points.values() if p.coordinating_city_id is None)
    point.partner_cities.set([cities["tallinn"]])
    report = ProgressReport.objects.create(action_point=point, city=cities["tallinn"], period=period, summary="x")
    _submit(client_for(bob), report)
    report.refresh_from_db()
    assert report.state == WorkflowState.SUBMITTED


def test_switching_to_one_step_sends_reports_in_flight_to_the_secretariat(two_step, assigned, periods, cities,
                                                                          tallinn_on_13, bob, alice, secretariat,
                                                                          client_for):
    _submit(client_for(bob), tallinn_on_13)
    accepted = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["tallinn"],
                                             period=periods["2011 H2"], summary="H2.")
    _submit(client_for(bob), accepted)
    services.report_accept(report=accepted, coordinator=alice)
    page = client_for(secretariat).get(reverse("dashboard:plan", args=[two_step.pk])).content.decode()
    assert "Switching while reports are in flight" in page

    response = client_for(secretariat).post(reverse("dashboard:plan_review_mode", args=[two_step.pk]),
                                            {"review_mode": ONE_STEP}, follow=True)

    assert "2 partner reports that were with their coordinating cities went to the review queue." in \
        response.content.decode()
    for report in (tallinn_on_13, accepted):
        report.refresh_from_db()
        assert report.state == WorkflowState.SUBMITTED
        assert report.history.first().history_change_reason == services.MOVED_TO_ONE_STEP_REASON
    two_step.refresh_from_db()
    assert two_step.review_mode == ONE_STEP
    assert two_step.history.first().history_user == secretariat


def test_switching_to_two_steps_leaves_submitted_reports_with_the_secretariat(plan, tallinn_on_13, bob,
                                                                              secretariat):
    services.report_submit(report=tallinn_on_13, version=tallinn_on_13.version, user=bob)
    assert services.plan_review_mode_set(plan=plan, mode=TWO_STEP, user=secretariat) == 0
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.SUBMITTED


def test_a_closed_periods_reports_do_not_move(two_step, tallinn_on_13, period, bob, secretariat):
    services.report_submit(report=tallinn_on_13, version=tallinn_on_13.version, user=bob)
    services.period_set_closed(period=period, closed=True, user=secretariat)
    services.plan_review_mode_set(plan=two_step, mode=ONE_STEP, user=secretariat)
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.WITH_COORDINATOR


def test_only_the_secretariat_switches_the_mode(plan, alice, client_for):
    response = client_for(alice).post(reverse("dashboard:plan_review_mode", args=[plan.pk]),
                                      {"review_mode": TWO_STEP})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.review_mode == ONE_STEP


def test_a_report_with_the_coordinator_is_not_overdue_or_missing(two_step, tallinn_on_13, bob, period):
    from digests.selectors import open_report_slots

    services.report_submit(report=tallinn_on_13, version=tallinn_on_13.version, user=bob)
    slots = open_report_slots(plan=two_step, periods=[period])
    assert (tallinn_on_13.action_point_id, tallinn_on_13.city_id, period.pk) not in slots


def test_the_morning_reminder_tells_the_coordinator_of_partner_reports_waiting(two_step, tallinn_on_13, period,
                                                                               alice, bob):
    from digests.services import reminders_fan_out

    services.report_submit(report=tallinn_on_13, version=tallinn_on_13.version, user=bob)

    messages = reminders_fan_out(today=period.due_date, queue=False)

    to_alice = next(m for m in messages if m.to == alice.email)
    waiting = to_alice.body_text.split("Partner reports waiting for your review as the coordinating city:")[1]
    assert "1.3 · Tallinn · 2011 H1" in waiting and reverse("reports:coordination") in waiting
    assert not any(m.to == bob.email and "1.3 · Tallinn" in m.body_text for m in messages)  # Tallinn's is in
    # Not twice at the same stage.
    assert not any(m.to == alice.email and "Partner reports waiting" in m.body_text
                   for m in reminders_fan_out(today=period.due_date, queue=False))


def test_a_partner_report_accepted_after_the_consolidated_approval_goes_to_the_secretariat(
        two_step, assigned, period, cities, tallinn_on_13, alice, bob, secretariat, client_for):
    riga, sara = client_for(alice), client_for(secretariat)
    consolidated = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=period,
                                                 summary="Riga: 55 start-ups.")
    _submit(riga, consolidated)
    sara.post(reverse("dashboard:approve", args=[consolidated.pk]), {"comment": ""})
    consolidated.refresh_from_db()
    assert consolidated.state == WorkflowState.APPROVED

    # Tallinn hands its report in late; the coordinator accepts it: nothing would approve it any more,
    # so it goes on to the Secretariat, which is told and reviews it on its own.
    _submit(client_for(bob), tallinn_on_13)
    accepted = riga.post(reverse("reports:accept", args=[tallinn_on_13.pk]), {"comment": "Late, but good."},
                         follow=True)
    assert "already approved, so it went on to the Secretariat" in accepted.content.decode()
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.SUBMITTED
    assert tallinn_on_13.history.latest("history_id").history_change_reason == (
        "Accepted by the coordinating city after its consolidated report was approved: to the Secretariat")
    assert _mails("report_accepted", bob) == 1 and _mails("report_submitted", secretariat) == 2
    assert reverse("dashboard:review", args=[tallinn_on_13.pk]) in sara.get(reverse("dashboard:queue")).content.decode()
    sara.post(reverse("dashboard:approve", args=[tallinn_on_13.pk]), {"comment": ""})
    tallinn_on_13.refresh_from_db()
    assert tallinn_on_13.state == WorkflowState.APPROVED
