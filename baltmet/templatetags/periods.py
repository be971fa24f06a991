"""A digest's period (its key: "2026-12", "2026-Q4") as the reader's language writes it."""

import re
from datetime import date

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext

register = template.Library()


@register.filter
def period_label(key: str) -> str:
    if match := re.fullmatch(r"(\d{4})-(\d{2})", key or ""):
        return date_format(date(int(match[1]), int(match[2]), 1), "YEAR_MONTH_FORMAT")
    if match := re.fullmatch(r"(\d{4})-Q([1-4])", key or ""):
        return gettext("Q%(quarter)s %(year)s") % {"quarter": match[2], "year": match[1]}
    return key
