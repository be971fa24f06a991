"""The filtered reports as CSV and XLSX, and the progress report as PDF.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a
formula, so such text gets a leading apostrophe: it shows as typed and never runs."""

import csv
import io
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import DeliveryStatus
from reports.models import WorkflowState

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def columns():
    return [
        _("Plan"), _("Reporting period"), _("Focus area"), _("Action point"), _("Action point text"), _("City"),
        _("Coordinating city"), _("Delivery status"), _("Workflow state"), _("Summary of progress"), _("Next steps"),
        _("Submitted by"), _("Submitted at"), _("Reviewed by"), _("Reviewed at"), _("Review comment"),
    ]


def _when(moment, zone=None):
    return moment.astimezone(zone or timezone.get_current_timezone()).replace(tzinfo=None) if moment else None


# What an export reads of each report: plain values, no model objects (a plan has thousands of reports).
EXPORT_COLUMNS = (
    "period__plan__title", "period__label", "action_point__focus_area__title", "action_point__focus_area__number",
    "action_point__sequence", "action_point__text", "city__name", "action_point__coordinating_city__name",
    "delivery_status", "state", "summary", "next_steps",
    "submitted_by__first_name", "submitted_by__last_name", "submitted_by__username", "submitted_at",
    "reviewed_by__first_name", "reviewed_by__last_name", "reviewed_by__username", "reviewed_at", "review_comment",
)


def _person(first, last, username):
    """As str(user) says it: the full name, else the username."""
    return " ".join(part for part in (first, last) if part) or username or ""  # nobody yet: empty, not "None None"


# Rows read from the database at a time. Small enough that a plan's export and the whole network's
# peak alike (a chunk of long texts is what memory holds), large enough that fetching costs little.
CHUNK_ROWS = 250


def report_rows(reports):
    """One list of cells per report, in the order of columns(), already neutralised; datetimes local
    and naive. Read in chunks of CHUNK_ROWS, so memory stays the same whatever the number of reports."""
    statuses = {value: neutralise(str(label)) for value, label in DeliveryStatus.choices}
    states = {value: neutralise(str(label)) for value, label in WorkflowState.choices}
    zone = timezone.get_current_timezone()
    for (plan, period, area, area_number, sequence, text, city, coordinator, status, state, summary, next_steps,
         s_first, s_last, s_user, submitted_at, r_first, r_last, r_user, reviewed_at, comment) in (
            reports.values_list(*EXPORT_COLUMNS).iterator(chunk_size=CHUNK_ROWS)):
        yield [
            neutralise(plan), neutralise(period), neutralise(area), f"{area_number}.{sequence}", neutralise(text),
            neutralise(city), neutralise(coordinator or ""), statuses.get(status, status), states.get(state, state),
            neutralise(summary), neutralise(next_steps), neutralise(_person(s_first, s_last, s_user)),
            _when(submitted_at, zone), neutralise(_person(r_first, r_last, r_user)), _when(reviewed_at, zone),
            neutralise(comment),
        ]


class _Line:
    """A file-like object that hands back what csv.writer writes to it, so each row is yielded on."""

    def write(self, text):
        return text


def _csv_cell(cell):
    return cell.isoformat(sep=" ", timespec="minutes") if hasattr(cell, "isoformat") else cell


# CSV rows handed on together: each piece a streamed response sends costs a little of its own.
CSV_ROWS_PER_PIECE = 50


def reports_csv(reports):
    """The CSV file, a few rows at a time (streamed: memory stays the same whatever the number of
    reports). It starts with a byte order mark so that Excel reads it as UTF-8."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow([neutralise(name) for name in columns()])
    piece = []
    for row in report_rows(reports):
        piece.append(writer.writerow([_csv_cell(cell) for cell in row]))
        if len(piece) == CSV_ROWS_PER_PIECE:
            yield "".join(piece)
            piece = []
    if piece:
        yield "".join(piece)


# Column widths (in characters) for the XLSX sheet, in the order of columns().
XLSX_WIDTHS = [28, 14, 28, 10, 50, 14, 16, 14, 14, 60, 40, 20, 17, 20, 17, 40]


def reports_xlsx(reports, chunk_size: int = 64 * 1024):
    """The XLSX file, in chunks: written row by row (openpyxl's write-only mode) to a temporary file,
    then read back, so memory stays the same whatever the number of reports. The header row is frozen
    and filterable; long texts get wide columns."""
    import tempfile

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Reports")[:31])
    for index, width in enumerate(XLSX_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(XLSX_WIDTHS))}{reports.count() + 1}"
    sheet.append([neutralise(name) for name in columns()])
    for row in report_rows(reports):
        sheet.append(row)
    with tempfile.TemporaryFile() as out:
        workbook.save(out)
        out.seek(0)
        while chunk := out.read(chunk_size):
            yield chunk


# The PDF's built-in Helvetica has no Latvian, Lithuanian, Polish or Cyrillic letters. DejaVu Sans has
# them all and ships with the portal (static/fonts/, with its licence), so every PDF has them on a fresh
# machine; the system's copy and reportlab's Bitstream Vera (Western European letters only) are fallbacks.
SHIPPED_FONTS = Path(__file__).resolve().parent.parent / "static" / "fonts"
FONT_CANDIDATES = [
    (str(SHIPPED_FONTS / "DejaVuSans.ttf"), str(SHIPPED_FONTS / "DejaVuSans-Bold.ttf")),
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
]


def pdf_fonts() -> dict:
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts"
    for regular, bold in FONT_CANDIDATES + [(str(vera / "Vera.ttf"), str(vera / "VeraBd.ttf"))]:
        if Path(regular).is_file() and Path(bold).is_file():
            return {"regular": regular, "bold": bold}
    return {}


def progress_report_pdf(context: dict) -> bytes:
    from xhtml2pdf import pisa

    html = render_to_string("dashboard/progress_report_pdf.html", {**context, "fonts": pdf_fonts()})
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"The PDF could not be made ({result.err} errors)")
    return out.getvalue()
