"""Publishing approved reports for the public: the Secretariat's deliberate step, per report or per
period, never for a city that keeps its reports internal; the public sees published reports only."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cities.roles import roles_of
from reports import permissions, services
from reports.models import ProgressReport, WorkflowState

from .conftest import set_state


@pytest.fixture
def approved(riga_report, tallinn_report):
    return set_state(riga_report, WorkflowState.APPROVED), set_state(tallinn_report, WorkflowState.APPROVED)


def test_the_secretariat_publishes_and_unpublishes_a_report_with_history(approved, secretariat, client_for):
    riga, _tallinn = approved
    url = reverse("dashboard:publish", args=[riga.pk])
    assert not permissions.is_published(riga)

    staff = client_for(secretariat)
    staff.post(url, {"published": "1"})
    riga.refresh_from_db()
    assert permissions.is_published(riga) and riga.published_by == secretariat
    assert riga.history.first().history_change_reason == "Published"

    staff.post(url, {"published": "0"})
    riga.refresh_from_db()
    assert riga.published_at is None
    assert riga.history.first().history_change_reason == "Unpublished"


def test_a_period_is_published_whole_except_drafts_and_cities_that_keep_theirs_internal(
    approved, period, secretariat, cities, assigned,
):
    riga, tallinn = approved
    draft = ProgressReport.objects.create(action_point=assigned["1.1"], city=cities["oslo"], period=period)
    type(cities["tallinn"]).objects.filter(pk=cities["tallinn"].pk).update(reports_internal=True)

    assert services.period_publish(period=period, user=secretariat) == 1
    assert services.period_publish(period=period, user=secretariat) == 0  # nothing left to do
    published = set(ProgressReport.objects.filter(published_at__isnull=False).values_list("pk", flat=True))
    assert published == {riga.pk} and draft.pk not in published and tallinn.pk not in published


def test_only_the_secretariat_publishes_and_only_approved_reports(riga_report, alice, chair, secretariat):
    for person in (alice, chair):
        with pytest.raises(PermissionDenied):
            services.report_publish(report=riga_report, user=person)
    with pytest.raises(services.ReportStateError):
        services.report_publish(report=riga_report, user=secretariat)  # a draft
    assert ProgressReport.objects.get().published_at is None


def test_the_public_sees_published_reports_only(approved, secretariat, alice):
    from django.contrib.auth.models import AnonymousUser

    riga, tallinn = approved
    services.report_publish(report=riga, user=secretariat)
    public = roles_of(AnonymousUser())
    visible = set(ProgressReport.objects.filter(permissions.visible_reports(public)).values_list("pk", flat=True))
    assert visible == {riga.pk}
    assert permissions.can_view_report(public, ProgressReport.objects.get(pk=riga.pk))
    assert not permissions.can_view_report(public, ProgressReport.objects.get(pk=tallinn.pk))
    # Members see both approved reports, published or not.
    members = set(ProgressReport.objects.filter(permissions.visible_reports(roles_of(alice))).values_list("pk", flat=True))
    assert members == {riga.pk, tallinn.pk}
