from django import template

from ..selectors import plan_resolutions as resolutions_of

register = template.Library()


@register.inclusion_tag("meetings/_plan_resolutions.html")
def plan_resolutions(plan):
    """The resolutions behind a plan, for its page: {% load meetings %}{% plan_resolutions plan %} (one query)."""
    return {"resolutions": resolutions_of(plan)}
