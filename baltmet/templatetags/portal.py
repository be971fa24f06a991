"""The portal's small, hot template pieces: a report's state and a delivery status as badges.

They appear hundreds of times on a page (the dashboard's matrix has a status in each of its 600 cells),
and an {% include %} per badge costs more than the rest of a cell. Each badge is drawn once per value
and language and reused; it depends on nothing else."""

from functools import lru_cache

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from actions.models import DeliveryStatus
from reports.models import WorkflowState

register = template.Library()

STATUS_ICONS = {"completed": "✔", "on_track": "●", "at_risk": "▲", "delayed": "✖", "not_started": "○"}


@lru_cache(maxsize=256)
def _status(status: str, language: str):
    if not status:
        return format_html('<span class="muted no-report">– <span class="visually-hidden">{}</span></span>',
                           _("No report"))
    label = DeliveryStatus(status).label if status in DeliveryStatus.values else status
    return format_html('<span class="status status-{}"><span class="status-icon" aria-hidden="true">{}</span> {}</span>',
                       status, STATUS_ICONS.get(status, "○"), label)


@lru_cache(maxsize=256)
def _state(state: str, language: str):
    if state == "missing" or not state:
        return format_html('<span class="badge state-missing">{}</span>', _("Missing"))
    label = WorkflowState(state).label if state in WorkflowState.values else state
    return format_html('<span class="badge state-{}">{}</span>', state, label)


@register.filter
def status_badge(status):
    """A delivery status ("on_track") as its icon and label; a dash for no report."""
    return _status(status or "", get_language())


@register.filter
def state_badge(state):
    """A report's workflow state ("submitted") as a badge; "missing" for no report."""
    return _state(state or "", get_language())
