import random
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import DeliveryStatus
from cities.tests.factories import CityFactory
from dashboard import selectors
from reports.models import ProgressReport, WorkflowState

from .data import add_periods, assign_all, generate_reports, submitted


def direct_latest(plan, period):
    """The matrix computed the plain way: walk every report, keep the newest reported one."""
    latest = {}
    for report in ProgressReport.objects.filter(period__plan=plan).select_related("period", "action_point"):
        if report.state not in (WorkflowState.SUBMITTED, WorkflowState.APPROVED) or report.period.start > period.start:
            continue
        key = (report.action_point_id, report.city_id)
        if key not in latest or latest[key].period.start < report.period.start:
            latest[key] = report
    return latest


def test_it_counts_the_matrix_as_the_reports_say(plan, cities):
    periods = add_periods(plan, 4)
    assign_all(plan, cities, random.Random(3))
    generate_reports(plan, periods, cities, seed=7)
    for period in (periods[1], periods[3]):
        data = selectors.dashboard(plan=plan, period=period)
        latest = direct_latest(plan, period)
        members = {city.pk for city in cities.values() if city.left is None}
        expected = Counter()
        for (point_id, city_id), report in latest.items():
            if city_id in members:
                expected[(report.action_point.focus_area_id, report.delivery_status)] += 1
        got = Counter()
        for block in data["areas"]:
            for status, n in block.counts.items():
                got[(block.area.pk, status)] = n
            for row in block.rows:
                for city, cell in zip(data["cities"], row.cells, strict=True):
                    report = latest.get((row.point.pk, city.pk))
                    assert cell.status == (report.delivery_status if report else None)
        assert got == +expected
        assert sum(expected.values()) > 20


def test_it_shows_the_share_of_reports_submitted_per_city(plan, assigned, periods, cities):
    period = periods["2011 H1"]
    submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": period})
    ProgressReport.objects.create(action_point=assigned["2.1"], city=cities["riga"], period=period, summary="draft")

    shares = {share.city.slug: share for share in selectors.dashboard(plan=plan, period=period)["shares"]}

    assert (shares["riga"].submitted, shares["riga"].expected, shares["riga"].percent) == (1, 2, 50)
    assert (shares["tallinn"].submitted, shares["tallinn"].expected) == (0, 2)
    assert shares["oslo"].percent is None


def test_the_page_shows_statuses_in_words_and_marks_the_coordinator(plan, assigned, periods, cities, secretariat,
                                                                   client_for):
    report = submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": periods["2011 H1"],
                        "delivery_status": DeliveryStatus.AT_RISK})
    page = client_for(secretariat).get(reverse("dashboard:home"), {"period": report.period_id}).content.decode()

    assert "▲</span> At risk" in page
    assert "★<span class=\"visually-hidden\"> Coordinating city</span>" in page
    assert "<svg" in page and "Reports per period by delivery status" in page
    assert "Email a reminder" in page


def test_it_flags_points_without_an_approved_report_for_two_periods(plan, assigned, periods, cities):
    approved = submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": periods["2011 H2"]})
    approved.state = WorkflowState.APPROVED
    approved.reviewed_at = approved.submitted_at
    approved.save()
    submitted({"action_point": assigned["2.1"], "city": cities["tallinn"], "period": periods["2011 H2"]})

    data = selectors.dashboard(plan=plan, period=periods["2011 H2"])
    stale = {row.point.number for block in data["areas"] for row in block.rows if row.is_stale}
    rows = {row.point.number: row for block in data["areas"] for row in block.rows}

    assert "1.3" not in stale and "2.1" in stale and "1.1" in stale
    assert data["stale_count"] == 13
    assert rows["2.1"].last_reported is not None and rows["1.1"].last_reported is None
    # With only one period begun, nothing is flagged yet.
    assert selectors.dashboard(plan=plan, period=periods["2011 H1"])["stale_count"] == 0


def test_it_lists_missing_reports_by_city(plan, assigned, periods, cities):
    submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": periods["2011 H1"]})

    missing = {item.city.slug: [p.number for p in item.points] for item in
               selectors.dashboard(plan=plan, period=periods["2011 H1"])["missing"]}

    assert missing == {"riga": ["2.1"], "tallinn": ["1.3", "2.1"]}


def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def test_the_dashboard_and_queue_run_the_same_number_of_queries_at_any_size(plan, cities, secretariat, client_for):
    client = client_for(secretariat)
    rng = random.Random(5)
    periods = add_periods(plan, 1)
    assign_all(plan, cities, rng)
    generate_reports(plan, periods, cities, seed=1, share=0.3)
    urls = [reverse("dashboard:home"), reverse("dashboard:queue"), reverse("dashboard:reports"),
            reverse("dashboard:progress_report")]
    small = [_count_queries(client, url) for url in urls]

    CityFactory.create_batch(3)
    periods = add_periods(plan, 4)
    generate_reports(plan, periods[1:], cities, seed=2, share=1)
    assert ProgressReport.objects.filter(state=WorkflowState.SUBMITTED).count() > 30
    large = [_count_queries(client, url) for url in urls]

    assert small == large
    # The dashboard reads the plan's reports once for the matrix, the history and the roll-up panel.
    assert large[0] <= 14


def test_the_chart_has_a_text_alternative_with_the_same_numbers(plan, assigned, periods, cities):
    from dashboard.charts import status_chart

    submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": periods["2011 H1"],
               "delivery_status": DeliveryStatus.DELAYED})
    submitted({"action_point": assigned["2.1"], "city": cities["riga"], "period": periods["2011 H1"],
               "delivery_status": DeliveryStatus.DELAYED})
    plan_periods = selectors.plan_periods(plan)
    history = selectors.status_history(plan_periods, selectors.reported_counts(selectors.plan_report_rows(plan_periods)))
    svg = status_chart(history)

    assert svg.startswith("<svg") and 'role="img"' in svg and "<desc" in svg
    assert "<title>Delayed: 2</title>" in svg
    first = dict((status, n) for status, _label, n in history[0]["counts"])
    assert first["delayed"] == 2 and history[0]["total"] == 2 and history[1]["total"] == 0


def test_the_filters_stay_in_the_links(plan, assigned, periods, cities, secretariat, client_for):
    query = {"plan": plan.pk, "period": periods["2011 H2"].pk, "city": cities["riga"].pk, "state": "approved"}
    page = client_for(secretariat).get(reverse("dashboard:reports"), query).content.decode()

    expected = f"plan={plan.pk}&amp;period={periods['2011 H2'].pk}&amp;city={cities['riga'].pk}&amp;state=approved"
    assert f'{reverse("dashboard:export_csv")}?{expected}' in page
    assert f'{reverse("dashboard:export_xlsx")}?{expected}' in page
    assert 'method="get"' in page
