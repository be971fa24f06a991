import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from reports.models import Evidence, ProgressReport

from .conftest import form_data


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def xlsx_bytes():
    buffer = io.BytesIO()
    workbook = Workbook()
    workbook.active["A1"] = "Indicator"
    workbook.save(buffer)
    return buffer.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"This program cannot be run in DOS mode"


def post(client, report, **data):
    return client.post(reverse("reports:report", args=[report.pk]), form_data(report, **data))


def errors(response, field):
    return response.context["form"].errors.get(field, [])


@pytest.mark.parametrize("name, content, content_type", [
    ("minutes.pdf", PDF, "application/pdf"),
    ("photo.png", png_bytes(), "image/png"),
    ("figures.xlsx", xlsx_bytes(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
])
def test_evidence_files_are_attached_and_downloadable(name, content, content_type, riga_report, alice, bob,
                                                       client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = post(client_for(alice), riga_report, evidence_file=SimpleUploadedFile(name, content))
    assert response.status_code == 302

    evidence = Evidence.objects.get()
    assert (evidence.content_type, evidence.size, evidence.added_by) == (content_type, len(content), alice)
    download = client_for(alice).get(reverse("reports:evidence", args=[riga_report.pk, evidence.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == content
    assert download["Content-Disposition"].startswith("attachment")
    assert client_for(bob).get(reverse("reports:evidence", args=[riga_report.pk, evidence.pk])).status_code == 403


def test_a_link_is_attached_and_removed_with_history(riga_report, alice, client_for):
    post(client_for(alice), riga_report, evidence_url="https://baltmet.org/news", evidence_title="News item")
    evidence = Evidence.objects.get()
    assert str(evidence) == "News item"

    client_for(alice).post(reverse("reports:evidence_remove", args=[riga_report.pk, evidence.pk]))

    assert not Evidence.objects.exists()
    assert [h.history_type for h in Evidence.history.order_by("history_date")] == ["+", "-"]


@pytest.mark.parametrize("name, content, message", [
    ("setup.pdf", EXE, "not a PDF, DOCX, XLSX, PNG or JPEG file"),
    ("report.docx", b"just some text pretending", "not a PDF, DOCX, XLSX, PNG or JPEG file"),
    ("photo.pdf", png_bytes(), "it is a PNG file"),
    ("empty.pdf", b"", "file is empty"),
])
def test_bad_files_are_refused_with_a_message_beside_the_field(name, content, message, riga_report, alice, client_for):
    response = post(client_for(alice), riga_report, summary="Keep me", evidence_file=SimpleUploadedFile(name, content))

    assert response.status_code == 200
    assert any(message in error for error in errors(response, "evidence_file")), errors(response, "evidence_file")
    assert "Keep me" in response.content.decode()  # what was typed stays in the form
    assert not Evidence.objects.exists()


def test_a_file_over_10_mb_is_refused(riga_report, alice, client_for):
    big = PDF + b"0" * (10 * 1024 * 1024)
    response = post(client_for(alice), riga_report, evidence_file=SimpleUploadedFile("big.pdf", big))
    assert "evidence files can be up to 10.0\xa0MB" in errors(response, "evidence_file")[0]


@pytest.mark.parametrize("data, field, message", [
    ({"summary": "x" * 10001}, "summary", "at most 10000 characters"),
    ({"next_steps": "x" * 5001}, "next_steps", "at most 5000 characters"),
    ({"delivery_status": "splendid"}, "delivery_status", "Select a valid choice"),
    ({"evidence_url": "javascript:alert(1)"}, "evidence_url", "Enter a valid URL"),
    ({"evidence_url": "not a url"}, "evidence_url", "Enter a valid URL"),
    ({"summary": "   ", "action": "submit"}, "summary", "Write a summary of progress before submitting"),
])
def test_bad_fields_get_a_message_beside_them_and_nothing_is_saved(data, field, message, riga_report, alice, client_for):
    response = post(client_for(alice), riga_report, **data)

    assert response.status_code == 200
    assert any(message in error for error in errors(response, field)), errors(response, field)
    assert f'id="id_{field}_errors"' in response.content.decode()
    riga_report.refresh_from_db()
    assert riga_report.summary == "First draft." and riga_report.state == "draft"


def test_a_missing_version_is_a_message_not_a_crash(riga_report, alice, client_for):
    data = form_data(riga_report)
    del data["version"]
    response = client_for(alice).post(reverse("reports:report", args=[riga_report.pk]), data)
    assert response.status_code in (200, 302)


def test_script_in_a_summary_shows_as_text(riga_report, alice, secretariat, client_for, period):
    post(client_for(alice), riga_report, summary="<script>alert('x')</script>")
    riga_report.refresh_from_db()
    ProgressReport.objects.filter(pk=riga_report.pk).update(state="returned", submitted_at="2011-07-01T00:00Z",
                                                             review_comment="<script>alert('y')</script>")
    for url in [reverse("reports:report", args=[riga_report.pk]), reverse("reports:history", args=[riga_report.pk]),
                reverse("reports:workspace", args=["riga"]) + f"?period={period.pk}"]:
        page = client_for(secretariat).get(url).content.decode()
        assert "<script>alert(" not in page, url
