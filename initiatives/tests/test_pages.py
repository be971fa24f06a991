import re

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cities.tests.factories import UserFactory
from initiatives import selectors
from initiatives.models import Answer, ConsentRequest, Initiative, InitiativeState
from notifications.models import OutboxMessage

from .factories import propose


@pytest.fixture
def fair(plan, assigned, cities, delegates):
    return propose(user=delegates["riga"], plan=plan, point=assigned["1.3"],
                   costs={cities["riga"]: "1000", cities["tallinn"]: "500"})


def _no_inline_script_or_style(page):
    assert "<script" not in page
    assert not re.search(r'\sstyle="', page)


def test_anonymous_people_are_sent_to_log_in(fair, client):
    for url in [reverse("initiatives:list"), reverse("initiatives:overview"), reverse("initiatives:propose"),
                fair.get_absolute_url(), reverse("initiatives:edit", args=[fair.pk])]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_people_without_a_role_get_403(fair, client_for):
    nobody = client_for(UserFactory(username="nobody"))
    for url in [reverse("initiatives:list"), fair.get_absolute_url(), reverse("initiatives:propose")]:
        assert nobody.get(url).status_code == 403


def test_a_delegate_proposes_through_the_form(plan, assigned, cities, delegates, client_for):
    data = {"title": "Cluster visit", "description": "", "action_point": assigned["1.3"].pk,
            "start": "2011-10-01", "end": "2011-10-03"}
    for city in cities.values():
        data[f"currency_{city.pk}"] = "EUR"
    data[f"cost_{cities['riga'].pk}"] = "1200.50"
    data[f"cost_{cities['oslo'].pk}"] = "300"
    data[f"currency_{cities['oslo'].pk}"] = "NOK"

    response = client_for(delegates["riga"]).post(reverse("initiatives:propose"), data)

    initiative = Initiative.objects.get(title="Cluster visit")
    assert response.status_code == 302 and response["Location"] == initiative.get_absolute_url()
    oslo = ConsentRequest.objects.get(initiative=initiative, city=cities["oslo"])
    assert (str(oslo.expected_cost), oslo.currency, oslo.answer) == ("300.00", "NOK", Answer.PENDING)
    assert initiative.proposed_by == delegates["riga"]


def test_the_form_shows_errors_beside_the_fields(plan, cities, delegates, client_for):
    data = {"title": "", "start": "2011-10-05", "end": "2011-10-01"}
    page = client_for(delegates["riga"]).post(reverse("initiatives:propose"), data).content.decode()
    assert page.count('class="errorlist"') >= 3
    assert "Give your city&#x27;s expected cost" in page
    assert not Initiative.objects.exists()
    _no_inline_script_or_style(page)


def test_the_propose_page_needs_a_delegate(plan, mayor, secretariat, client_for):
    for person in (mayor, secretariat):
        assert client_for(person).get(reverse("initiatives:propose")).status_code == 403


def test_an_involved_delegate_answers_on_the_page(fair, cities, delegates, client_for):
    client = client_for(delegates["tallinn"])
    page = client.get(fair.get_absolute_url()).content.decode()
    assert 'id="answer"' in page and "500.00 EUR" in page
    _no_inline_script_or_style(page)

    response = client.post(reverse("initiatives:answer", args=[fair.pk]),
                           {"answer": "approve", "comment": "Yes", "version": fair.version})

    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.state == InitiativeState.APPROVED


def test_an_uninvolved_delegate_cannot_answer(fair, cities, delegates, mayor, client_for):
    for person in (delegates["oslo"], mayor):
        client = client_for(person)
        assert 'id="answer"' not in client.get(fair.get_absolute_url()).content.decode()
        response = client.post(reverse("initiatives:answer", args=[fair.pk]), {"answer": "approve", "version": 1})
        assert response.status_code == 403
    assert ConsentRequest.objects.get(initiative=fair, city=cities["tallinn"]).answer == Answer.PENDING


def test_a_stale_answer_is_refused_with_a_message(fair, cities, delegates, client_for):
    response = client_for(delegates["tallinn"]).post(
        reverse("initiatives:answer", args=[fair.pk]), {"answer": "decline", "version": 99}, follow=True,
    )
    assert "changed since you opened it" in response.content.decode()
    assert ConsentRequest.objects.get(initiative=fair, city=cities["tallinn"]).answer == Answer.PENDING


def test_the_proposer_changes_costs_on_the_page_and_the_city_is_asked_again(fair, cities, delegates, client_for):
    client_for(delegates["tallinn"]).post(reverse("initiatives:answer", args=[fair.pk]),
                                          {"answer": "approve", "version": 1})
    client = client_for(delegates["riga"])
    form = client.get(reverse("initiatives:edit", args=[fair.pk]))
    assert form.status_code == 200
    data = {"title": fair.title, "description": fair.description, "start": "2011-09-01", "end": "2011-09-02",
            "version": 1}
    for city in cities.values():
        data[f"currency_{city.pk}"] = "EUR"
    data[f"cost_{cities['riga'].pk}"] = "1000"
    data[f"cost_{cities['tallinn'].pk}"] = "650"

    assert client.post(reverse("initiatives:edit", args=[fair.pk]), data).status_code == 302

    fair.refresh_from_db()
    assert fair.version == 2 and fair.state == InitiativeState.PROPOSED
    assert ConsentRequest.objects.get(initiative=fair, city=cities["tallinn"]).answer == Answer.PENDING
    assert client_for(delegates["tallinn"]).get(reverse("initiatives:edit", args=[fair.pk])).status_code == 403


