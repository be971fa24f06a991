"""The delegate's path: draft -> submit -> return -> resubmit -> approve, and who may take each step."""

import pytest
from django.core import mail
from django.urls import reverse

from notifications.models import OutboxMessage
from notifications.services import outbox_send
from reports import services
from reports.models import ProgressReport, WorkflowState

from .conftest import form_data, set_state


def send_outbox():
    for message in OutboxMessage.objects.filter(sent_at__isnull=True):
        outbox_send(message_id=message.pk)


def test_a_delegate_writes_a_draft_comes_back_and_submits(assigned, period, alice, secretariat, client_for,
                                                           django_capture_on_commit_callbacks):
    client = client_for(alice)
    open_url = reverse("reports:open", args=[assigned["1.3"].pk, period.pk])

    page = client.get(open_url)
    assert page.status_code == 200 and '<label for="id_summary">' in page.content.decode()
    response = client.post(open_url, form_data(summary="Indicators drafted."))
    report = ProgressReport.objects.get()
    assert response["Location"] == reverse("reports:report", args=[report.pk])
    assert report.state == WorkflowState.DRAFT and report.summary == "Indicators drafted."

    # Coming back: the open link leads to the same report, the form holds the draft.
    page = client.get(open_url, follow=True)
    assert "Indicators drafted." in page.content.decode()

    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:report", args=[report.pk]),
                    form_data(report, summary="Indicators agreed by all.", action="submit"))
    report.refresh_from_db()
    assert report.state == WorkflowState.SUBMITTED
    assert report.submitted_by == alice and report.submitted_at is not None

    send_outbox()
    assert [m.to for m in mail.outbox] == [[secretariat.email]]
    assert "Submitted for review: Riga on 1.3" in mail.outbox[0].subject
    assert "Indicators agreed by all." in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_a_report_can_be_written_and_submitted_at_once(assigned, period, alice, client_for):
    client_for(alice).post(reverse("reports:open", args=[assigned["2.1"].pk, period.pk]), form_data(action="submit"))
    assert ProgressReport.objects.get().state == WorkflowState.SUBMITTED


def test_the_full_review_loop(riga_report, alice, secretariat, client_for, django_capture_on_commit_callbacks):
    client = client_for(alice)
    url = reverse("reports:report", args=[riga_report.pk])
    client.post(url, form_data(riga_report, action="submit"))
    riga_report.refresh_from_db()

    services.report_return(report=riga_report, reviewer=secretariat, comment="Which cities have sent data?")
    page = client.get(url).content.decode()
    assert "Returned by the Secretariat" in page and "Which cities have sent data?" in page
    assert "Resubmit for review" in page

    client.post(url, form_data(riga_report, summary="Riga, Tallinn and Vilnius sent data.", action="submit"))
    riga_report.refresh_from_db()
    assert riga_report.state == WorkflowState.SUBMITTED

    services.report_approve(report=riga_report, reviewer=secretariat)
    riga_report.refresh_from_db()
    assert riga_report.state == WorkflowState.APPROVED

    page = client.get(url).content.decode()
    assert "Save draft" not in page and "Riga, Tallinn and Vilnius sent data." in page
    reasons = list(riga_report.history.order_by("history_date").values_list("history_change_reason", flat=True))
    assert reasons[-4:] == ["Submitted for review", "Returned for changes", "Resubmitted for review", "Approved"]
    send_outbox()
    subjects = [m.subject for m in mail.outbox]
    assert any("returned for changes" in s for s in subjects) and any("was approved" in s for s in subjects)
    assert sum(alice.email in m.to for m in mail.outbox) == 2


def test_a_submitted_or_approved_report_is_read_only_to_its_delegate(riga_report, alice, client_for):
    url = reverse("reports:report", args=[riga_report.pk])
    for state in (WorkflowState.SUBMITTED, WorkflowState.APPROVED):
        set_state(riga_report, state)
        page = client_for(alice).get(url).content.decode()
        assert "Save draft" not in page
        response = client_for(alice).post(url, form_data(riga_report, summary="Sneaky change"))
        assert response.status_code == 302
        riga_report.refresh_from_db()
        assert riga_report.summary == "First draft."


