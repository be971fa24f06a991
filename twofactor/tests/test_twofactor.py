import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from notifications.models import OutboxMessage
from testing.races import race
from testing.twofactor import authenticator_for, code_now, wrong_code
from twofactor import services
from twofactor.models import RecoveryCode

LOGIN = "/accounts/login/"


def password_step(client, user, next_url=""):
    return client.post(LOGIN + (f"?next={next_url}" if next_url else ""),
                       {"username": user.username, "password": "password"})


def lands(client, url="/workspace/"):
    """Where a person asking for `url` ends up (the login page, the code page, or a page of the portal)."""
    answer = client.get(url, follow=True)
    assert answer.status_code in (200, 429)
    return answer.request["PATH_INFO"]


def signed_in(client):
    path = lands(client)
    return not path.startswith("/accounts/")


def codes_for(user):
    _device, codes = None, services._recovery_codes_make(user=user, reason=services.CODES_MADE)
    return codes


@pytest.mark.django_db
def test_it_sets_up_an_authenticator_from_a_qr_code_and_a_code(alice):
    client = Client()
    client.force_login(alice)
    page = client.get(reverse("twofactor:setup"))
    assert page.status_code == 200
    assert "data:image/svg+xml" in page.content.decode()
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    answer = client.post(reverse("twofactor:setup"), {"device": device.pk, "code": code_now(device),
                                                      "password": "password"})
    assert answer.status_code == 200
    shown = re.findall(r"[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}", answer.content.decode())
    assert len(set(shown)) == 10
    device.refresh_from_db()
    assert device.confirmed
    assert device.history.filter(history_change_reason=services.CONFIRMED).exists()


@pytest.mark.django_db
def test_it_refuses_a_wrong_code_at_set_up(alice):
    client = Client()
    client.force_login(alice)
    client.get(reverse("twofactor:setup"))
    device = TOTPDevice.objects.get(user=alice, confirmed=False)
    answer = client.post(reverse("twofactor:setup"), {"device": device.pk, "code": wrong_code(device),
                                                      "password": "password"})
    assert answer.status_code == 200
    assert "not right" in answer.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


@pytest.mark.django_db
def test_it_does_not_log_in_with_the_password_alone(alice):
    authenticator_for(alice)
    client = Client()
    answer = password_step(client, alice)
    assert answer.status_code == 302 and answer.url == reverse("twofactor:verify")
    assert "_auth_user_id" not in client.session
    assert not signed_in(client)


@pytest.mark.django_db
def test_it_logs_in_with_the_password_and_the_right_code(alice):
    device = authenticator_for(alice)
    client = Client()
    password_step(client, alice)
    answer = client.post(reverse("twofactor:verify"), {"code": code_now(device)})
    assert answer.status_code == 302
    assert signed_in(client)


@pytest.mark.django_db
def test_it_logs_in_without_a_code_when_two_factor_is_off(alice):
    client = Client()
    assert password_step(client, alice).url != reverse("twofactor:verify")
    assert signed_in(client)


@pytest.mark.django_db
def test_it_counts_wrong_codes_towards_the_lockout(alice, settings):
    device = authenticator_for(alice)
    client = Client()
    password_step(client, alice)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        device.throttling_failure_count = 0
        device.save()  # django-otp's own back-off aside: the lockout is what is tested here
        assert client.post(reverse("twofactor:verify"), {"code": wrong_code(device)}).status_code == 200
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    locked = client.post(reverse("twofactor:verify"), {"code": wrong_code(device)})
    assert locked.status_code == 429
    # Locked out: even the password and the right code no longer get in.
    fresh = Client()
    assert password_step(fresh, alice).status_code == 429
    assert not signed_in(fresh)


