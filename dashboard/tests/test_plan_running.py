from datetime import date

from django.urls import reverse

from actions.models import ActionPlan, ActionPoint
from reports import services as report_services
from reports.models import ProgressReport, ReportingPeriod, WorkflowState


def test_the_secretariat_assigns_coordinating_and_partner_cities(plan, points, cities, secretariat, client_for):
    point = points["1.2"]
    url = reverse("dashboard:point_cities", args=[point.pk])
    client = client_for(secretariat)
    assert client.get(url).status_code == 200

    response = client.post(url, {"coordinating_city": cities["oslo"].pk,
                                 "partner_cities": [cities["riga"].pk, cities["warsaw"].pk]})

    assert response.status_code == 302
    point.refresh_from_db()
    assert point.coordinating_city == cities["oslo"]
    assert {c.slug for c in point.partner_cities.all()} == {"riga", "warsaw"}
    assert point.history.first().history_user == secretariat


def test_the_coordinator_cannot_also_be_a_partner(plan, points, cities, secretariat, client_for):
    response = client_for(secretariat).post(reverse("dashboard:point_cities", args=[points["1.2"].pk]), {
        "coordinating_city": cities["oslo"].pk, "partner_cities": [cities["oslo"].pk]})

    assert response.status_code == 200
    assert "cannot also be a partner city" in response.content.decode()


def test_the_secretariat_adds_a_period_and_sets_its_due_date(plan, periods, secretariat, client_for):
    client = client_for(secretariat)
    response = client.post(reverse("dashboard:period_add", args=[plan.pk]), {
        "label": "2012 H1", "start": "2012-01-01", "end": "2012-06-30", "due_date": "2012-07-31"})
    assert response.status_code == 302
    period = ReportingPeriod.objects.get(plan=plan, label="2012 H1")

    client.post(reverse("dashboard:period_edit", args=[period.pk]), {
        "label": "2012 H1", "start": "2012-01-01", "end": "2012-06-30", "due_date": "2012-08-15"})
    period.refresh_from_db()
    assert period.due_date == date(2012, 8, 15)


def test_an_overlapping_period_is_refused_with_a_message(plan, periods, secretariat, client_for):
    response = client_for(secretariat).post(reverse("dashboard:period_add", args=[plan.pk]), {
        "label": "Overlap", "start": "2011-06-01", "end": "2011-09-30", "due_date": "2011-10-31"})

    assert response.status_code == 200
    assert "overlaps another period" in response.content.decode()


def test_a_closed_period_locks_its_reports_until_reopened(plan, assigned, periods, cities, alice, secretariat,
                                                          client_for):
    period = periods["2011 H1"]
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=period,
                                           summary="Draft")
    client = client_for(secretariat)
    plan_page = client.get(reverse("dashboard:plan", args=[plan.pk])).content.decode()
    assert f'href="{reverse("dashboard:period_close", args=[period.pk])}"' in plan_page  # a link, not a button

    asked = client.get(reverse("dashboard:period_close", args=[period.pk])).content.decode()
    period.refresh_from_db()
    assert not period.is_closed
    assert "Close period 2011 H1?" in asked and "1 report is still being written (a draft or returned)." in asked
    assert "Riga (2)" in asked and "Tallinn (2)" in asked  # 1.3 (Riga's is a draft) and 2.1 from each

    client.post(reverse("dashboard:period_close", args=[period.pk]))
    period.refresh_from_db()
    assert period.is_closed

    try:
        report_services.report_update(report=report, version=report.version, user=alice,
                                      data={"delivery_status": "on_track", "summary": "Changed", "next_steps": ""})
    except report_services.ReportStateError:
        pass
    report.refresh_from_db()
    assert report.summary == "Draft"

    client.post(reverse("dashboard:period_open", args=[period.pk]))
    period.refresh_from_db()
    assert not period.is_closed
    assert period.history.first().history_change_reason == "Period reopened"


def test_a_new_plan_starts_as_a_draft_copy_that_continues_the_old_points(plan, assigned, periods, secretariat,
                                                                          client_for):
    client = client_for(secretariat)
    response = client.post(reverse("dashboard:plan_successor", args=[plan.pk]), {
        "title": "Action Plan 2013–2014", "first_year": 2013, "last_year": 2014})

    successor = ActionPlan.objects.get(title="Action Plan 2013–2014")
    assert response.status_code == 302 and successor.status == ActionPlan.Status.DRAFT
    assert successor.predecessor == plan
    old = ActionPoint.objects.filter(focus_area__plan=plan)
    new = ActionPoint.objects.filter(focus_area__plan=successor).select_related("continues", "focus_area")
    assert new.count() == old.count() == 14
    assert all(p.continues.focus_area.plan_id == plan.pk and p.continues.sequence == p.sequence for p in new)
    copied = new.get(continues=assigned["1.3"])
    assert copied.coordinating_city.slug == "riga" and [c.slug for c in copied.partner_cities.all()] == ["tallinn"]
    assert not successor.periods.exists()

    again = client.post(reverse("dashboard:plan_successor", args=[plan.pk]), {
        "title": "Another", "first_year": 2013, "last_year": 2014})
    assert again.status_code == 200 and "already has a successor" in again.content.decode()
    assert ActionPlan.objects.count() == 2


def test_states_are_untouched_by_plan_copies(plan, assigned, periods, cities, secretariat, client_for):
    ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"],
                                  summary="x", state=WorkflowState.DRAFT)
    client_for(secretariat).post(reverse("dashboard:plan_successor", args=[plan.pk]), {
        "title": "Next", "first_year": 2013, "last_year": 2014})
    assert ProgressReport.objects.count() == 1


def test_a_city_that_left_the_network_is_not_offered_nor_accepted(plan, points, cities, secretariat, client_for):
    assert cities["copenhagen"].left is not None
    url = reverse("dashboard:point_cities", args=[points["1.2"].pk])
    client = client_for(secretariat)

    assert "Copenhagen" not in client.get(url).content.decode()
    response = client.post(url, {"coordinating_city": cities["oslo"].pk, "partner_cities": [cities["copenhagen"].pk]})

    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()
    assert not points["1.2"].partner_cities.exists()


def test_a_former_member_on_an_old_point_stays_listed_and_is_not_copied_into_the_next_plan(
        plan, assigned, cities, secretariat, client_for):
    point = assigned["1.3"]
    point.partner_cities.add(cities["copenhagen"])  # from the days it was a member
    client = client_for(secretariat)

    assert "Copenhagen" in client.get(reverse("dashboard:point_cities", args=[point.pk])).content.decode()
    client.post(reverse("dashboard:plan_successor", args=[plan.pk]),
                {"title": "Action Plan 2013–2014", "first_year": 2013, "last_year": 2014})

    copied = ActionPoint.objects.get(continues=point)
    assert [c.slug for c in copied.partner_cities.all()] == ["tallinn"]


def test_the_service_refuses_a_former_member_whoever_calls_it(points, cities, secretariat):
    import pytest
    from django.core.exceptions import ValidationError

    from actions.services import point_assign

    with pytest.raises(ValidationError, match="Copenhagen left the network"):
        point_assign(point=points["1.2"], coordinating_city=cities["copenhagen"], partner_cities=[], user=secretariat)


def test_dates_are_written_one_way_not_the_american_default(plan, periods, secretariat, client_for):
    page = client_for(secretariat).get(reverse("dashboard:plan", args=[plan.pk])).content.decode()

    assert "31 Jul 2011" in page and "1 Jan 2011 – 30 Jun 2011" in page  # the due date; the dates
    assert "07/31/2011" not in page and "July 31, 2011" not in page
