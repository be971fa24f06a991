import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from cities.models import Membership, Role
from notifications.models import OutboxMessage

from .data import submitted

PASSWORD = "a-long-new-passphrase-42"


def _invite(client, cities, email="ieva@riga.lv", role=Role.DELEGATE, city="vilnius"):
    return client.post(reverse("dashboard:invite"), {
        "email": email, "first_name": "Ieva", "last_name": "Kalniņa", "role": role, "city": cities[city].pk,
        "language": "lv",
    })


def _link(email):
    message = OutboxMessage.objects.filter(kind="invitation", to=email).latest("pk")
    return re.search(r"/secretariat/invitation/[^/\s]+/", message.body_text)[0]


def _accept(client, link):
    return client.post(link, {"first_name": "Ieva", "last_name": "K", "password1": PASSWORD, "password2": PASSWORD})


def test_an_invitation_link_works_once(cities, secretariat, client_for, client):
    assert _invite(client_for(secretariat), cities).status_code == 302
    link = _link("ieva@riga.lv")
    invitation = Invitation.objects.get()
    assert invitation.token_hash not in link and invitation.language == "lv"

    assert client.get(link).status_code == 200
    response = _accept(client, link)

    assert response.status_code == 302 and response["Location"] == reverse("login")
    person = get_user_model().objects.get(email="ieva@riga.lv")
    assert person.check_password(PASSWORD) and person.language == "lv"
    assert list(person.memberships.values_list("role", "city__slug")) == [("delegate", "vilnius")]
    assert client.login(username="ieva@riga.lv", password=PASSWORD)
    client.logout()
    assert client.get(link).status_code == 410
    assert _accept(client, link).status_code == 410
    assert get_user_model().objects.filter(email="ieva@riga.lv").count() == 1


def test_an_expired_invitation_link_does_not_work(cities, secretariat, client_for, client):
    _invite(client_for(secretariat), cities)
    link = _link("ieva@riga.lv")
    now = timezone.now()
    Invitation.objects.update(created=now - timedelta(days=8), expires_at=now - timedelta(minutes=1))

    assert client.get(link).status_code == 410
    assert _accept(client, link).status_code == 410
    assert not get_user_model().objects.filter(email="ieva@riga.lv").exists()


def test_a_new_invitation_replaces_the_old_link(cities, secretariat, client_for, client):
    staff = client_for(secretariat)
    _invite(staff, cities)
    first = _link("ieva@riga.lv")
    _invite(staff, cities)

    assert client.get(first).status_code == 410
    assert client.get(_link("ieva@riga.lv")).status_code == 200


def test_an_unknown_token_does_not_work(db, client):
    assert client.get(reverse("dashboard:invitation_accept", args=["nope"])).status_code == 410


def test_a_weak_password_is_refused_beside_the_field(cities, secretariat, client_for, client):
    _invite(client_for(secretariat), cities)
    response = client.post(_link("ieva@riga.lv"), {"password1": "123", "password2": "123"})

    assert response.status_code == 200 and "too short" in response.content.decode()
    assert not get_user_model().objects.filter(email="ieva@riga.lv").exists()


def test_people_with_an_account_are_not_invited_again(cities, alice, secretariat, client_for):
    response = _invite(client_for(secretariat), cities, email=alice.email)

    assert response.status_code == 200 and "already has an account" in response.content.decode()


def test_only_city_roles_are_invited(cities, secretariat, client_for):
    response = _invite(client_for(secretariat), cities, role=Role.SECRETARIAT)

    assert response.status_code == 200 and not Invitation.objects.exists()


def test_the_secretariat_changes_a_persons_city_and_role(cities, alice, secretariat, client_for):
    membership = Membership.objects.get(user=alice)
    client = client_for(secretariat)

    client.post(reverse("dashboard:membership_change", args=[membership.pk]), {
        f"m{membership.pk}-role": Role.DELEGATE, f"m{membership.pk}-city": cities["oslo"].pk})
    membership.refresh_from_db()
    assert membership.city == cities["oslo"]

    client.post(reverse("dashboard:membership_change", args=[membership.pk]), {
        f"m{membership.pk}-role": Role.OBSERVER, f"m{membership.pk}-city": cities["oslo"].pk})
    membership.refresh_from_db()
    assert membership.role == Role.OBSERVER
    assert membership.history.count() == 3


def test_a_delegate_belongs_to_one_city(cities, alice, secretariat, client_for):
    response = client_for(secretariat).post(reverse("dashboard:membership_add", args=[alice.pk]), {
        "add-role": Role.DELEGATE, "add-city": cities["oslo"].pk})

    assert response.status_code == 400
    assert "A delegate may belong to one city only." in response.content.decode()
    assert alice.memberships.count() == 1


