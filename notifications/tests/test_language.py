"""Every kind of email arrives in its recipient's language and time zone, never the sender's: a German, a
Latvian and a Russian recipient, over SMTP from the outbox (notifications/services.py)."""

import re
import zoneinfo
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from notifications.models import OutboxMessage
from notifications.services import outbox_send
from testing.catalogues import translated
from testing.emails import send_every_kind

# A sentence of each kind's email, translated in every language tested (its subject's where that is done);
# a choice of sentences where the email words it in one of several ways.
# An entry still fuzzy or untranslated in a catalogue makes the test fail: that email would arrive in English.
PHRASES = {
    "report_submitted": ("Submitted for review: %(city)s on %(number)s",
                         "Resubmitted for review: %(city)s on %(number)s"),
    "report_returned": "Your report on %(number)s (%(label)s) was returned for changes",
    "report_approved": "Your report on %(number)s (%(label)s) was approved",
    "report_to_coordinator": "Review it here:",
    "report_accepted": "Your report on %(number)s (%(label)s) was accepted by the coordinating city",
    "initiative_consent": "%(city)s proposes the initiative “%(title)s”.",
    "initiative_reminder": "Reminder: your city's answer on “%(title)s” is awaited",
    "initiative_outcome": "Every city asked has approved the initiative “%(title)s”.",
    "invitation": "Your invitation to the BaltMet portal",
    "password_reset": "If you did not ask for this, you can ignore this message.",
    "digest": "The BaltMet action plan between %(since)s and %(until)s, in brief.",
    "reminder": "These progress reports are due soon or overdue:",
    "practice_contact": "A question about your practice “%(title)s”",
    "two_factor_reset": "Your two-factor sign-in was reset",
}
# Each recipient somewhere else than the portal's own zone (Europe/Stockholm), ahead of it.
TIME_ZONES = {"de": "Europe/Helsinki", "lv": "Europe/Riga", "ru": "Europe/Moscow"}
DIGEST_SENTENCE = "The BaltMet action plan between %(since)s and %(until)s, in brief."


def fragments(text):
    """The parts of a translated sentence between its placeholders."""
    return [part.strip() for part in re.split(r"%\([^)]+\)s", text) if len(part.strip()) > 2]


def local_date(moment, zone, language):
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment, zoneinfo.ZoneInfo(zone)), "DATE_FORMAT")


@pytest.mark.parametrize("language", ["de", "lv", "ru"])
def test_every_email_arrives_in_the_recipients_language_and_time_zone(language, plan, assigned, periods, cities,
                                                                      alice, bob, mayor, secretariat, smtp_server):
    zone = TIME_ZONES[language]
    # 22:30 UTC: the next day in the recipient's zone, still today in Stockholm.
    digest_at = timezone.now().replace(hour=22, minute=30, second=0, microsecond=0) - timedelta(days=1)
    sent = send_every_kind(plan=plan, assigned=assigned, periods=periods, cities=cities, alice=alice, bob=bob,
                           mayor=mayor, secretariat=secretariat, language=language, time_zone=zone,
                           digest_at=digest_at)
    assert set(sent) == set(PHRASES)
    for message in OutboxMessage.objects.filter(status="pending"):
        outbox_send(message_id=message.pk)

    # The digest's dates are the recipient's: its window ends tomorrow in their zone, today in Stockholm's.
    [digest] = sent["digest"]
    sentence = translated(language, DIGEST_SENTENCE) % {
        "since": local_date(digest.window_start, zone, language), "until": local_date(digest.window_end, zone, language)}
    assert sentence in digest.body_text
    in_stockholm = translated(language, DIGEST_SENTENCE) % {
        "since": local_date(digest.window_start, "Europe/Stockholm", language),
        "until": local_date(digest.window_end, "Europe/Stockholm", language)}
    assert in_stockholm != sentence and in_stockholm not in digest.body_text

    gaps = []
    for kind, messages in sent.items():
        entries = PHRASES[kind] if isinstance(PHRASES[kind], tuple) else (PHRASES[kind],)
        try:
            choices = [fragments(translated(language, entry)) for entry in entries]
        except AssertionError as error:
            gaps.append(f"{kind}: {error}")
            continue
        for message in messages:
            [received] = [m for m in smtp_server.to(message.to)
                          if m["Message-ID"].strip() == message.headers["Message-ID"]]  # (a long one is folded)
            text = received["Subject"] + "\n" + received.get_body(("plain",)).get_content()
            html = received.get_body(("html",)).get_content()
            if not any(all(part in text for part in expected) for expected in choices):
                gaps.append(f"{kind} to {message.to}: none of {choices} in {received['Subject']!r}")
            if f'<html lang="{language}">' not in html:
                gaps.append(f"{kind} to {message.to}: the HTML part does not say lang={language}")
    assert not gaps, "\n".join(gaps)


def test_a_reviewer_in_english_returns_a_report_to_a_delegate_who_reads_latvian(riga_report, alice, secretariat,
                                                                                 client_for):
    from reports import services

    alice.language, alice.time_zone = "lv", "Europe/Riga"
    alice.save()
    report = services.report_submit(report=riga_report, version=riga_report.version, user=alice)
    client = client_for(secretariat)  # the Secretariat's pages in English
    page = client.post(reverse("dashboard:return", args=[report.pk]), {"comment": "Add the numbers."}, follow=True)
    assert '<html lang="en">' in page.content.decode()
    message = OutboxMessage.objects.get(kind="report_returned", to=alice.email)
    assert message.subject == translated("lv", PHRASES["report_returned"]) % {"number": "1.3", "label": "2011 H1"}
    assert '<html lang="lv">' in message.body_html
