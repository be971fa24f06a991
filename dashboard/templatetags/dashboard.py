from django import template

from ..matrix import block_rows

register = template.Library()

# {{ block|matrix_rows }}: a focus area's rows of the dashboard's matrix (see dashboard/matrix.py).
register.filter("matrix_rows", block_rows)