def test_a_network_role_has_no_city(cities, alice, secretariat, client_for):
    response = client_for(secretariat).post(reverse("dashboard:membership_add", args=[alice.pk]), {
        "add-role": Role.CHAIR, "add-city": cities["oslo"].pk})

    assert response.status_code == 400 and alice.memberships.count() == 1


def test_deactivated_people_keep_their_history(plan, assigned, periods, cities, alice, secretariat, client_for):
    report = submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": periods["2011 H1"],
                        "submitted_by": alice})
    client = client_for(secretariat)

    client.post(reverse("dashboard:person_deactivate", args=[alice.pk]))

    alice.refresh_from_db()
    assert not alice.is_active
    report.refresh_from_db()
    assert report.submitted_by == alice
    assert client_for(alice).get(reverse("actions:home")).status_code == 302
    client.post(reverse("dashboard:person_activate", args=[alice.pk]))
    alice.refresh_from_db()
    assert alice.is_active


def test_the_secretariat_cannot_deactivate_itself(secretariat, client_for):
    response = client_for(secretariat).post(reverse("dashboard:person_deactivate", args=[secretariat.pk]), follow=True)

    secretariat.refresh_from_db()
    assert secretariat.is_active and "cannot deactivate yourself" in response.content.decode()


def test_the_secretariat_sees_who_has_never_logged_in(alice, bob, secretariat, client_for):
    bob.last_login = timezone.now()
    bob.save()

    response = client_for(secretariat).get(reverse("dashboard:people"), {"never_logged_in": "on"})

    shown = {person.username for person in response.context["page"]}
    assert "alice" in shown and "bob" not in shown
    assert "Never logged in" in response.content.decode()


@pytest.mark.parametrize("overdue", [True, False])
def test_one_action_reminds_the_delegates_who_owe_reports(overdue, plan, assigned, periods, cities, alice, bob,
                                                          secretariat, client_for):
    period = periods["2011 H1"]
    if not overdue:
        period.due_date = timezone.localdate() + timedelta(days=3)
        period.save()
    submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": period})

    response = client_for(secretariat).post(reverse("dashboard:remind"), {"plan": plan.pk, "period": period.pk})

    assert response.status_code == 302
    messages = {m.to: m for m in OutboxMessage.objects.filter(kind="reminder")}
    assert set(messages) == {alice.email, bob.email}
    assert "2.1 · Riga" in messages[alice.email].body_text and "1.3" not in messages[alice.email].body_text
    assert "1.3 · Tallinn" in messages[bob.email].body_text and "2.1 · Tallinn" in messages[bob.email].body_text
    assert "of the BaltMet Secretariat asks you to send" in messages[bob.email].body_text
    assert ("overdue since" in messages[bob.email].body_text) is overdue


def test_a_double_click_does_not_remind_twice(plan, assigned, periods, alice, secretariat, client_for):
    client = client_for(secretariat)
    data = {"plan": plan.pk, "period": periods["2011 H1"].pk}

    client.post(reverse("dashboard:remind"), data)
    response = client.post(reverse("dashboard:remind"), data, follow=True)

    assert OutboxMessage.objects.filter(kind="reminder", to=alice.email).count() == 1
    assert "reminded within the last hour" in response.content.decode()


def test_the_secretariat_sees_which_cities_cannot_be_reminded(plan, assigned, periods, cities, alice, secretariat,
                                                             client_for):
    # Tallinn partners in 1.3 and coordinates 2.1 but has no delegate: nobody to remind.
    client = client_for(secretariat)
    data = {"plan": plan.pk, "period": periods["2011 H1"].pk}

    dashboard = client.get(reverse("dashboard:home"), data).content.decode()
    response = client.post(reverse("dashboard:remind"), data, follow=True)
    page = response.content.decode()

    def row(city):
        start = dashboard.index(f"<td>{city}")
        return dashboard[start:dashboard.index("</tr>", start)]

    riga_row, tallinn_row = row("Riga"), row("Tallinn")
    assert "nobody to email" in tallinn_row and "nobody to email" not in riga_row
    assert "Nobody to email for Tallinn: no delegate with an email address." in page
    assert "delegates of Riga" in page and "delegates of Riga, Tallinn" not in page
    assert not OutboxMessage.objects.filter(kind="reminder").exclude(to=alice.email).exists()


def test_nobody_is_reminded_about_a_closed_period(plan, assigned, periods, alice, secretariat, client_for):
    period = periods["2011 H1"]
    period.is_closed = True
    period.save()

    response = client_for(secretariat).post(reverse("dashboard:remind"), {"plan": plan.pk, "period": period.pk},
                                            follow=True)

    assert not OutboxMessage.objects.filter(kind="reminder_missing").exists()
    assert "The period is closed" in response.content.decode()


def test_a_broken_reminder_request_is_400(plan, secretariat, client_for):
    assert client_for(secretariat).post(reverse("dashboard:remind"), {"plan": "x"}).status_code == 400
