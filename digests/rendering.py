"""A digest rendered once for everyone who gets the same one.

Two people with the same cities, the same window, language and time zone get the same digest but for
the greeting's name and their own preferences link. Since every delivery of a run ends its window at
the run's moment (services.digests_fan_out), the ten mayors of a network on the same rhythm need one
build and one rendering per city and language, not one each: the first renders the digest with
placeholders and keeps it in the cache, the others only put their name and link in.

The key holds the data version (freshness), so a change to the plan or its reports between two
recipients makes the next one build afresh; sending the digests does not move it (freshness/signals.py).
"""

import hashlib

from django.core.cache import cache
from django.utils import timezone
from django.utils.html import escape

import freshness
from cities.roles import roles_of
from notifications.emails import RenderedEmail, render_email

from . import selectors

TIMEOUT = 3600  # a run's fan-out is sent within minutes; this only bounds the memory kept
KEY_PREFIX = "digests:rendered:1:"
NAME = "\x00recipient-name\x00"
PREFERENCES_URL = "\x00preferences-url\x00"


def digest_email(*, recipient, frequency: str, since, until, key: str, preferences_url: str) -> RenderedEmail:
    language, time_zone = recipient.language, recipient.time_zone
    cache_key = KEY_PREFIX + hashlib.sha256(repr((
        sorted(roles_of(recipient).city_ids), since.isoformat(), until.isoformat(), frequency, key, language,
        time_zone, timezone.get_current_timezone_name(), freshness.stamp(),
    )).encode()).hexdigest()
    shared = cache.get(cache_key)
    if shared is None:
        digest = selectors.digest_build(recipient=recipient, since=since, until=until)
        context = {"digest": digest, "recipient_name": NAME, "period_key": key, "frequency": frequency,
                   "preferences_url": PREFERENCES_URL}
        shared = render_email("digest", context, language=language, time_zone=time_zone)
        cache.set(cache_key, shared, TIMEOUT)
    name = recipient.get_full_name() or recipient.username
    return RenderedEmail(
        subject=shared.subject.replace(NAME, name),
        text=shared.text.replace(NAME, name).replace(PREFERENCES_URL, preferences_url),
        html=shared.html.replace(NAME, escape(name)).replace(PREFERENCES_URL, escape(preferences_url)),
    )