def test_withdraw_through_the_page(fair, delegates, client_for):
    assert client_for(delegates["tallinn"]).post(reverse("initiatives:withdraw", args=[fair.pk])).status_code == 403
    response = client_for(delegates["riga"]).post(reverse("initiatives:withdraw", args=[fair.pk]), {"comment": "x"})
    assert response.status_code == 302
    fair.refresh_from_db()
    assert fair.state == InitiativeState.WITHDRAWN


def test_the_secretariat_sees_who_has_answered_and_reminds(fair, cities, delegates, secretariat, client_for):
    client = client_for(secretariat)
    page = client.get(reverse("initiatives:overview")).content.decode()
    assert fair.title in page and "Not answered yet" in page and "Approved" in page
    _no_inline_script_or_style(page)
    OutboxMessage.objects.all().delete()

    response = client.post(reverse("initiatives:remind", args=[fair.pk]), {"next": "overview"})

    assert response.status_code == 302 and response["Location"] == reverse("initiatives:overview")
    assert list(OutboxMessage.objects.values_list("kind", "to")) == [
        ("initiative_reminder", delegates["tallinn"].email)
    ]
    page = client.get(reverse("initiatives:overview")).content.decode()
    assert "A reminder is on its way to the delegates of Tallinn." in page


def test_a_city_with_nobody_to_email_is_named_not_said_to_be_reminded(fair, cities, delegates, secretariat, client_for):
    from cities.models import Membership

    Membership.objects.filter(city=cities["tallinn"], role="delegate").delete()
    client = client_for(secretariat)
    OutboxMessage.objects.all().delete()

    response = client.post(reverse("initiatives:remind", args=[fair.pk]), {"next": "overview"}, follow=True)
    page = response.content.decode()

    assert "Reminded" not in page and "on its way to the delegates of Tallinn" not in page
    assert "Nobody to email for Tallinn: no delegate with an email address." in page
    assert "Tallinn <strong" in page and "(nobody to email: no delegate with an address)" in page
    assert not OutboxMessage.objects.filter(kind="initiative_reminder").exists()
    detail = client.get(fair.get_absolute_url()).content.decode()
    assert "(nobody to email: no delegate with an address)" in detail


def test_only_the_secretariat_sees_the_overview_and_reminds(fair, delegates, chair, client_for):
    for person in (delegates["riga"], chair):
        client = client_for(person)
        assert client.get(reverse("initiatives:overview")).status_code == 403
        assert client.post(reverse("initiatives:remind", args=[fair.pk])).status_code == 403
    assert not OutboxMessage.objects.filter(kind="initiative_reminder").exists()


def test_the_history_shows_each_decision_with_its_costs(fair, cities, delegates, client_for):
    client_for(delegates["tallinn"]).post(reverse("initiatives:answer", args=[fair.pk]),
                                          {"answer": "decline", "comment": "Too dear", "version": 1})
    page = client_for(delegates["oslo"]).get(fair.get_absolute_url()).content.decode()
    assert "Declined" in page and "Too dear" in page and "Tallinn 500.00 EUR" in page


def test_the_partials_for_the_workspace_and_the_action_point_page(fair, assigned, cities, delegates):
    tasks = render_to_string("initiatives/_workspace_tasks.html",
                             {"pending_consents": selectors.pending_consents_for_city(city=cities["tallinn"])})
    assert fair.title in tasks and f"/initiatives/{fair.pk}/#answer" in tasks and "500.00 EUR" in tasks

    from initiatives.services import initiative_answer
    initiative_answer(initiative=fair, city=cities["tallinn"], user=delegates["tallinn"], approve=True, version=1)
    listing = render_to_string("initiatives/_action_point_initiatives.html",
                               {"approved_initiatives": selectors.approved_initiatives_for_point(point=assigned["1.3"])})
    assert fair.title in listing and "Tallinn: 500.00 EUR" in listing


@pytest.mark.parametrize("url_name", ["initiatives:list", "initiatives:overview"])
def test_list_pages_take_a_constant_number_of_queries(url_name, plan, assigned, cities, delegates, secretariat,
                                                      client_for):
    client = client_for(secretariat)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(url_name)).status_code == 200
        return len(queries)

    propose(user=delegates["riga"], plan=plan, point=assigned["1.3"], costs={cities["riga"]: "1", cities["oslo"]: "2"})
    small = count()
    for n in range(4):
        propose(user=delegates["tallinn"], plan=plan, point=None, title=f"Network {n}",
                costs={cities["tallinn"]: "1", cities["riga"]: "2"})
    assert count() == small


def test_the_propose_page_can_start_from_an_action_point(plan, assigned, delegates, client_for):
    page = client_for(delegates["riga"]).get(
        reverse("initiatives:propose") + f"?point={assigned['1.3'].pk}").content.decode()
    assert f'<option value="{assigned["1.3"].pk}" selected>' in page
    assert "Riga: expected cost" in page and "Oslo: currency" in page
    _no_inline_script_or_style(page)
