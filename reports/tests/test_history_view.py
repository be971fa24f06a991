from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.models import ProgressReport, ReportingPeriod

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


def test_the_action_point_history_lists_status_and_partner_changes(assigned, periods, alice, client_for, cities):
    point = assigned["1.3"]
    client_for(alice).post(reverse("reports:rollup", args=[point.pk]) + f"?period={periods['2011 H1'].pk}",
                           {"status": "delayed", "reason": "Data is late.", "version": 0})
    point.refresh_from_db()
    client_for(alice).post(reverse("actions:action_point_update", args=[point.pk]),
                           {"coordinator_summary": "Late data.", "version": point.version})
    point.partner_cities.add(cities["vilnius"])

    page = client_for(alice).get(reverse("actions:action_point_history", args=[point.pk])).content.decode()

    assert "Delayed" in page and "Late data." in page and "Coordinator&#x27;s update" in page
    assert "Status confirmed on the roll-up" in page
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


def test_the_report_history_shows_moments_in_the_viewers_time_zone_and_people_by_name(
        riga_report, alice, secretariat, client_for):
    from reports import services

    services.report_submit(report=riga_report, version=riga_report.version, user=alice)
    riga_report.refresh_from_db()
    submitted_at = riga_report.submitted_at
    secretariat.time_zone = "America/New_York"
    secretariat.save()

    page = client_for(secretariat).get(reverse("reports:history", args=[riga_report.pk])).content.decode()

    from zoneinfo import ZoneInfo

    from django.utils.formats import date_format
    in_new_york = date_format(submitted_at.astimezone(ZoneInfo("America/New_York")), "DATETIME_FORMAT")
    assert in_new_york in page
    assert str(submitted_at) not in page and submitted_at.isoformat() not in page
    assert "+00:00" not in page and "Submitted" in page and "Draft" in page
    assert "<td>Alice</td>" in page  # submitted by: the person, not their id


def test_the_report_history_lists_evidence_added_and_removed(riga_report, alice, secretariat, client_for):
    from reports import services
    from reports.models import Evidence

    services.evidence_add(report=riga_report, user=alice, url="https://example.org/minutes", title="Workshop minutes")
    services.evidence_remove(evidence=Evidence.objects.get(), user=alice)

    page = client_for(secretariat).get(reverse("reports:history", args=[riga_report.pk])).content.decode()

    assert "Alice added evidence" in page and "Alice removed evidence" in page
    assert page.count("Workshop minutes") == 2
    assert page.index("removed evidence") < page.index("added evidence")  # newest first


def test_readable_values_are_words_not_raw_values(riga_report):
    import datetime
    from decimal import Decimal

    from django.utils import timezone

    from baltmet.history import readable

    reviewed = ProgressReport._meta.get_field("reviewed_at")
    closed = ReportingPeriod._meta.get_field("is_closed")
    with timezone.override("Europe/Riga"):
        assert readable(datetime.datetime(2026, 12, 1, 23, 49, 9, 106151, tzinfo=datetime.UTC), reviewed) == "2 Dec 2026, 01:49"
    assert readable(datetime.date(2011, 7, 31), ReportingPeriod._meta.get_field("due_date")) == "31 Jul 2011"
    assert readable(True, closed) == "Yes" and readable(False, closed) == "No"
    assert readable(None) == "—" and readable(Decimal("24.5")) == "24.5"
    city = ProgressReport._meta.get_field("city")
    assert readable(riga_report.city_id, city, {(city.related_model, riga_report.city_id): "Riga"}) == "Riga"
