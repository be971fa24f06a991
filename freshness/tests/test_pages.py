"""Pages kept per person: served again only while nothing they show has changed, never to anybody
else, with a working CSRF token and the one-time messages shown once."""

import re

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from actions.models import ActionPoint
from cities.models import Membership
from freshness import changed
from reports.models import WorkflowState
from reports.tests.conftest import set_state

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


def test_a_page_asked_again_is_served_from_the_cache_until_something_changes(riga_report, alice, client_for):
    client = client_for(alice)
    url = reverse("actions:action_point", args=[riga_report.action_point_id])
    first, built = _get(client, url)
    again, kept = _get(client, url)
    assert first.status_code == again.status_code == 200
    assert kept == 3 < built  # session, user, data version
    assert TOKEN.sub("", again.content.decode()) == TOKEN.sub("", first.content.decode())

    point = ActionPoint.objects.get(pk=riga_report.action_point_id)
    point.text = "A text changed in the admin."
    point.save()
    assert "A text changed in the admin." in client.get(url).content.decode()

    ActionPoint.objects.filter(pk=point.pk).update(text="A text changed in bulk.")
    changed()
    assert "A text changed in bulk." in client.get(url).content.decode()


def test_a_report_changed_by_someone_else_shows_on_the_next_request(riga_report, alice, secretariat, client_for):
    client = client_for(alice)
    url = reverse("reports:workspace", args=["riga"]) + f"?period={riga_report.period_id}"
    assert "Draft" in client.get(url).content.decode()
    from reports import services

    report = services.report_submit(report=riga_report, version=riga_report.version, user=alice)
    services.report_approve(report=report, reviewer=secretariat)
    page = client.get(url).content.decode()
    assert "Approved" in page and "Draft" not in page


def test_nobody_gets_another_persons_page(riga_report, alice, bob, client_for):
    url = reverse("reports:workspace", args=["riga"])
    assert client_for(alice).get(url).status_code == 200
    assert client_for(bob).get(url).status_code == 403  # Tallinn's delegate: not Alice's kept page


def test_losing_a_role_takes_effect_on_the_next_request(riga_report, alice, client_for):
    client = client_for(alice)
    url = reverse("reports:workspace", args=["riga"])
    assert client.get(url).status_code == 200
    Membership.objects.filter(user=alice).delete()
    assert client.get(url).status_code == 403


def test_the_kept_page_carries_a_token_that_works(riga_report, alice):
    client = Client(enforce_csrf_checks=True)
    client.force_login(alice)
    url = reverse("reports:report", args=[riga_report.pk])
    client.get(url)
    kept, queries = _get(client, url)
    assert queries == 3
    token = TOKEN.search(kept.content.decode()).group(1)
    response = client.post(url, {"delivery_status": "on_track", "summary": "Saved from a kept page.",
                                 "next_steps": "", "version": riga_report.version, "action": "save",
                                 "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    riga_report.refresh_from_db()
    assert riga_report.summary == "Saved from a kept page."


def test_a_message_is_shown_once_and_never_kept(riga_report, alice, client_for):
    set_state(riga_report, WorkflowState.SUBMITTED)
    changed()  # set_state writes with QuerySet.update()
    client = client_for(alice)
    url = reverse("reports:report", args=[riga_report.pk])
    client.get(url)  # kept
    # A second click on "Submit": nothing changes, the delegate is told so on the page it redirects to.
    page = client.post(url, {"action": "submit", "version": riga_report.version}, follow=True).content.decode()
    assert "can no longer be changed" in page
    assert "can no longer be changed" not in client.get(url).content.decode()