def test_a_double_clicked_submit_submits_once(riga_report, alice, secretariat, client_for):
    client = client_for(alice)
    url = reverse("reports:report", args=[riga_report.pk])
    data = form_data(riga_report, action="submit")

    first, second = client.post(url, data), client.post(url, data)

    assert first.status_code == second.status_code == 302
    assert OutboxMessage.objects.filter(kind="report_submitted").count() == 1
    assert riga_report.history.filter(history_change_reason="Submitted for review").count() == 1
    page = client.get(second["Location"]).content.decode()
    assert "This report is submitted and can no longer be changed." in page


def test_a_double_clicked_new_report_creates_one_report(assigned, period, alice, client_for):
    client = client_for(alice)
    url = reverse("reports:open", args=[assigned["1.3"].pk, period.pk])
    client.post(url, form_data())
    response = client.post(url, form_data())
    assert ProgressReport.objects.count() == 1
    assert response.status_code == 302


def test_returning_needs_a_comment_and_only_submitted_reports_are_reviewed(riga_report, secretariat):
    with pytest.raises(services.ReportStateError, match="Only submitted reports"):
        services.report_approve(report=riga_report, reviewer=secretariat)
    set_state(riga_report, WorkflowState.SUBMITTED)
    with pytest.raises(services.ReportStateError, match="comment is required"):
        services.report_return(report=riga_report, reviewer=secretariat, comment="  ")
    riga_report.refresh_from_db()
    assert riga_report.state == WorkflowState.SUBMITTED


def test_a_closed_period_locks_its_reports(riga_report, period, alice, client_for):
    period.is_closed = True
    period.save()
    url = reverse("reports:report", args=[riga_report.pk])

    assert "Save draft" not in client_for(alice).get(url).content.decode()
    client_for(alice).post(url, form_data(riga_report, summary="Too late"))
    riga_report.refresh_from_db()
    assert riga_report.summary == "First draft."
    with pytest.raises(services.ReportStateError, match="closed"):
        services.report_update(report=riga_report, version=riga_report.version, user=alice,
                               data={"delivery_status": "on_track", "summary": "x", "next_steps": ""})


def test_only_the_coordinating_citys_delegate_updates_the_points_summary(assigned, alice, bob, client_for):
    point = assigned["1.3"]  # Riga coordinates, Tallinn partners
    url = reverse("actions:action_point_update", args=[point.pk])

    assert client_for(bob).get(url).status_code == 403
    assert client_for(bob).post(url, {"coordinator_summary": "x", "version": 1}).status_code == 403
    # The status is no longer set here (it is confirmed per period on the roll-up): a posted one is ignored.
    response = client_for(alice).post(url, {"status": "at_risk", "coordinator_summary": "Data is late.", "version": 1})
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.status, point.coordinator_summary) == (None, "Data is late.")
    assert point.history.first().history_user == alice
    assert "Update the coordinator's summary" not in client_for(bob).get(point.get_absolute_url()).content.decode()
    assert "Update the coordinator's summary" in client_for(alice).get(point.get_absolute_url()).content.decode()


def test_the_action_point_page_shows_approved_reports_as_a_timeline(assigned, periods, cities, alice, bob, client_for):
    point = assigned["1.3"]
    approved = ProgressReport.objects.create(action_point=point, city=cities["tallinn"], period=periods["2011 H1"],
                                             summary="Tallinn ran the school pilot.", delivery_status="completed")
    set_state(approved, WorkflowState.APPROVED)
    ProgressReport.objects.create(action_point=point, city=cities["riga"], period=periods["2011 H2"],
                                  summary="Unapproved Riga draft.")

    page = client_for(bob).get(point.get_absolute_url()).content.decode()

    assert "Tallinn ran the school pilot." in page and "Completed" in page
    assert "Unapproved Riga draft." not in page
    assert "Last reported on" in page and "1 Jul 2011" in page
