from django import template

from ..lines import rollup_line

register = template.Library()

# {{ r|rollup_line }} or {{ r|rollup_line:site_url }}: a point's roll-up in a line (see reports/lines.py).
register.filter("rollup_line", rollup_line)
