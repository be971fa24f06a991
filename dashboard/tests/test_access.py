"""Who reaches which Secretariat page: every dashboard URL, every kind of person."""

import pytest
from django.urls import reverse

from cities.models import Membership

from .data import submitted

READ_ONLY = ["home", "queue", "reports", "export_csv", "export_xlsx", "review", "progress_report",
             "progress_report_pdf"]
MANAGE_GET = ["plans", "plan", "plan_successor", "plan_adopt", "area_edit", "period_add", "period_edit", "point_cities", "people", "invite",
              "person"]
MANAGE_POST = ["approve", "return", "remind", "period_close", "period_open", "membership_add", "person_deactivate",
               "person_activate", "membership_change", "membership_remove", "publish", "period_publish",
               "plan_review_mode"]


@pytest.fixture
def urls(plan, assigned, periods, cities, alice):
    report = submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": periods["2011 H1"]})
    membership = Membership.objects.get(user=alice)
    period = periods["2011 H1"]
    args = {
        "review": [report.pk], "approve": [report.pk], "return": [report.pk], "plan": [plan.pk],
        "plan_successor": [plan.pk], "plan_adopt": [plan.pk], "area_edit": [assigned["1.3"].focus_area_id],
        "period_add": [plan.pk], "period_edit": [period.pk],
        "period_close": [period.pk], "period_open": [period.pk], "point_cities": [assigned["1.3"].pk],
        "person": [alice.pk], "membership_add": [alice.pk], "person_deactivate": [alice.pk],
        "person_activate": [alice.pk], "membership_change": [membership.pk], "membership_remove": [membership.pk],
        "publish": [report.pk], "period_publish": [period.pk], "plan_review_mode": [plan.pk],
    }
    names = READ_ONLY + MANAGE_GET + MANAGE_POST
    return {name: reverse(f"dashboard:{name}", args=args.get(name, [])) for name in names}


def test_every_url_is_in_the_matrix():
    from dashboard.urls import urlpatterns

    assert {p.name for p in urlpatterns} == set(READ_ONLY + MANAGE_GET + MANAGE_POST) | {"invitation_accept"}


def test_anonymous_people_are_sent_to_log_in(urls, client):
    for name, url in urls.items():
        response = client.post(url) if name in MANAGE_POST else client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(reverse("login") + "?next="), name


@pytest.mark.parametrize("person", ["alice", "bob", "mayor", "observer"])
def test_city_people_are_refused_everywhere(person, urls, client_for, request):
    client = client_for(request.getfixturevalue(person))
    for name, url in urls.items():
        response = client.post(url) if name in MANAGE_POST else client.get(url)
        assert response.status_code == 403, (person, name)


def test_a_deactivated_secretary_is_refused(urls, secretariat, client_for):
    client = client_for(secretariat)
    secretariat.is_active = False
    secretariat.save()
    assert client.get(urls["home"]).status_code in (302, 403)


def test_the_chair_sees_the_dashboard_read_only(urls, chair, client_for):
    client = client_for(chair)
    for name in READ_ONLY:
        assert client.get(urls[name]).status_code == 200, name
    for name in MANAGE_GET:
        assert client.get(urls[name]).status_code == 403, name
    for name in MANAGE_POST:
        assert client.post(urls[name]).status_code == 403, name
    home = client.get(urls["home"]).content.decode()
    review = client.get(urls["review"]).content.decode()
    assert "read-only" in home and 'method="post" action="/secretariat/' not in home
    assert "Approve" not in review and 'method="post" action="/secretariat/' not in review


def test_the_secretariat_reaches_every_page(urls, secretariat, client_for):
    client = client_for(secretariat)
    for name in READ_ONLY + MANAGE_GET:
        assert client.get(urls[name]).status_code == 200, name
    assert client.get(urls["period_close"]).status_code == 200  # it asks before closing
    for name in ["approve", "return", "remind", "period_open"]:
        # A GET on an action is refused politely, never a 500.
        assert client.get(urls[name]).status_code == 405, name
