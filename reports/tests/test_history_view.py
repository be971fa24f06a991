from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import form_data


def test_the_report_history_lists_who_changed_what_and_when(riga_report, alice, secretariat, client_for):
    client = client_for(alice)
    client.post(reverse("reports:report", args=[riga_report.pk]),
                form_data(riga_report, summary="Second draft.", delivery_status="at_risk"))

    page = client_for(secretariat).get(reverse("reports:history", args=[riga_report.pk])).content.decode()

    assert "Alice changed" in page and "Draft saved" in page
    assert "First draft." in page and "Second draft." in page
    assert "Not started" in page and "At risk" in page  # choices shown by their labels
    assert page.index("Second draft.") < page.index("created")  # newest first


def test_the_action_point_history_lists_status_and_partner_changes(assigned, alice, client_for, cities):
    point = assigned["1.3"]
    client_for(alice).post(reverse("actions:action_point_update", args=[point.pk]),
                           {"status": "delayed", "coordinator_summary": "Late data.", "version": point.version})
    point.partner_cities.add(cities["vilnius"])

    page = client_for(alice).get(reverse("actions:action_point_history", args=[point.pk])).content.decode()

    assert "Delayed" in page and "Late data." in page and "Coordinator&#x27;s update" in page
    assert "Tallinn, Vilnius" in page


def test_the_history_page_runs_constant_queries(riga_report, alice, client_for):
    client = client_for(alice)
    url = reverse("reports:report", args=[riga_report.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reports:history", args=[riga_report.pk]))
        return len(queries)

    few = count()
    for n in range(15):
        riga_report.refresh_from_db()
        client.post(url, form_data(riga_report, summary=f"Draft {n}"))
    assert count() == few


def test_the_action_point_history_runs_constant_queries(assigned, alice, client_for, cities):
    point = assigned["1.3"]
    client = client_for(alice)
    url = reverse("actions:action_point_history", args=[point.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for city in ("vilnius", "warsaw", "oslo", "berlin", "helsinki"):
        point.partner_cities.add(cities[city])
        point.save()
    assert count() == few
