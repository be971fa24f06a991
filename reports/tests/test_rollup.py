"""An action point's roll-up: every taking-part city's state for a period, the suggested status (the same
rule as the point's overall status), the coordinator's confirmation with its reason, and the trend."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionPlan, DeliveryStatus
from cities.tests.factories import UserFactory
from reports import services
from reports.models import PointPeriodStatus, ProgressReport, WorkflowState
from reports.rollup import point_rollup, rollups, trend_of
from reports.status import overall_statuses, worst_of

from .conftest import set_state

D = DeliveryStatus


@pytest.mark.parametrize("statuses, expected", [
    ([], None),
    ([D.ON_TRACK, D.AT_RISK], D.AT_RISK),
    ([D.COMPLETED, D.DELAYED, D.AT_RISK], D.DELAYED),
    ([D.COMPLETED, D.COMPLETED], D.COMPLETED),
    ([D.COMPLETED, D.ON_TRACK], D.ON_TRACK),
    ([D.NOT_STARTED], D.NOT_STARTED),
])
def test_the_suggestion_is_the_rule_of_the_overall_status(statuses, expected):
    assert worst_of(statuses) == expected


@pytest.mark.parametrize("statuses, word", [
    ([], ""), ([D.ON_TRACK], ""), ([D.AT_RISK, D.ON_TRACK], "improving"), ([D.ON_TRACK, None, D.DELAYED], "worsening"),
    ([D.ON_TRACK, D.ON_TRACK], "steady"), ([D.DELAYED, D.ON_TRACK, D.COMPLETED], "improving"),
])
def test_the_trend_compares_the_last_two_periods_with_a_status(statuses, word):
    assert trend_of(statuses).word == word


@pytest.fixture
def point(assigned):
    return assigned["1.3"]  # Riga (alice) coordinates, Tallinn (bob) partners


def _report(point, city, period, status, state=WorkflowState.APPROVED):
    report = ProgressReport.objects.create(action_point=point, city=city, period=period, delivery_status=status,
                                           summary=f"{city} on {point.number}.")
    return set_state(report, state) if state != WorkflowState.DRAFT else report


def _url(point, period=None):
    return reverse("reports:rollup", args=[point.pk]) + (f"?period={period.pk}" if period else "")


def test_it_suggests_from_approved_reports_only_and_shows_every_city(point, periods, cities, alice, client_for):
    h1 = periods["2011 H1"]
    riga = _report(point, cities["riga"], h1, D.ON_TRACK)
    _report(point, cities["tallinn"], h1, D.DELAYED, WorkflowState.SUBMITTED)

    page = client_for(alice).get(_url(point, h1))

    assert page.status_code == 200
    text = page.content.decode()
    assert "Riga" in text and "Tallinn" in text and "(coordinating city)" in text
    assert reverse("reports:report", args=[riga.pk]) in text
    rolled = page.context["rollup"]
    assert rolled.suggested == D.ON_TRACK  # Tallinn's delayed report is not approved yet
    assert [row.state for row in rolled.rows] == [WorkflowState.APPROVED, WorkflowState.SUBMITTED]
    assert "Confirm the status for 2011 H1" in text


def test_a_partner_sees_the_rollup_but_not_the_form_nor_a_draft_it_may_not_open(point, periods, cities, bob,
                                                                               alice, mayor, client_for):
    h1 = periods["2011 H1"]
    draft = _report(point, cities["riga"], h1, D.DELAYED, WorkflowState.DRAFT)

    response = client_for(bob).get(_url(point, h1))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Confirm the status" not in text
    assert reverse("reports:report", args=[draft.pk]) not in text
    assert "Not shown to you yet" in text
    assert "Confirm the status" not in client_for(mayor).get(_url(point, h1)).content.decode()
    # Riga's own draft is Riga's to open
    assert reverse("reports:report", args=[draft.pk]) in client_for(alice).get(_url(point, h1)).content.decode()


def test_who_may_confirm(point, periods, bob, mayor, alice, secretariat, client_for):
    h1 = periods["2011 H1"]
    data = {"status": "on_track", "reason": "Fine.", "version": 0}
    assert client_for(None).get(_url(point, h1)).status_code == 302  # to the login page
    assert client_for(UserFactory(username="nobody")).get(_url(point, h1)).status_code == 403
    for person in (bob, mayor):
        assert client_for(person).post(_url(point, h1), data).status_code == 403
    assert not PointPeriodStatus.objects.exists()
    assert client_for(secretariat).post(_url(point, h1), data).status_code == 302
    with pytest.raises(services.PermissionDenied):
        services.confirm_point_status(point=point, period=h1, status="delayed", reason="x", by=bob, expected_version=1)


def test_a_closed_periods_status_stays_as_it_is(point, periods, alice, secretariat, client_for):
    h1 = periods["2011 H1"]
    services.confirm_point_status(point=point, period=h1, status="on_track", reason="Fine.", by=alice,
                                  expected_version=0)
    services.period_set_closed(period=h1, closed=True, user=secretariat)
    browser = client_for(alice)

    page = browser.get(_url(point, h1)).content.decode()
    assert "The reporting period is closed; the action point's status for it can no longer change." in page
    assert "Confirm the status" not in page
    assert browser.post(_url(point, h1), {"status": "delayed", "reason": "Later.", "version": 1}).status_code == 403
    with pytest.raises(services.ReportStateError):
        services.confirm_point_status(point=point, period=h1, status="delayed", reason="Later.", by=secretariat,
                                      expected_version=1)
    row = PointPeriodStatus.objects.get(action_point=point, period=h1)
    assert (row.status, row.version, row.history.count()) == ("on_track", 1, 1)

    services.period_set_closed(period=h1, closed=False, user=secretariat)  # reopened: it may change again
    assert "Confirm the status" in browser.get(_url(point, h1)).content.decode()


def test_bad_ids_are_404(point, periods, alice, client_for, plan):
    client = client_for(alice)
    assert client.get(reverse("reports:rollup", args=[999999])).status_code == 404
    assert client.get(_url(point) + "?period=999999").status_code == 404
    assert client.get(_url(point) + "?period=abc").status_code == 404
    other = ActionPlan.objects.create(title="Another plan", first_year=2013, last_year=2014)
    from reports.models import ReportingPeriod
    elsewhere = ReportingPeriod.objects.create(plan=other, label="2013", start="2013-01-01", end="2013-12-31",
                                               due_date="2014-01-31")
    assert client.get(_url(point, elsewhere)).status_code == 404


@pytest.mark.parametrize("data, field", [
    ({"status": "", "reason": "", "version": 0}, "status"),
    ({"status": "excellent", "reason": "", "version": 0}, "status"),
    ({"status": "on_track", "reason": "", "version": "x"}, "version"),
    ({"status": "delayed", "reason": "   ", "version": 0}, "reason"),  # overriding without a reason
])
def test_bad_input_is_a_form_error_next_to_the_field(point, periods, alice, client_for, data, field):
    response = client_for(alice).post(_url(point, periods["2011 H1"]), data)

    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not PointPeriodStatus.objects.exists()
    if field == "reason":
        assert "Say why the status differs" in response.content.decode()


def test_confirming_keeps_one_history_row_with_the_reason_and_sets_the_points_overall_status(
    point, periods, cities, alice, client_for,
):
    h1, h2 = periods["2011 H1"], periods["2011 H2"]
    _report(point, cities["riga"], h1, D.ON_TRACK)
    client = client_for(alice)

    assert client.post(_url(point, h1), {"status": "on_track", "reason": "", "version": 0}).status_code == 302
    assert client.post(_url(point, h2), {"status": "at_risk", "reason": "Funding is late.", "version": 0}
                       ).status_code == 302

    rows = PointPeriodStatus.history.filter(action_point_id=point.pk).order_by("history_id")
    assert [(r.period_id, r.status, r.reason, r.history_user_id, r.history_change_reason) for r in rows] == [
        (h1.pk, "on_track", "", alice.pk, "Status confirmed"),
        (h2.pk, "at_risk", "Funding is late.", alice.pk, "Suggested status overridden")]
    point.refresh_from_db()
    assert point.status == D.AT_RISK  # the latest confirmed period's
    assert overall_statuses([point])[point.pk].status == D.AT_RISK
    # confirming an earlier period again does not overrule the later one
    client.post(_url(point, h1), {"status": "delayed", "reason": "Looking back, it was late.", "version": 1})
    point.refresh_from_db()
    assert point.status == D.AT_RISK

    page = client.get(_url(point, h2)).content.decode()
    assert "Funding is late." in page and "Looking back" not in page  # this period's reasons only
    assert "improving" in page  # delayed in 2011 H1, at risk in 2011 H2
    assert point_rollup(point, period=h2, roles=None).trend.word == "improving"


def test_a_stale_form_is_a_conflict_and_nothing_is_written(point, periods, alice, secretariat, client_for):
    h1 = periods["2011 H1"]
    client_for(secretariat).post(_url(point, h1), {"status": "delayed", "reason": "Sara's view.", "version": 0})

    response = client_for(alice).post(_url(point, h1), {"status": "on_track", "reason": "Alice's view.", "version": 0})

    assert response.status_code == 409
    text = response.content.decode()
    assert "Someone confirmed this period's status since you opened the page." in text
    assert "Sara&#x27;s view." in text and "Alice&#x27;s view." in text  # theirs shown, mine kept in the form
    row = PointPeriodStatus.objects.get()
    assert (row.status, row.reason, row.version) == ("delayed", "Sara's view.", 1)
    assert row.history.count() == 1


def test_a_version_from_nowhere_is_a_conflict_too(point, periods, alice, client_for):
    response = client_for(alice).post(_url(point, periods["2011 H1"]), {"status": "on_track", "reason": "x",
                                                                         "version": 7})

    assert response.status_code == 409
    assert "Someone confirmed this period's status since you opened the page." in response.content.decode()
    assert not PointPeriodStatus.objects.exists()
    assert response.context["form"]["version"].value() == 0  # confirming again from here goes through


def test_the_two_step_coordinator_opens_a_partners_report_with_it(plan, point, periods, cities, alice, secretariat,
                                                                  client_for):
    services.plan_review_mode_set(plan=plan, mode=ActionPlan.ReviewMode.TWO_STEP, user=secretariat)
    h1 = periods["2011 H1"]
    partner = _report(point, cities["tallinn"], h1, D.AT_RISK, WorkflowState.WITH_COORDINATOR)

    text = client_for(alice).get(_url(point, h1)).content.decode()

    assert reverse("reports:report", args=[partner.pk]) in text and "With the coordinator" in text


def test_the_page_shows_the_points_indicators(point, periods, alice, client_for):
    from indicators.models import Indicator

    indicator = Indicator.objects.create(name="Cycling share", unit="%", first_year=2010, last_year=2012)
    indicator.action_points.add(point)

    assert "Cycling share" in client_for(alice).get(_url(point, periods["2011 H1"])).content.decode()


def test_the_rollups_of_many_points_take_the_same_queries(assigned, periods, cities):
    from actions.models import ActionPoint

    period_list = list(periods.values())

    def count(points):
        with CaptureQueriesContext(connection) as queries:
            rollups(points, periods=period_list, period=period_list[-1], with_rows=True)
        return len(queries)

    few = list(ActionPoint.objects.filter(pk=assigned["1.3"].pk).prefetch_related("partner_cities"))
    _report(assigned["2.1"], cities["riga"], period_list[0], D.ON_TRACK)
    many = list(ActionPoint.objects.all().prefetch_related("partner_cities"))
    assert count(few) == count(many) <= 6


# The same roll-up on the dashboard, in the progress report and in the digest ------------------------------


@pytest.fixture
def worsening(point, periods, cities, alice):
    """1.3 confirmed on track in 2011 H1, then delayed (overriding an on-track suggestion) in 2011 H2."""
    h1, h2 = periods["2011 H1"], periods["2011 H2"]
    _report(point, cities["riga"], h1, D.ON_TRACK)
    _report(point, cities["riga"], h2, D.ON_TRACK)
    services.confirm_point_status(point=point, period=h1, status="on_track", by=alice, expected_version=0)
    services.confirm_point_status(point=point, period=h2, status="delayed", reason="The partners' data is late.",
                                  by=alice, expected_version=0)
    return h2


def test_the_dashboard_shows_each_points_rollup_line(plan, point, worsening, secretariat, client_for):
    page = client_for(secretariat).get(reverse("dashboard:home") + f"?plan={plan.pk}&period={worsening.pk}")

    text = page.content.decode()
    assert "Action points: status and trend" in text
    line = text[text.index("Action point 1.3</a>"):][:600]
    assert "Delayed" in line and "2011 H2 confirmed Delayed" in line and "worsening" in line
    assert f'{_url(point, worsening)}"' in text


def test_the_progress_report_shows_the_same_rollup_line(plan, point, worsening, secretariat, client_for):
    query = f"?plan={plan.pk}&period={worsening.pk}"
    text = client_for(secretariat).get(reverse("dashboard:progress_report") + query).content.decode()

    assert "Action point 1.3: Delayed · 2011 H2 confirmed Delayed · trend: ↘ worsening" in text
    pdf = client_for(secretariat).get(reverse("dashboard:progress_report_pdf") + query)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_mayors_digest_names_the_cities_worst_points_with_their_rollup(point, worsening, mayor):
    from digests import services as digest_services
    from notifications.models import OutboxMessage

    digest_services.digests_fan_out(queue=False)

    mail = OutboxMessage.objects.get(recipient=mayor)
    assert "Action points to watch" in mail.body_text and "Action points to watch" in mail.body_html
    assert "Action point 1.3: Delayed · 2011 H2 confirmed Delayed · trend: ↘ worsening" in mail.body_text
    assert _url(point, worsening) in mail.body_text and _url(point, worsening) in mail.body_html


def test_the_page_takes_the_same_queries_whatever_the_number_of_cities_and_reports(point, periods, cities, alice,
                                                                                   client_for):
    h1 = periods["2011 H1"]
    client = client_for(alice)

    def count():
        client.get(_url(point, h1))  # sessions and the like warmed up
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(point, h1)).status_code == 200
        return len(queries)

    _report(point, cities["riga"], h1, D.ON_TRACK)
    few = count()
    for slug in ("vilnius", "warsaw", "helsinki"):
        point.partner_cities.add(cities[slug])
        _report(point, cities[slug], h1, D.AT_RISK)
    services.confirm_point_status(point=point, period=h1, status="at_risk", by=alice, expected_version=0)
    services.confirm_point_status(point=point, period=h1, status="delayed", reason="Later news.", by=alice,
                                  expected_version=1)
    assert count() == few


def test_the_coordinators_workspace_and_queue_link_to_the_rollup(plan, point, periods, alice, bob, secretariat,
                                                                  client_for):
    h2 = periods["2011 H2"]  # the current period
    link = f'href="{_url(point, h2)}"'
    assert link in client_for(alice).get(reverse("reports:workspace", args=["riga"])).content.decode()
    assert link not in client_for(bob).get(reverse("reports:workspace", args=["tallinn"])).content.decode()
    services.plan_review_mode_set(plan=plan, mode=ActionPlan.ReviewMode.TWO_STEP, user=secretariat)
    assert link in client_for(alice).get(reverse("reports:coordination") + f"?period={h2.pk}").content.decode()