@pytest.mark.django_db
def test_a_recovery_code_works_exactly_once(alice):
    authenticator_for(alice)
    code = codes_for(alice)[0]
    first = Client()
    password_step(first, alice)
    assert first.post(reverse("twofactor:verify"), {"code": code}).status_code == 302
    assert signed_in(first)
    again = Client()
    password_step(again, alice)
    refused = again.post(reverse("twofactor:verify"), {"code": code})
    assert refused.status_code == 200 and "not right" in refused.content.decode()
    assert not signed_in(again)
    assert RecoveryCode.objects.filter(device__user=alice, used_at__isnull=False).count() == 1


@pytest.mark.django_db
def test_the_secretariat_without_a_device_is_sent_to_set_up_first(secretariat):
    client = Client()
    password_step(client, secretariat)
    for url in (reverse("reports:home"), "/admin/"):
        answer = client.get(url)
        assert answer.status_code == 302 and answer.url.startswith(reverse("twofactor:setup"))
    assert client.get(reverse("twofactor:setup")).status_code == 200


@pytest.mark.django_db
def test_the_admin_refuses_a_session_without_the_second_factor(secretariat):
    authenticator_for(secretariat)
    client = Client()
    client.force_login(secretariat)  # logged in, second factor not passed
    answer = client.get("/admin/")
    assert answer.status_code == 302 and reverse("admin:index") not in answer.url.split("?")[0]
    assert not client.get("/admin/", follow=True).redirect_chain[-1][0].startswith("/admin/")


@pytest.mark.django_db
def test_the_admin_opens_after_the_second_factor(secretariat, client_for):
    assert client_for(secretariat).get("/admin/").status_code == 200


@pytest.mark.django_db
def test_the_secretariat_resets_a_lost_device_with_history_and_an_email(alice, secretariat, client_for):
    authenticator_for(alice)
    codes_for(alice)
    page = client_for(secretariat).post(reverse("twofactor:person", args=[alice.pk]))
    assert page.status_code == 302
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert not RecoveryCode.objects.filter(device__user=alice).exists()
    row = TOTPDevice.history.filter(user_id=alice.pk, history_type="-").get()
    assert row.history_change_reason == services.RESET and row.history_user == secretariat
    mail = OutboxMessage.objects.get(recipient=alice, kind="two_factor_reset")
    assert "two-factor" in mail.subject.lower()
    history = client_for(secretariat).get(reverse("twofactor:person", args=[alice.pk]))
    assert "Reset by the Secretariat" in history.content.decode()
    # Alice now signs in with her password alone.
    client = Client()
    password_step(client, alice)
    assert signed_in(client)


@pytest.mark.django_db
def test_only_the_secretariat_resets_another_persons_second_factor(alice, bob, client_for):
    authenticator_for(alice)
    assert client_for(bob).post(reverse("twofactor:person", args=[alice.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=alice).exists()


@pytest.mark.django_db
def test_the_command_resets_a_lost_device(secretariat, capsys):
    authenticator_for(secretariat)
    call_command("two_factor_reset", secretariat.username)
    assert "reset" in capsys.readouterr().out
    assert not TOTPDevice.objects.filter(user=secretariat).exists()
    row = TOTPDevice.history.filter(user_id=secretariat.pk, history_type="-").get()
    assert row.history_change_reason == services.RESET_COMMAND
    # Back to set-up on the next sign-in, since the Secretariat must have a second factor.
    client = Client()
    password_step(client, secretariat)
    assert client.get(reverse("reports:home")).url.startswith(reverse("twofactor:setup"))


@pytest.mark.django_db(transaction=True)
def test_two_uses_of_one_recovery_code_at_once_let_exactly_one_in(postgres, alice):
    authenticator_for(alice)
    code = codes_for(alice)[0]
    clients = [Client(), Client()]
    for client in clients:
        password_step(client, alice)
    answers = race(*[lambda c=c: c.post(reverse("twofactor:verify"), {"code": code}) for c in clients])
    assert sorted(a.status_code for a in answers) == [200, 302]
    assert RecoveryCode.objects.filter(device__user=alice, used_at__isnull=False).count() == 1
