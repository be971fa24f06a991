"""A successor plan, from the draft the Secretariat starts to the plan it adopts."""

import pytest
from django.urls import reverse

from actions import services as action_services
from actions.models import ActionPlan, ActionPoint, FocusArea
from cities.models import Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from testing.races import logged_in, post, race

ROUNDS = 8


def start(plan, secretariat, title="Action Plan 2013–2014"):
    return action_services.plan_start_successor(plan=plan, title=title, first_year=plan.last_year + 1,
                                                last_year=plan.last_year + 2, user=secretariat)


def test_the_secretariat_rewrites_a_draft_plans_areas_and_points(plan, assigned, cities, secretariat, client_for):
    draft = start(plan, secretariat)
    client = client_for(secretariat)
    page = client.get(reverse("dashboard:plan", args=[draft.pk])).content.decode()
    assert "Adopt this plan…" in page and "Rename focus area 1" in page and "Edit 1.3" in page

    area = FocusArea.objects.get(plan=draft, number=1)
    response = client.post(reverse("dashboard:area_edit", args=[area.pk]), {"title": "Smart and open cities"})
    assert response.status_code == 302
    area.refresh_from_db()
    assert area.title == "Smart and open cities"
    assert area.history.first().history_user == secretariat

    point = ActionPoint.objects.get(focus_area=area, continues=assigned["1.3"])
    form = client.get(reverse("dashboard:point_cities", args=[point.pk])).content.decode()
    assert "Copenhagen" not in form  # left the network in 2010: not offered
    response = client.post(reverse("dashboard:point_cities", args=[point.pk]), {
        "text": "Open data portals in every member city.", "coordinating_city": cities["tallinn"].pk,
        "partner_cities": [cities["riga"].pk, cities["vilnius"].pk]})
    assert response.status_code == 302
    point.refresh_from_db()
    assert point.text == "Open data portals in every member city."
    assert point.coordinating_city == cities["tallinn"]
    assert sorted(c.slug for c in point.partner_cities.all()) == ["riga", "vilnius"]
    history = client.get(reverse("actions:action_point_history", args=[point.pk])).content.decode()
    assert "Open data portals in every member city." in history

    refused = client.post(reverse("dashboard:point_cities", args=[point.pk]), {
        "text": "x", "coordinating_city": cities["copenhagen"].pk})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()


def test_an_adopted_plans_texts_stay_as_adopted(plan, assigned, cities, secretariat, client_for):
    client = client_for(secretariat)
    point = assigned["1.3"]
    text = point.text
    client.post(reverse("dashboard:point_cities", args=[point.pk]), {
        "text": "Rewritten", "coordinating_city": cities["riga"].pk})
    point.refresh_from_db()
    assert point.text == text
    area = point.focus_area
    response = client.post(reverse("dashboard:area_edit", args=[area.pk]), {"title": "Renamed"})
    assert response.status_code == 200 and "Only a draft plan" in response.content.decode()


def test_adopting_asks_first_then_makes_the_draft_the_current_plan(plan, assigned, periods, secretariat, client_for):
    draft = start(plan, secretariat)
    client = client_for(secretariat)
    url = reverse("dashboard:plan_adopt", args=[draft.pk])

    confirm = client.get(url).content.decode()
    assert "Adopt Action Plan 2013–2014?" in confirm and "14 action points" in confirm
    assert "becomes history (closed)" in confirm
    draft.refresh_from_db()
    assert draft.status == ActionPlan.Status.DRAFT and ActionPlan.objects.current() == plan

    response = client.post(url, follow=True)

    assert "is adopted: it is now the current plan" in response.content.decode()
    draft.refresh_from_db()
    plan.refresh_from_db()
    assert (draft.status, plan.status) == (ActionPlan.Status.ADOPTED, ActionPlan.Status.CLOSED)
    assert ActionPlan.objects.current() == draft
    assert draft.history.first().history_change_reason == "Adopted by the Secretariat"
    assert plan.history.first().history_change_reason == "Followed by Action Plan 2013–2014"
    again = client.post(url)
    assert again.status_code == 409 and "already adopted" in again.content.decode()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_adopts_at_once_adopt_once(postgres, plan, assigned, secretariat):
    other = UserFactory(username="sam")
    membership_grant(user=other, role=Role.SECRETARIAT)
    for round_ in range(ROUNDS):
        current = ActionPlan.objects.current()
        draft = start(current, secretariat, title=f"Plan of round {round_}")
        url = reverse("dashboard:plan_adopt", args=[draft.pk])

        one, two = race(post(logged_in(secretariat), url, {}), post(logged_in(other), url, {}))

        statuses = sorted([one.status_code, two.status_code])
        assert statuses == [302, 409], f"round {round_}: {statuses}"
        assert draft.history.filter(history_change_reason="Adopted by the Secretariat").count() == 1
        assert ActionPlan.objects.current().pk == draft.pk
        assert ActionPlan.objects.filter(status=ActionPlan.Status.ADOPTED).count() == 1
