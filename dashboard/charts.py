"""A server-drawn SVG chart of reported delivery statuses per period: no JavaScript, prints as
drawn, and every number is also in the table printed beside it (the text alternative)."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

# Fills differ in lightness too, and each bar segment is labelled, so colour is never the only cue.
FILLS = {
    "not_started": "#b8bec5",
    "on_track": "#1f6b35",
    "at_risk": "#e0a800",
    "delayed": "#a11d1d",
    "completed": "#0b4f8a",
}
TEXT_ON = {"not_started": "#1b1f24", "at_risk": "#1b1f24"}
WIDTH, LABEL_W, BAR_W, ROW_H, BAR_H = 640, 90, 480, 30, 20


def status_chart(history: list[dict], *, chart_id: str = "status-chart") -> str:
    """`history` is selectors.status_history: [{"period", "counts": [(status, label, n)], "total"}]."""
    biggest = max((row["total"] for row in history), default=0) or 1
    legend_y = ROW_H * len(history) + 16
    height = legend_y + 28
    parts = []
    for index, row in enumerate(history):
        y = index * ROW_H + 4
        parts.append(format_html(
            '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>',
            LABEL_W - 8, y + BAR_H - 5, row["period"].label,
        ))
        x = LABEL_W
        for status, label, count in row["counts"]:
            if not count:
                continue
            width = BAR_W * count / biggest
            parts.append(format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#fff">'
                "<title>{}: {}</title></rect>",
                f"{x:.1f}", y, f"{width:.1f}", BAR_H, FILLS[status], label, count,
            ))
            if width >= 16:
                parts.append(format_html(
                    '<text x="{}" y="{}" text-anchor="middle" fill="{}" class="chart-count">{}</text>',
                    f"{x + width / 2:.1f}", y + BAR_H - 5, TEXT_ON.get(status, "#fff"), count,
                ))
            x += width
        parts.append(format_html(
            '<text x="{}" y="{}" class="chart-total">{}</text>', f"{x + 6:.1f}", y + BAR_H - 5, row["total"],
        ))
    legend = []
    x = 0
    statuses = history[0]["counts"] if history else []
    for status, label, _count in statuses:
        legend.append(format_html(
            '<rect x="{}" y="{}" width="12" height="12" fill="{}" stroke="#1b1f24" stroke-width="0.5"></rect>'
            '<text x="{}" y="{}" class="chart-legend">{}</text>',
            x, legend_y, FILLS[status], x + 16, legend_y + 11, label,
        ))
        x += 20 + 8 * len(str(label)) + 12
    title = _("Reported delivery statuses per reporting period")
    desc = _("Stacked bars, one per period, each segment a delivery status with its number of reports. "
             "The table that follows gives the same numbers.")
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="status-chart" viewBox="0 0 {} {}" width="{}" height="{}" '
        'role="img" aria-labelledby="{}-title {}-desc"><title id="{}-title">{}</title><desc id="{}-desc">{}</desc>'
        "{}{}</svg>",
        max(WIDTH, x), height, max(WIDTH, x), height, chart_id, chart_id, chart_id, title, chart_id, desc,
        mark_safe("".join(parts)), mark_safe("".join(legend)),
    )


