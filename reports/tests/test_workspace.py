from datetime import date, datetime, timezone

from django.urls import reverse

from actions.models import ActionPoint
from actions.tests.factories import ActionPointFactory, FocusAreaFactory
from reports.models import ProgressReport, ReportingPeriod, WorkflowState
from testing.queries import assert_constant_queries, count_queries

from .conftest import set_state


def workspace(client, slug="riga", **params):
    return client.get(reverse("reports:workspace", args=[slug]), params)


def test_a_delegate_sees_the_points_their_city_coordinates_and_partners_in(assigned, period, alice, client_for, riga_report):
    page = workspace(client_for(alice), period=period.pk).content.decode()

    assert "Riga: your action points" in page
    assert page.count('class="point-number"') == 2
    assert ">1.3<" in page and ">2.1<" in page and ">1.1<" not in page
    assert "Coordinator" in page and "Partner" in page
    assert "Draft" in page and "Missing" in page
    assert "31 Jul 2011" in page


def test_overdue_reports_come_first_and_say_so_in_words(assigned, periods, alice, client_for, cities):
    # 1.3 approved (not overdue), 2.1 missing (overdue, since 2011 is long past)
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"])
    set_state(report, WorkflowState.APPROVED)

    page = workspace(client_for(alice), period=periods["2011 H1"].pk).content.decode()

    assert "1 report is overdue." in page
    assert page.index(">2.1<") < page.index(">1.3<")
    assert page.count("Overdue</strong>") == 1


def test_a_returned_report_shows_the_reviewers_comment(riga_report, alice, client_for, period):
    set_state(riga_report, WorkflowState.RETURNED)

    page = workspace(client_for(alice), period=period.pk).content.decode()

    assert "Returned" in page and "Please add figures." in page and "Correct" in page


def test_the_workspace_defaults_to_the_current_period(assigned, periods, alice, client_for):
    # Both periods are in the past: the last one that started is current.
    page = workspace(client_for(alice)).content.decode()
    assert "Reports for 2011 H2" in page


def test_mayors_and_observers_read_but_cannot_write(assigned, period, mayor, observer, client_for):
    for person in (mayor, observer):
        response = workspace(client_for(person), period=period.pk)
        assert response.status_code == 200
        assert "Write report" not in response.content.decode()


def test_other_cities_workspaces_are_refused(assigned, alice, mayor, client_for, cities):
    assert workspace(client_for(alice), "tallinn").status_code == 403
    assert workspace(client_for(mayor), "tallinn").status_code == 403


def test_the_secretariat_and_chair_see_any_city(assigned, period, secretariat, chair, client_for):
    for person in (secretariat, chair):
        page = workspace(client_for(person), "tallinn", period=period.pk).content.decode()
        assert "Tallinn: action points" in page and "your action points" not in page and "Write report" not in page


def test_a_mayor_lands_on_their_citys_standing_with_their_latest_digest(assigned, periods, mayor, client_for, cities):
    from django.utils import timezone as django_timezone

    from notifications.models import Kind, OutboxMessage

    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H2"])
    set_state(report, WorkflowState.APPROVED)
    client = client_for(mayor)

    landing = client.get(reverse("home"), follow=True)
    page = landing.content.decode()

    assert landing.redirect_chain[-1][0] == reverse("reports:workspace", args=["riga"])
    assert "Riga in the joint action plan" in page and "your action points" not in page
    assert "How Riga stands against the plan" in page
    assert "2 action points, 1 of them coordinated." in page
    assert "Reports for 2011 H2: 1 approved, 0 awaiting review, 1 still to come, of 2." in page
    assert "No digest has been sent to you yet." in page

    OutboxMessage.objects.create(key="d1", kind=Kind.DIGEST, recipient=mayor, to=mayor.email, status="sent",
                                 sent_at=django_timezone.now(), subject="BaltMet digest for Riga",
                                 body_text="What changed: 1.3 approved.")
    page = client.get(reverse("reports:workspace", args=["riga"])).content.decode()
    assert "Your latest digest" in page
    digest = client.get(reverse("digests:latest")).content.decode()
    assert "BaltMet digest for Riga" in digest and "What changed: 1.3 approved." in digest


def test_an_observer_lands_on_a_read_only_overview_without_a_digest(assigned, periods, observer, client_for):
    page = client_for(observer).get(reverse("home"), follow=True).content.decode()

    assert "Riga in the joint action plan" in page and "read only" in page
    assert "How Riga stands against the plan" in page
    assert "digest" not in page.lower() and "Write report" not in page


def test_the_chair_lands_on_the_network_overview(assigned, periods, chair, client_for):
    landing = client_for(chair).get(reverse("home"), follow=True)

    assert landing.redirect_chain[-1][0] == reverse("dashboard:home")
    assert "The plan at a glance" in landing.content.decode()


