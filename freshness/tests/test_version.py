"""The data version moves with every change to the portal's data, and only then."""

from actions.models import ActionPoint
from cities.models import Membership
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


def test_on_postgresql_it_moves_at_the_write_and_again_after_the_commit(postgres, assigned,
                                                                        django_capture_on_commit_callbacks):
    before = current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        point = assigned["1.3"]
        point.text = "Changed."
        point.save()
        at_write = current()
    # Another process may read the data before the commit: the second move retires what it built.
    assert before < at_write < current()
    assert len(callbacks) >= 1
