"""The dashboard's matrix rows, drawn in Python: 60 action points × 10 cities are 600 cells, and the
template language spends some 35 µs on each (a loop step, three conditions, a badge). Here a cell is
looked up among the few dozen different ones a page has. The markup is the template's
(dashboard/_home_matrix.html keeps the table around it); every value is escaped."""

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from baltmet.templatetags.portal import status_badge


def block_rows(block) -> str:
    """The <tr>s of one focus area's block (selectors.AreaBlock), in the active language."""
    coordinating, partner = escape(_("Coordinating city")), escape(_("Partner city"))
    marks = {
        (True, False): f'<span class="role-mark" title="{coordinating}">★<span class="visually-hidden"> '
                       f'{coordinating}</span></span>',
        (False, True): f'<span class="role-mark" title="{partner}">☆<span class="visually-hidden"> {partner}</span>'
                       f'</span>',
    }
    stale = escape(_("No approved report for two periods"))
    flag = f' <span class="flag" title="{stale}">⚑ <span class="visually-hidden">{stale}</span></span>'
    never = f'<span class="muted">{escape(_("never"))}</span>'
    drawn = {}  # the cells a page has: a role, a status and maybe an earlier period's label

    def cell_html(cell):
        key = (cell.is_coordinator, cell.is_partner and not cell.is_coordinator, cell.status,
               cell.period_label if cell.earlier_period else "")
        if key not in drawn:
            earlier = f' <span class="muted small">({escape(key[3])})</span>' if key[3] else ""
            drawn[key] = (f'<td class="cell{" coordinator" if key[0] else ""}">{marks.get(key[:2], "")}',
                          f'{status_badge(cell.status)}{earlier}')
        start, badge = drawn[key]
        if cell.report_url:  # the cell leads to the report it summarises
            badge = f'<a href="{escape(cell.report_url)}">{badge}</a>'
        return f"{start}{badge}</td>"

    days = {}  # a day's label, formatted once: many points were last reported on the same day

    def day(moment):
        local = timezone.localdate(moment)
        if local not in days:
            days[local] = date_format(local, "DATE_FORMAT")
        return days[local]

    rows = []
    for row in block.rows:
        last = day(row.last_reported) if row.last_reported else never
        stale_class = ' class="stale"' if row.is_stale else ""
        rows.append(
            f'<tr{stale_class}><th scope="row"><a href="{escape(row.url)}" '
            f'class="point-number">{escape(row.number)}</a>{flag if row.is_stale else ""} '
            f'<span class="point-text">{escape(row.short_text)}</span></th><td>{last}</td>'
            + "".join(cell_html(cell) for cell in row.cells) + "</tr>"
        )
    return mark_safe("".join(rows))
