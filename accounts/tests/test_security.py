import logging
import re
from datetime import timedelta
from pathlib import Path

from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def attempt(client, password, username="alice"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_five_failures_lock_that_user_at_that_address_for_a_cool_off(alice):
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [attempt(attacker, "wrong").status_code for _ in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure starts the cool-off

    locked = attempt(attacker, "password")
    assert locked.status_code == 429
    assert "Too many failed logins" in locked.content.decode()

    # Alice at her own desk is not locked out by the attacker.
    assert attempt(Client(REMOTE_ADDR="198.51.100.7"), "password").status_code == 302

    # After the 15-minute cool-off the address may try again.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16))
    assert attempt(attacker, "password").status_code == 302


def test_logins_and_failures_are_logged(alice, caplog):
    with caplog.at_level(logging.INFO, logger="baltmet.security"):
        attempt(Client(), "wrong")
        attempt(Client(), "password")
    messages = [r.getMessage() for r in caplog.records if r.name == "baltmet.security"]
    assert any(m.startswith("login failed user=alice") for m in messages)
    assert any(m.startswith("login user=alice") for m in messages)


def test_refused_accesses_are_logged(assigned, alice, client_for, caplog):
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client_for(alice).get(reverse("reports:workspace", args=["tallinn"]))
    assert any("Forbidden" in r.getMessage() for r in caplog.records)


def test_pages_carry_a_content_security_policy_without_inline_scripts(plan, alice, client_for):
    response = client_for(alice).get(plan.get_absolute_url())
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"


def test_no_portal_template_has_inline_script_or_event_handlers():
    offenders = []
    for template in TEMPLATES.rglob("*.html"):
        if "emails" in template.parts:
            continue  # email HTML is not served under the portal's policy
        text = template.read_text(encoding="utf-8")
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+\s*=", text):
            offenders.append(str(template.relative_to(TEMPLATES)))
    assert offenders == []


def test_changing_the_password_logs_out_every_other_session(alice, plan):
    laptop, phone = Client(), Client()
    for client in (laptop, phone):
        assert attempt(client, "password").status_code == 302
    assert phone.get(plan.get_absolute_url()).status_code == 200

    laptop.post(reverse("password_change"), {
        "old_password": "password", "new_password1": "brand-new-long-secret", "new_password2": "brand-new-long-secret",
    })

    assert laptop.get(plan.get_absolute_url()).status_code == 200
    assert phone.get(plan.get_absolute_url()).status_code == 302


def test_session_cookies_are_http_only_and_same_site(alice):
    client = Client()
    attempt(client, "password")
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
