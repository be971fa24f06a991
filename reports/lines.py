"""A point's roll-up in a line (reports.rollup.PointRollup), drawn in Python: the dashboard lists every
point of the plan, and the template language spent some 0.4 ms on each line (an include and three
translations). The markup is the one the digest's HTML email and the dashboard share; every value is
escaped, the translated sentences are the translators' own, each looked up once per language."""

from functools import lru_cache

from django.utils.html import escape as _escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext as _

from baltmet.templatetags.portal import overall_badge


def escape(value) -> str:
    return _escape(str(value))  # str() first: labels are lazy, and escape() would stay lazy


@lru_cache(maxsize=64)
def _sentences(language: str) -> dict:
    return {"point": _("Action point %(number)s"), "confirmed": _("%(label)s confirmed %(status)s"),
            "suggested": _("%(label)s suggested %(status)s"), "trend": escape(_("trend"))}


_labels: dict = {}  # (language, kind, value): a handful of statuses and trends per language


def _label(language: str, kind: str, value, label) -> str:
    """A status or trend label, escaped, worked out by `label()` the first time; `value`: what it depends on."""
    key = (language, kind, value)
    if key not in _labels:
        _labels[key] = escape(label())
    return _labels[key]


def rollup_line(r, base: str = "") -> str:
    """The line as HTML; `base`: the site's address, in emails (links absolute, colour inline, the
    overall status as plain words)."""
    language = get_language()
    said = _sentences(language)
    overall = r.overall
    parts = [
        f'<span class="rollup-line"><a href="{escape(base)}{escape(r.url)}"',
        ' style="color:#0b4f71;">' if base else ">",
        said["point"] % {"number": escape(r.point.number)},
        "</a>: ",
        _label(language, "overall", overall.status, lambda: overall.label) if base else overall_badge(overall),
    ]
    if r.period:
        confirmed = r.confirmed
        if confirmed:
            status = _label(language, "status", confirmed.status, confirmed.get_status_display)
            sentence = said["confirmed"]
        else:
            status = _label(language, "suggested", r.suggested, lambda: r.suggested_label)
            sentence = said["suggested"]
        parts += [" · ", sentence % {"label": escape(r.period.label), "status": status}]
    trend = r.trend
    parts += [" · ", said["trend"], ": "]
    if trend.word:
        parts.append(f'<span aria-hidden="true">{trend.arrow}</span> ')
    parts += [_label(language, "trend", trend.word, lambda: trend.label), "</span>"]
    return mark_safe("".join(parts))
