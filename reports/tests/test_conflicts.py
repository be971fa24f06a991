"""Two people saving the same report: the second is told, sees both versions and loses nothing."""

from django.urls import reverse

from reports.models import ProgressReport

from .conftest import form_data


def test_the_second_save_is_refused_with_both_versions_shown(riga_report, alice, client_for, cities):
    # alice in two browser tabs, both opened at the same version
    url = reverse("reports:report", args=[riga_report.pk])
    opened_at = riga_report.version
    history_before = riga_report.history.count()

    first = client_for(alice).post(url, form_data(riga_report, summary="Version from tab one."))
    second = client_for(alice).post(url, form_data(version=opened_at, summary="Version from tab two."))

    assert first.status_code == 302
    assert second.status_code == 200
    page = second.content.decode()
    assert "This report changed since you opened it" in page
    assert "Version from tab one." in page  # the saved version, beside...
    assert page.count("Version from tab two.") >= 2  # ...the unsaved one, kept in the form
    riga_report.refresh_from_db()
    assert riga_report.summary == "Version from tab one."
    assert riga_report.history.count() == history_before + 1

    # Saving again from the conflict page (which carries the new version) replaces it knowingly.
    version_in_form = second.context["form"]["version"].value()
    assert version_in_form == riga_report.version
    client_for(alice).post(url, form_data(version=version_in_form, summary="Merged version."))
    riga_report.refresh_from_db()
    assert riga_report.summary == "Merged version."
    assert riga_report.history.count() == history_before + 2


def test_each_save_leaves_exactly_one_history_record_of_what_changed(riga_report, alice, client_for):
    url = reverse("reports:report", args=[riga_report.pk])
    client_for(alice).post(url, form_data(riga_report, summary="Now with numbers.", delivery_status="at_risk"))

    latest, previous = riga_report.history.order_by("-history_date", "-history_id")[:2]
    changed = {c.field for c in latest.diff_against(previous, excluded_fields=["version", "updated"]).changes}
    assert changed == {"summary", "delivery_status", "next_steps"}
    assert latest.history_user == alice
    assert riga_report.history.count() == 2


def test_a_conflicting_submit_does_not_submit(riga_report, alice, client_for):
    url = reverse("reports:report", args=[riga_report.pk])
    stale = riga_report.version
    client_for(alice).post(url, form_data(riga_report, summary="Saved first."))

    response = client_for(alice).post(url, form_data(version=stale, action="submit"))

    assert response.status_code == 200
    assert ProgressReport.objects.get().state == "draft"


def test_the_coordinators_update_is_version_checked_too(assigned, alice, client_for):
    point = assigned["1.3"]
    url = reverse("actions:action_point_update", args=[point.pk])
    client_for(alice).post(url, {"coordinator_summary": "First.", "version": point.version})

    response = client_for(alice).post(url, {"coordinator_summary": "Second.", "version": point.version})

    assert response.status_code == 200
    assert "This action point changed since you opened it" in response.content.decode()
    point.refresh_from_db()
    assert point.coordinator_summary == "First."


def test_writing_a_report_that_a_colleague_started_meanwhile_keeps_both_texts(assigned, periods, alice, client_for):
    point, period = assigned["1.3"], periods["2011 H1"]
    page = reverse("reports:open", args=[point.pk, period.pk])
    form = client_for(alice).get(page)  # opened here, with no report yet…
    assert form.status_code == 200
    client_for(alice).post(page, form_data(summary="The colleague's text."))  # …started in another tab

    response = client_for(alice).post(page, form_data(summary="My own text."))

    assert response.status_code == 200
    text = response.content.decode()
    assert "This report changed since you opened it" in text
    assert "The colleague&#x27;s text." in text and "My own text." in text
    assert ProgressReport.objects.get().summary == "The colleague's text."
