"""The portal's small, hot template pieces: a report's state and a delivery status as badges.

They appear hundreds of times on a page (the dashboard's matrix has a status in each of its 600 cells),
and an {% include %} per badge costs more than the rest of a cell. Each badge is drawn once per value
and language and reused; it depends on nothing else."""

from functools import lru_cache

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
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


@lru_cache(maxsize=256)
def _overall(status: str, derived: bool, language: str):
    if not status:
        return format_html('<span class="status status-none">{}</span>', _("No status yet"))
    if not derived:
        return _status(status, language)
    return format_html('{} <span class="muted small">({})</span>', _status(status, language),
                       _("from the cities' latest approved reports"))


@register.filter
def overall_badge(overall):
    """A point's overall status (reports.status.OverallStatus), saying so when it comes from the reports."""
    return _overall(overall.status or "", overall.derived, get_language())


@register.filter
def state_badge(state):
    """A report's workflow state ("submitted") as a badge; "missing" for no report."""
    return _state(state or "", get_language())


# The main navigation: (url name, label, who sees it). Drawn once per kind of person and language.
NAV = [
    ("dashboard:home", "Dashboard", "network"),
    ("dashboard:queue", "Review queue", "secretariat"),
    ("reports:home", "My city", "city"),
    ("actions:home", "Action plan", "everyone"),
    ("initiatives:list", "Initiatives", "everyone"),
    ("indicators:list", "Indicators", "everyone"),
    ("meetings:timeline", "Meetings", "everyone"),
    ("practices:list", "Best practice", "everyone"),
    ("digests:deliveries", "Digests", "secretariat"),
    ("dashboard:people", "People", "secretariat"),
    ("admin:index", "Admin", "secretariat"),
]
@lru_cache(maxsize=64)
def _nav(kinds: frozenset, language: str, prefix: str):
    labels = {"Dashboard": _("Dashboard"), "Review queue": _("Review queue"), "My city": _("My city"),
              "Action plan": _("Action plan"), "Initiatives": _("Initiatives"), "Indicators": _("Indicators"),
              "Meetings": _("Meetings"), "Best practice": _("Best practice"),
              "Digests": _("Digests"), "People": _("People"), "Admin": _("Admin")}
    items = [f'<li><a href="{escape(reverse(name))}">{escape(labels[label])}</a></li>'
             for name, label, who in NAV if who in kinds]
    return mark_safe("".join(items))


@register.simple_tag
def main_nav(roles):
    """The <li>s of the main navigation for a person of these roles (cities.roles.UserRoles)."""
    kinds = {"everyone"}
    if roles.sees_whole_network:
        kinds.add("network")
    if roles.is_secretariat:
        kinds.add("secretariat")
    if roles.city_ids:
        kinds.add("city")
    return _nav(frozenset(kinds), get_language(), get_script_prefix())
