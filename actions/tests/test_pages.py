from django.urls import reverse

from actions.tests.factories import ActionPointFactory, FocusAreaFactory
from testing.queries import assert_constant_queries, count_queries


def test_anonymous_people_are_sent_to_log_in(plan, points, client):
    for url in [reverse("actions:home"), plan.get_absolute_url(), points["1.1"].get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def test_the_home_page_leads_a_delegate_to_their_city_and_the_network_roles_to_the_dashboard(
    plan, alice, chair, secretariat, client_for
):
    assert client_for(alice).get("/", follow=True).redirect_chain[-1][0] == "/cities/riga/"
    for person in (chair, secretariat):
        response = client_for(person).get("/", follow=True)
        assert response.redirect_chain[-1][0] == "/secretariat/"
        assert response.status_code == 200


def test_a_person_without_a_role_is_told_so_and_sees_nothing_of_the_network(plan, client_for):
    from cities.tests.factories import UserFactory

    browser = client_for(UserFactory())
    response = browser.get("/", follow=True)
    assert response.status_code == 200 and "Your account has no role in the network" in response.content.decode()
    assert browser.get(plan.get_absolute_url()).status_code == 403


def test_the_plan_page_lays_out_focus_areas_and_points(assigned, plan, alice, client_for):
    page = client_for(alice).get(plan.get_absolute_url()).content.decode()

    assert "1. Innovation as a source of prosperity" in page
    assert "4. Sustainable development in a healthy/sane environment" in page
    assert page.count('class="point-number"') == 14
    assert "Riga" in page and "Not assigned yet" in page
    assert page.index("1.5") < page.index("2.1")


def test_an_action_point_page_shows_its_text_and_cities(assigned, mayor, client_for):
    point = assigned["1.3"]
    page = client_for(mayor).get(point.get_absolute_url()).content.decode()

    assert "Action point 1.3" in page
    assert "Indicators for entrepreneurial innovativeness should be developed" in page
    assert "Riga" in page and "Tallinn" in page


def test_an_unknown_action_point_is_404(alice, client_for, db):
    assert client_for(alice).get(reverse("actions:action_point", args=[999999])).status_code == 404


def test_text_is_escaped(plan, alice, client_for, points):
    point = points["1.1"]
    point.text = "<script>alert(1)</script>"
    point.save()

    page = client_for(alice).get(point.get_absolute_url()).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_only_the_secretariat_reaches_the_admin(secretariat, alice, mayor, client_for):
    assert client_for(secretariat).get(reverse("admin:index")).status_code == 200
    assert client_for(secretariat).get(reverse("admin:reports_progressreport_changelist")).status_code == 200
    for person in (alice, mayor):
        response = client_for(person).get(reverse("admin:index"))
        assert response.status_code == 302 and "login" in response["Location"]


def test_navigation_fits_the_role(plan, secretariat, alice, client_for):
    assert 'href="/admin/"' in client_for(secretariat).get(plan.get_absolute_url()).content.decode()
    assert 'href="/admin/"' not in client_for(alice).get(plan.get_absolute_url()).content.decode()


def test_the_plan_page_runs_a_bounded_number_of_queries_whatever_the_data(alice, client_for, cities):
    area = FocusAreaFactory()
    client = client_for(alice)

    def add_points(count):
        for _ in range(count):
            point = ActionPointFactory(focus_area=area, coordinating_city=cities["riga"])
            point.partner_cities.set([cities["oslo"], cities["tallinn"]])

    def page():
        assert client.get(area.plan.get_absolute_url()).status_code == 200

    add_points(2)
    small = count_queries(page)
    add_points(18)
    assert_constant_queries(small, count_queries(page))
