"""Every domain model keeps its history and can be looked at in the admin."""

import pytest
from django.apps import apps
from django.contrib import admin
from simple_history.models import HistoricalChanges

PORTAL_APPS = ["accounts", "cities", "actions", "reports", "notifications", "digests", "initiatives", "indicators",
               "meetings", "practices"]
# Logs of their own, not domain data: an outgoing email is the record of itself; a reset request is a
# throttle's counter.
NOT_AUDITED = {"notifications.OutboxMessage", "accounts.PasswordResetRequest"}


def _models():
    for label in PORTAL_APPS:
        for model in apps.get_app_config(label).get_models():
            if not issubclass(model, HistoricalChanges) and not model._meta.auto_created:
                yield model._meta.label


@pytest.mark.parametrize("model_label", sorted(_models()))
def test_every_domain_model_is_audited_and_in_the_admin(model_label):
    model = apps.get_model(model_label)
    if model_label not in NOT_AUDITED:
        assert hasattr(model, "history"), f"{model_label} has no django-simple-history"
    assert admin.site.is_registered(model), f"{model_label} is not in the admin"
