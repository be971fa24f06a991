"""A digest is built and rendered once for everyone who gets the same one.

Two people with the same cities, window, rhythm, language and time zone get the same digest but for
the greeting's name and their own links. Since every digest of a run ends its window at the run's
moment (services.digests_fan_out), the ten Mayors of a network need one build per city and language,
not one each: the first renders it with placeholders, the others only get their name and links put in.
The part every reader of a window shares (selectors.network_at) is read once per call. Nothing is kept
beyond the call.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.html import escape

from cities.roles import read_roles, roles_of
from notifications.emails import RenderedEmail, render_email

from . import selectors

NAME = "\x00recipient-name\x00"
PREFERENCES_URL = "\x00preferences-url\x00"


@dataclass(frozen=True)
class DigestFor:
    """One person's digest to write: their rhythm, its period ("2026-11") and the window it covers."""

    recipient: object
    frequency: str
    period_key: str
    since: datetime
    until: datetime


def _group(item: DigestFor) -> tuple:
    """What a digest depends on: everything that decides what the person may see (their roles, not just
    their cities: a Chair who is also a Mayor sees more than the city's other Mayors), the window, the
    rhythm, the language and the time zone."""
    person, roles = item.recipient, roles_of(item.recipient)
    return (roles, item.since, item.until, item.frequency, item.period_key, person.language, person.time_zone)


def render_digests(items: list[DigestFor], *, preferences_url) -> list[RenderedEmail]:
    """Each item's email, in order; `preferences_url(person)` gives a person's own link."""
    shared, networks, rendered = {}, {}, []
    read_roles([item.recipient for item in items])
    for item in items:
        group = _group(item)
        if group not in shared:
            # What every reader of the window reads alike is read once for the run (the plan, its
            # points, statuses and reports), not once per group.
            window = (item.since, item.until)
            if window not in networks:
                networks[window] = selectors.network_at(since=item.since, until=item.until)
            digest = selectors.digest_build(recipient=item.recipient, since=item.since, until=item.until,
                                            network=networks[window])
            context = {"digest": digest, "recipient_name": NAME, "period_key": item.period_key,
                       "frequency": item.frequency, "preferences_url": PREFERENCES_URL}
            shared[group] = render_email("digest", context, language=item.recipient.language,
                                         time_zone=item.recipient.time_zone)
        rendered.append(_personal(shared[group], item.recipient, preferences_url(item.recipient)))
    return rendered


def _personal(shared: RenderedEmail, person, preferences_url: str) -> RenderedEmail:
    name = person.get_full_name() or person.username
    return RenderedEmail(
        subject=shared.subject.replace(NAME, name),
        text=shared.text.replace(NAME, name).replace(PREFERENCES_URL, preferences_url),
        html=shared.html.replace(NAME, escape(name)).replace(PREFERENCES_URL, escape(preferences_url)),
    )
