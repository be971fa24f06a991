"""The dashboard's cached fragments: fewer queries, and every change shows on the next page."""

import random
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import DeliveryStatus
from cities.tests.factories import CityFactory
from dashboard import services as dashboard_services
from reports import services as report_services
from reports.models import ProgressReport, WorkflowState

from .data import add_periods, assign_all, generate_reports

# Session, user, their roles (the Secretariat's check before the view) and the portal's data version
# (4), the page kept for this person if nothing changed since; otherwise also the filter form's plans,
# periods, focus areas and cities (4), the data version again for its shared fragments (1), and when they
# are not cached either, its own reads (points and their partners, latest statuses, freshness, counts
# per period: 5).
QUERIES_KEPT = 4
QUERIES_COMPUTED = 14
AT_RISK, DELAYED = "▲</span> At risk", "✖</span> Delayed"


def _queries(client, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("dashboard:home"), params or {})
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_runs_a_fixed_number_of_queries_at_any_size(plan, cities, secretariat, client_for):
    client = client_for(secretariat)
    periods = add_periods(plan, 1)
    assign_all(plan, cities, random.Random(5))
    generate_reports(plan, periods, cities, seed=1, share=0.3)
    small = [_queries(client), _queries(client), _queries(client, {"city": cities["riga"].pk})]

    CityFactory.create_batch(3)
    periods = add_periods(plan, 4)
    generate_reports(plan, periods[1:], cities, seed=2, share=1)
    assert ProgressReport.objects.filter(state=WorkflowState.SUBMITTED).count() > 30
    large = [_queries(client), _queries(client), _queries(client, {"city": cities["riga"].pk})]

    assert small == large == [QUERIES_COMPUTED, QUERIES_KEPT, QUERIES_COMPUTED]
    assert QUERIES_COMPUTED <= 15


def _without_csrf(page):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def _page(client, period):
    return client.get(reverse("dashboard:home"), {"period": period.pk}).content.decode()


def test_a_report_submitted_approved_or_returned_shows_at_once(plan, assigned, periods, cities, alice,
                                                                 secretariat, client_for):
    client = client_for(secretariat)
    period = periods["2011 H1"]
    report = report_services.report_start(point=assigned["1.3"], city=cities["riga"], period=period, user=alice,
                                          data={"delivery_status": DeliveryStatus.AT_RISK, "summary": "Going."})
    page = _page(client, period)
    at_risk, delayed = page.count(AT_RISK), page.count(DELAYED)  # the legends of the focus areas
    assert "0 reports wait for review" in page
    assert _without_csrf(_page(client, period)) == _without_csrf(page)  # the same, from the cache

    report = report_services.report_submit(report=report, version=report.version, user=alice)
    page = _page(client, period)
    assert page.count(AT_RISK) == at_risk + 1 and "1 report waits for review" in page

    report_services.report_approve(report=report, reviewer=secretariat)
    page = _page(client, period)
    assert page.count(AT_RISK) == at_risk + 1 and "0 reports wait for review" in page

    other = report_services.report_start(point=assigned["2.1"], city=cities["riga"], period=period, user=alice,
                                         data={"delivery_status": DeliveryStatus.DELAYED, "summary": "Late."})
    other = report_services.report_submit(report=other, version=other.version, user=alice)
    assert _page(client, period).count(DELAYED) == delayed + 1
    report_services.report_return(report=other, reviewer=secretariat, comment="More detail, please.")
    assert _page(client, period).count(DELAYED) == delayed


def test_a_closed_period_and_newly_assigned_cities_show_at_once(plan, assigned, periods, cities, points, secretariat,
                                                               client_for):
    client = client_for(secretariat)
    period = periods["2011 H1"]
    page = _page(client, period)
    coordinators = page.count('★<span class="visually-hidden">')
    assert "Email a reminder" in page

    dashboard_services.point_assign(point=points["1.1"], coordinating_city=cities["oslo"],
                                    partner_cities=[cities["riga"]], user=secretariat)
    page = _page(client, period)
    assert page.count('★<span class="visually-hidden">') == coordinators + 1
    assert "1.1, 1.3" in page or "1.1, 2.1" in page  # Riga now owes a report on 1.1

    dashboard_services.period_set_closed(period=period, closed=True, user=secretariat)
    page = _page(client, period)
    assert "<strong>closed</strong>" in page and "Email a reminder" not in page


def test_the_chair_never_gets_the_secretariats_buttons_from_the_cache(plan, assigned, periods, secretariat, chair,
                                                                      client_for):
    period = periods["2011 H1"]
    assert "Email a reminder" in _page(client_for(secretariat), period)
    chair_page = _page(client_for(chair), period)
    assert "Email a reminder" not in chair_page and "1.3" in chair_page
    assert "Email a reminder" in _page(client_for(secretariat), period)
