"""The briefing pack as a PDF: the same body as its HTML page, drawn by xhtml2pdf in the shipped DejaVu
Sans (dashboard.exports.pdf_fonts), so Latvian, Lithuanian, Polish and Cyrillic text comes out on any
machine."""

import io

from django.template.loader import render_to_string

from dashboard.exports import pdf_fonts


def briefing_pdf(context: dict) -> bytes:
    from xhtml2pdf import pisa

    html = render_to_string("meetings/briefing_pdf.html", {**context, "fonts": pdf_fonts()})
    out = io.BytesIO()
    result = pisa.CreatePDF(html, dest=out, encoding="utf-8")
    if result.err:
        raise RuntimeError(f"The briefing pack could not be made ({result.err} errors)")
    return out.getvalue()


def briefing_filename(meeting, extension: str) -> str:
    words = "-".join(f"briefing {meeting.title} {meeting.date:%Y-%m-%d}".split())
    return f"{words}.{extension}"
