from django.core import mail  # noqa: F401
from django.urls import reverse

from notifications.models import OutboxMessage
from reports.models import ProgressReport, WorkflowState

from .data import submitted


def _report(assigned, periods, cities, period="2011 H2", **extra):
    return submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": periods[period], **extra})


def test_the_review_page_shows_the_previous_periods_report_beside(assigned, periods, cities, secretariat, client_for):
    older = _report(assigned, periods, cities, "2011 H1", summary="Last half year we planned.")
    older.state = WorkflowState.APPROVED
    older.reviewed_at = older.submitted_at
    older.save()
    report = _report(assigned, periods, cities, summary="This half year we did.")

    page = client_for(secretariat).get(reverse("dashboard:review", args=[report.pk])).content.decode()

    assert "This half year we did." in page and "Last half year we planned." in page
    assert page.index("This half year we did.") < page.index("Last half year we planned.")
    assert "Previous period (2011 H1)" in page and "Approve" in page


def test_the_secretariat_approves_a_submitted_report(assigned, periods, cities, secretariat, alice, client_for):
    report = _report(assigned, periods, cities)

    response = client_for(secretariat).post(reverse("dashboard:approve", args=[report.pk]), {"comment": ""})

    assert response.status_code == 302 and response["Location"] == reverse("dashboard:queue")
    report.refresh_from_db()
    assert report.state == WorkflowState.APPROVED and report.reviewed_by == secretariat
    assert report.history.first().history_change_reason == "Approved"
    assert OutboxMessage.objects.filter(kind="report_approved", to=alice.email).exists()


def test_returning_needs_a_comment(assigned, periods, cities, secretariat, alice, client_for):
    report = _report(assigned, periods, cities)
    client = client_for(secretariat)

    response = client.post(reverse("dashboard:return", args=[report.pk]), {"comment": "  "})

    assert response.status_code == 400
    assert "a comment is required to return a report" in response.content.decode()
    report.refresh_from_db()
    assert report.state == WorkflowState.SUBMITTED

    client.post(reverse("dashboard:return", args=[report.pk]), {"comment": "Add the numbers, please."})
    report.refresh_from_db()
    assert report.state == WorkflowState.RETURNED and report.review_comment == "Add the numbers, please."
    assert OutboxMessage.objects.filter(kind="report_returned").exists()


def test_only_submitted_reports_can_be_reviewed(assigned, periods, cities, secretariat, client_for):
    client = client_for(secretariat)
    draft = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"],
                                          period=periods["2011 H1"], summary="draft")
    approved = _report(assigned, periods, cities)
    client.post(reverse("dashboard:approve", args=[approved.pk]))

    for report in (draft, approved):
        before = ProgressReport.objects.get(pk=report.pk)
        response = client.post(reverse("dashboard:approve", args=[report.pk]), follow=True)
        assert "Only submitted reports can be reviewed" in response.content.decode()
        response = client.post(reverse("dashboard:return", args=[report.pk]), {"comment": "No"}, follow=True)
        assert "Only submitted reports can be reviewed" in response.content.decode()
        assert ProgressReport.objects.get(pk=report.pk).state == before.state
    page = client.get(reverse("dashboard:review", args=[approved.pk])).content.decode()
    assert "Your decision" not in page


def test_reports_of_a_closed_period_cannot_be_reviewed(assigned, periods, cities, secretariat, client_for):
    report = _report(assigned, periods, cities)
    client = client_for(secretariat)
    client.post(reverse("dashboard:period_close", args=[report.period_id]))

    client.post(reverse("dashboard:approve", args=[report.pk]))

    report.refresh_from_db()
    assert report.state == WorkflowState.SUBMITTED


def test_only_the_secretariat_reviews(assigned, periods, cities, alice, chair, mayor, client_for):
    report = _report(assigned, periods, cities)
    for person in (alice, chair, mayor):
        client = client_for(person)
        assert client.post(reverse("dashboard:approve", args=[report.pk])).status_code == 403
        assert client.post(reverse("dashboard:return", args=[report.pk]), {"comment": "x"}).status_code == 403
    report.refresh_from_db()
    assert report.state == WorkflowState.SUBMITTED


