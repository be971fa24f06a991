import re

from django.urls import reverse

from notifications.models import OutboxMessage


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

    sent = OutboxMessage.objects.get(kind="password_reset")  # through the outbox, like every email
    assert sent.to == alice.email
    link = re.search(r"https?://\S+", sent.body_text)[0]
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


def test_reset_links_are_limited_per_address_and_per_client(alice, client, settings):
    settings.PASSWORD_RESET_PER_ADDRESS, settings.PASSWORD_RESET_PER_CLIENT = 3, 6
    answers = [client.post(reverse("password_reset"), {"email": alice.email}).status_code for _ in range(5)]

    assert answers == [302] * 5  # the same answer each time: it tells nobody whether the address has an account
    assert OutboxMessage.objects.filter(kind="password_reset", to=alice.email).count() == 3
    client.post(reverse("password_reset"), {"email": "someone.else@example.org"})
    refused = client.post(reverse("password_reset"), {"email": "a.third@example.org"})
    assert refused.status_code == 429 and "Too many password reset requests" in refused.content.decode()
    elsewhere = client.post(reverse("password_reset"), {"email": alice.email}, REMOTE_ADDR="10.1.2.3")
    assert elsewhere.status_code == 302
    assert OutboxMessage.objects.filter(kind="password_reset", to=alice.email).count() == 3  # still 3 an hour
