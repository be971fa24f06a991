"""Each role, for its own city and another city, against each action on a report."""

import pytest
from django.urls import reverse

from reports.models import ProgressReport, WorkflowState

from .conftest import form_data, set_state

# person fixture -> expected status for (view draft, edit draft, view history, start a new report)
OWN_CITY = {
    "alice": (200, 302, 200, 200),
    "mayor": (200, 403, 200, 403),
    "observer": (200, 403, 200, 403),
    "secretariat": (200, 403, 200, 403),
    "chair": (200, 403, 200, 403),
}
OTHER_CITY = {"bob": (403, 403, 403, 403)}


@pytest.mark.parametrize("person, expected", list(OWN_CITY.items()) + list(OTHER_CITY.items()))
def test_the_permission_matrix(person, expected, request, riga_report, assigned, periods, client_for):
    client = client_for(request.getfixturevalue(person))
    report_url = reverse("reports:report", args=[riga_report.pk])
    # A second point Riga partners in, with no report yet, to try starting one.
    open_url = reverse("reports:open", args=[assigned["2.1"].pk, periods["2011 H1"].pk])
    if person == "bob":
        # bob's own city partners in 1.3, but the Riga report is not his to see or touch
        open_url = reverse("reports:open", args=[assigned["1.1"].pk, periods["2011 H1"].pk])

    statuses = (
        client.get(report_url).status_code,
        client.post(report_url, form_data(riga_report, summary="Changed")).status_code,
        client.get(reverse("reports:history", args=[riga_report.pk])).status_code,
        client.get(open_url).status_code,
    )

    assert statuses == expected
    riga_report.refresh_from_db()
    assert (riga_report.summary == "Changed") == (person == "alice")


def test_anonymous_people_are_sent_to_log_in(riga_report, client):
    for url in [reverse("reports:report", args=[riga_report.pk]), reverse("reports:history", args=[riga_report.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_approved_report_is_readable_across_the_network_but_not_editable(riga_report, bob, client_for):
    set_state(riga_report, WorkflowState.APPROVED)
    client = client_for(bob)
    url = reverse("reports:report", args=[riga_report.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, form_data(riga_report, summary="Changed")).status_code == 403


def test_a_delegate_cannot_start_a_report_on_a_point_their_city_is_not_part_of(assigned, period, alice, client_for):
    url = reverse("reports:open", args=[assigned["4.1"].pk, period.pk])
    assert client_for(alice).get(url).status_code == 403
    assert client_for(alice).post(url, form_data()).status_code == 403
    assert not ProgressReport.objects.exists()


def test_unknown_reports_are_404(alice, client_for, db):
    assert client_for(alice).get(reverse("reports:report", args=[424242])).status_code == 404


def test_an_approved_report_is_seen_across_the_network_but_not_by_accounts_without_a_role(
    riga_report, alice, bob, secretariat, client_for, settings, tmp_path,
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cities.models import Role
    from cities.services import membership_grant, membership_remove
    from cities.tests.factories import UserFactory
    from reports import services

    settings.MEDIA_ROOT = tmp_path
    evidence = services.evidence_add(report=riga_report, user=alice, content_type="application/pdf",
                                     upload=SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes"))
    set_state(riga_report, WorkflowState.APPROVED)
    nobody = UserFactory(username="nobody")
    former = UserFactory(username="former")
    membership_remove(membership=membership_grant(user=former, role=Role.DELEGATE, city=riga_report.city),
                      user=secretariat)
    urls = [
        reverse("reports:report", args=[riga_report.pk]),
        reverse("reports:history", args=[riga_report.pk]),
        reverse("reports:evidence", args=[riga_report.pk, evidence.pk]),
        reverse("actions:action_point", args=[riga_report.action_point_id]),
        reverse("actions:action_point_history", args=[riga_report.action_point_id]),
    ]

    assert [client_for(bob).get(url).status_code for url in urls] == [200] * 5
    for person in (nobody, former):
        assert [client_for(person).get(url).status_code for url in urls] == [403] * 5
