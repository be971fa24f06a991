"""The filtered reports as CSV and XLSX, and the progress report as PDF.

Spreadsheet programs run a cell that starts with = + - @ (or a tab or carriage return) as a
formula, so such text gets a leading apostrophe: it shows as typed and never runs."""

import csv
import io

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

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


def _when(moment):
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def report_rows(reports):
    """One list of cells per report, already neutralised; datetimes are local and naive."""
    for report in reports.select_related("action_point__coordinating_city").iterator(chunk_size=1000):
        point = report.action_point
        yield [neutralise(cell) for cell in (
            point.focus_area.plan.title, report.period.label, point.focus_area.title, point.number, point.text,
            report.city.name, point.coordinating_city.name if point.coordinating_city else "",
            report.get_delivery_status_display(), report.get_state_display(), report.summary, report.next_steps,
            str(report.submitted_by) if report.submitted_by else "", _when(report.submitted_at),
            str(report.reviewed_by) if report.reviewed_by else "", _when(report.reviewed_at), report.review_comment,
        )]


def reports_csv(reports) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(name) for name in columns()])
    for row in report_rows(reports):
        writer.writerow([cell.isoformat(sep=" ", timespec="minutes") if hasattr(cell, "isoformat") else cell
                         for cell in row])
    return out.getvalue()


def reports_xlsx(reports) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Reports")[:31])
    sheet.append([neutralise(name) for name in columns()])
    for row in report_rows(reports):
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# The PDF's built-in Helvetica has no Latvian, Lithuanian, Polish or Cyrillic letters. DejaVu Sans has
# them all and is used when the system has it; otherwise Bitstream Vera, which ships with reportlab
# (Western European letters only).
FONT_CANDIDATES = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
]


def pdf_fonts() -> dict:
    from pathlib import Path

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
