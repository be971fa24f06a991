"""Every ORM change to the portal's own data moves the data version (see version.py)."""

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from simple_history.models import HistoricalChanges

from . import version

# The apps whose data pages show. Django's own (sessions, admin log), django-axes and celery beat's
# schedules are left out: they change all the time (every login, every beat tick) and no cached page
# shows them.
PORTAL_APPS = frozenset({
    "accounts", "cities", "actions", "reports", "notifications", "dashboard", "digests", "initiatives",
    "indicators",
})
# Sending's own bookkeeping, which no cached page or digest shows: a digest run marks two hundred
# deliveries sent, and must not make every cached page and digest build afresh each time.
BOOKKEEPING = frozenset({"notifications.outboxmessage", "digests.digestdelivery", "digests.reminderitem"})
# Signing in records the moment (`update_last_login`), which no page shows: a login must not make
# everybody's pages build afresh.
UNSHOWN_FIELDS = {"accounts.user": frozenset({"last_login"})}


def _is_portal_data(model) -> bool:
    # History rows come with a change to their model, or from services that say so themselves.
    return (model._meta.app_label in PORTAL_APPS and model._meta.label_lower not in BOOKKEEPING
            and not issubclass(model, HistoricalChanges))


def connect():
    """Listen to the portal's models only (a receiver for every model would also turn off Django's
    fast deletes of sessions, login attempts and schedules)."""
    for model in apps.get_models():
        if _is_portal_data(model):
            post_save.connect(_saved, sender=model, dispatch_uid=f"freshness-save-{model._meta.label_lower}")
            post_delete.connect(_deleted, sender=model, dispatch_uid=f"freshness-delete-{model._meta.label_lower}")


def _saved(sender, using, update_fields=None, **kwargs):
    if update_fields and frozenset(update_fields) <= UNSHOWN_FIELDS.get(sender._meta.label_lower, frozenset()):
        return
    version.changed(using)


def _deleted(sender, using, **kwargs):
    version.changed(using)


@receiver(m2m_changed)
def _relation_changed(sender, instance, action, using, **kwargs):
    if action.startswith("post_") and _is_portal_data(type(instance)):
        version.changed(using)


@receiver(post_migrate)
def _migrated(sender, using, **kwargs):
    # A deploy runs migrations: pages cached by the previous release's templates are retired.
    if sender.label == "freshness":
        version.changed(using)
