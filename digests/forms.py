from django import forms
from django.utils.translation import gettext_lazy as _

from baltmet.widgets import FastSelect
from notifications.models import Kind, OutboxMessage

from .models import Frequency


class PreferencesForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often would you like the digest?"), choices=Frequency.choices, widget=forms.RadioSelect,
    )


class DeliveryFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any"))] + OutboxMessage.Status.choices, widget=FastSelect)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("Any"))] + Kind.choices,
                             widget=FastSelect)
