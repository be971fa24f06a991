import re

from django.core import mail
from django.urls import reverse


def log_in(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_a_person_logs_in_and_out(alice, plan, client):
    response = client.post(reverse("login"), {"username": "alice", "password": "password"}, follow=True)
    assert response.redirect_chain[-1][0] == "/cities/riga/"

    response = client.post(reverse("logout"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert client.get(plan.get_absolute_url()).status_code == 302


def test_a_wrong_password_shows_a_message(alice, client):
    response = client.post(reverse("login"), {"username": "alice", "password": "nope"})

    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_the_login_form_has_labels(client, db):
    page = client.get(reverse("login")).content.decode()
    assert '<label for="id_username">' in page and '<label for="id_password">' in page


def test_a_person_resets_a_forgotten_password_by_email(alice, client):
    client.post(reverse("password_reset"), {"email": alice.email})

    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body)[0]
    form = client.get(link, follow=True)
    assert form.status_code == 200
    client.post(form.redirect_chain[-1][0], {"new_password1": "a-new-long-secret", "new_password2": "a-new-long-secret"})
    assert log_in(client, "alice", "a-new-long-secret").status_code == 302


def test_a_person_changes_their_password(alice, client_for):
    client = client_for(alice)
    response = client.post(reverse("password_change"), {
        "old_password": "password", "new_password1": "another-long-secret", "new_password2": "another-long-secret",
    })
    assert response.status_code == 302
    alice.refresh_from_db()
    assert alice.check_password("another-long-secret")