def test_an_unknown_city_or_period_is_404(assigned, alice, client_for, period):
    assert workspace(client_for(alice), "atlantis").status_code == 404
    assert workspace(client_for(alice), period=999999).status_code == 404
    assert workspace(client_for(alice), period="x").status_code == 404


def test_anonymous_people_are_sent_to_log_in(assigned, client):
    response = workspace(client)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def _network(cities, points, periods, *, area=None, first_year=2011):
    """`points` more action points in `area` (a new plan's by default) and `periods` more half-year
    periods from `first_year`, with Riga's report on every point in every period."""
    area = area or FocusAreaFactory()
    for n in range(points):
        point = ActionPointFactory(focus_area=area, coordinating_city=cities["riga"] if n % 2 else cities["oslo"])
        if n % 2 == 0:
            point.partner_cities.set([cities["riga"], cities["tallinn"]])
    made = []
    for n in range(periods):
        year, half = first_year + n // 2, n % 2
        made.append(ReportingPeriod.objects.create(
            plan=area.plan, label=f"{year} H{half + 1}", start=date(year, 1 + 6 * half, 1),
            end=date(year, 6, 30) if half == 0 else date(year, 12, 31), due_date=date(year, 6 + 6 * half, 28),
        ))
    for period in made:
        for point in ActionPoint.objects.filter(focus_area=area):
            ProgressReport.objects.get_or_create(action_point=point, city=cities["riga"], period=period,
                                                 defaults={"summary": "x"})
    return area, made[-1]


def test_the_workspace_runs_a_bounded_number_of_queries_whatever_the_data(cities, alice, client_for):
    client = client_for(alice)

    def page(period, points):
        response = workspace(client, period=period.pk)
        assert response.status_code == 200
        assert response.content.decode().count('class="point-number"') == points

    area, period = _network(cities, 5, 1)
    small = count_queries(lambda: page(period, 5))
    _area, period = _network(cities, 45, 19, area=area, first_year=2012)
    assert_constant_queries(small, count_queries(lambda: page(period, 50)))


def test_the_report_page_runs_a_bounded_number_of_queries_whatever_the_data(cities, alice, client_for):
    client = client_for(alice)

    def page(report):
        assert client.get(reverse("reports:report", args=[report.pk])).status_code == 200

    # Two periods at least: beside a draft, the page reads the report of the period before.
    area, period = _network(cities, 5, 2)
    report = ProgressReport.objects.filter(city=cities["riga"], period=period).first()
    small = count_queries(lambda: page(report))
    _area, period = _network(cities, 45, 18, area=area, first_year=2012)
    report = ProgressReport.objects.filter(city=cities["riga"], period=period).first()
    assert_constant_queries(small, count_queries(lambda: page(report)))


APPROVED = {"state": WorkflowState.APPROVED, "submitted_at": datetime(2011, 7, 1, tzinfo=timezone.utc),
            "reviewed_at": datetime(2011, 7, 2, tzinfo=timezone.utc)}


def test_a_delegate_writes_beside_last_periods_report_and_the_partners_latest(assigned, periods, cities, alice,
                                                                            client_for):
    point = assigned["1.3"]  # Riga coordinates, Tallinn is the partner
    ProgressReport.objects.create(action_point=point, city=cities["riga"], period=periods["2011 H1"],
                                  summary="Riga planned the tender.", **APPROVED)
    ProgressReport.objects.create(action_point=point, city=cities["tallinn"], period=periods["2011 H1"],
                                  summary="Tallinn joined the tender.", **APPROVED)
    ProgressReport.objects.create(action_point=point, city=cities["oslo"], period=periods["2011 H1"],
                                  summary="Oslo is not part of this point.", **APPROVED)
    ProgressReport.objects.create(action_point=point, city=cities["tallinn"], period=periods["2011 H2"],
                                  summary="Tallinn's draft, not for others yet.")
    draft = ProgressReport.objects.create(action_point=point, city=cities["riga"], period=periods["2011 H2"])

    page = client_for(alice).get(reverse("reports:report", args=[draft.pk])).content.decode()

    assert "Your city's report for 2011 H1" in page and "Riga planned the tender." in page
    assert "Tallinn joined the tender." in page
    assert "Tallinn's draft" not in page and "Oslo is not part" not in page


def test_in_the_first_period_the_page_says_there_is_no_earlier_report(assigned, periods, cities, alice, client_for):
    draft = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"])

    page = client_for(alice).get(reverse("reports:report", args=[draft.pk])).content.decode()

    assert "This is the first reporting period of the plan." in page
    assert "No report of a partner city on this point yet." in page