def test_the_queue_lists_submitted_reports_oldest_first_in_pages(assigned, periods, cities, secretariat, client_for,
                                                                 points):
    from datetime import datetime, timedelta, timezone

    start = datetime(2012, 1, 1, tzinfo=timezone.utc)
    numbers = sorted(points)
    for n, number in enumerate(numbers):
        for m, city in enumerate(["riga", "tallinn"]):
            submitted({"action_point": points[number], "city": cities[city], "period": periods["2011 H2"]})
            ProgressReport.objects.filter(action_point=points[number], city=cities[city]).update(
                submitted_at=start - timedelta(hours=2 * n + m))
    client = client_for(secretariat)

    first = client.get(reverse("dashboard:queue"))
    second = client.get(reverse("dashboard:queue"), {"page": 2})

    assert first.context["page"].paginator.count == 28
    waiting = [r.submitted_at for r in first.context["page"]] + [r.submitted_at for r in second.context["page"]]
    assert waiting == sorted(waiting) and len(waiting) == 28


def test_the_review_page_has_one_comment_box_for_both_decisions(assigned, periods, cities, secretariat, client_for):
    report = _report(assigned, periods, cities)

    page = client_for(secretariat).get(reverse("dashboard:review", args=[report.pk])).content.decode()

    assert page.count('name="comment"') == 1
    assert f'action="{reverse("dashboard:approve", args=[report.pk])}"' in page
    assert f'formaction="{reverse("dashboard:return", args=[report.pk])}"' in page


def test_approving_with_a_comment_keeps_the_comment(assigned, periods, cities, secretariat, client_for):
    report = _report(assigned, periods, cities)

    client_for(secretariat).post(reverse("dashboard:approve", args=[report.pk]), {"comment": "Well documented."})

    report.refresh_from_db()
    assert report.state == WorkflowState.APPROVED and report.review_comment == "Well documented."


def test_the_review_page_links_a_file_of_evidence_to_its_download(assigned, periods, cities, secretariat, alice,
                                                                  client_for):
    from django.core.files.base import ContentFile

    from reports.models import Evidence

    report = _report(assigned, periods, cities)
    evidence = Evidence(report=report, title="Minutes", added_by=alice, content_type="text/plain", size=5)
    evidence.file.save("minutes.txt", ContentFile(b"hello"), save=True)
    client = client_for(secretariat)

    page = client.get(reverse("dashboard:review", args=[report.pk])).content.decode()

    link = reverse("reports:evidence", args=[report.pk, evidence.pk])
    assert f'href="{link}"' in page
    download = client.get(link)
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"hello"


def test_a_dashboard_cell_leads_to_the_review_of_its_report(plan, assigned, periods, cities, secretariat, client_for):
    report = _report(assigned, periods, cities, "2011 H1")

    page = client_for(secretariat).get(reverse("dashboard:home"), {"period": report.period_id}).content.decode()

    assert f'href="{reverse("dashboard:review", args=[report.pk])}"' in page


def test_the_queue_marks_only_the_coordinators_report_of_a_two_step_plan_consolidated(assigned, periods, cities, plan,
                                                                                       secretariat, client_for):
    from actions.models import ActionPlan

    point = assigned["1.3"]
    coordinator, partner = point.coordinating_city, next(c for c in point.partner_cities.all())
    for city in (coordinator, partner):
        submitted({"action_point": point, "city": city, "period": periods["2011 H2"]})
    client = client_for(secretariat)
    badge = ' <span class="badge">Consolidated report</span>'

    one_step = client.get(reverse("dashboard:queue")).content.decode()
    ActionPlan.objects.filter(pk=plan.pk).update(review_mode=ActionPlan.ReviewMode.TWO_STEP)
    two_step = client.get(reverse("dashboard:queue")).content.decode()

    assert "Consolidated report" not in one_step
    assert f"<td>{coordinator.name}{badge}</td>" in two_step and f"<td>{partner.name}</td>" in two_step
    assert two_step.count("Consolidated report") == 1
