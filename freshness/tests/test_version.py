"""The data version moves with every change to the portal's data, and only then."""

import pytest
from django.contrib.auth.models import update_last_login
from django.contrib.sessions.models import Session
from django.db import connection, transaction
from django.db.models.deletion import Collector

from actions.models import ActionPoint
from cities.models import City, Membership
from freshness import changed, current
from notifications.models import OutboxMessage


def test_saving_deleting_and_relating_portal_data_moves_it(assigned, cities, alice):
    point = assigned["1.3"]
    before = current()
    point.text = "Edited in the admin."
    point.save()
    after_save = current()
    point.partner_cities.add(cities["oslo"])
    after_relation = current()
    Membership.objects.filter(city=cities["riga"]).delete()
    after_delete = current()
    assert before < after_save < after_relation < after_delete


def test_writes_without_signals_say_so_themselves(assigned):
    before = current()
    ActionPoint.objects.filter(pk=assigned["1.3"].pk).update(text="Bulk edit.")
    assert current() == before  # QuerySet.update() sends no signal: the caller must call changed()
    changed()
    assert current() > before


def test_sending_bookkeeping_leaves_it_alone(db):
    before = current()
    message = OutboxMessage.objects.create(kind="test", to="a@example.org", subject="s", body_text="t")
    message.attempts = 1
    message.save()
    assert current() == before


def test_on_postgresql_it_moves_at_each_write_and_once_more_after_the_commit(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("this test exercises PostgreSQL's sequence; run with DATABASE_URL=postgres://…")
    city = City.objects.create(name="Gdańsk", country="Poland", slug="gdansk")
    before = current()
    with transaction.atomic():
        city.name = "Gdansk"
        city.save()
        at_write = current()
        city.save()
        city.save()
        assert current() == at_write + 2  # the writing connection sees every write at once
    # Another process may have read the data before the commit: the move after it retires what it built.
    assert before < at_write and current() == at_write + 3


def test_signing_in_leaves_it_alone(alice):
    before = current()
    update_last_login(None, alice)
    assert current() == before
    alice.first_name = "Alicia"
    alice.save()
    assert current() > before


def test_it_leaves_djangos_fast_deletes_alone(db):
    # Listening to every model would make deleting expired sessions load and signal each one.
    assert Collector(using="default").can_fast_delete(Session.objects.all())
