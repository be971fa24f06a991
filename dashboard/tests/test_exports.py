import csv
import io

import openpyxl
from django.urls import reverse
from pypdf import PdfReader

from actions.models import DeliveryStatus
from dashboard import selectors
from dashboard.exports import columns, pdf_fonts
from reports.models import ProgressReport, WorkflowState

from .data import add_periods, generate_reports, submitted


def _generated(plan, cities, assigned):
    periods = add_periods(plan, 3)
    generate_reports(plan, periods, cities, seed=11, share=1)
    return periods


def _expected(plan, **filters):
    reports = ProgressReport.objects.filter(period__plan=plan)
    for name, value in filters.items():
        reports = reports.filter(**{name: value})
    return set(reports.values_list("pk", flat=True))


def test_filters_combine(plan, cities, assigned, secretariat, client_for):
    periods = _generated(plan, cities, assigned)
    area = assigned["2.1"].focus_area
    client = client_for(secretariat)
    cases = [
        ({}, {}),
        ({"period": periods[1].pk}, {"period": periods[1]}),
        ({"city": cities["riga"].pk, "state": "submitted"}, {"city": cities["riga"], "state": "submitted"}),
        ({"period": periods[2].pk, "focus_area": area.pk, "delivery_status": "delayed"},
         {"period": periods[2], "action_point__focus_area": area, "delivery_status": "delayed"}),
        ({"city": cities["tallinn"].pk, "period": periods[0].pk, "focus_area": area.pk, "state": "approved",
          "delivery_status": "on_track"},
         {"city": cities["tallinn"], "period": periods[0], "action_point__focus_area": area, "state": "approved",
          "delivery_status": "on_track"}),
    ]
    for params, filters in cases:
        response = client.get(reverse("dashboard:reports"), {"plan": plan.pk, **params})
        expected = _expected(plan, **filters)
        assert response.context["page"].paginator.count == len(expected), params
        form = response.context["form"]
        assert set(selectors.reports_filtered(**form.filters()).values_list("pk", flat=True)) == expected
    assert len(_expected(plan)) > len(_expected(plan, period=periods[1])) > 0


def test_a_wrong_filter_is_reported_beside_its_field_and_ignored(plan, cities, assigned, secretariat, client_for):
    _generated(plan, cities, assigned)
    response = client_for(secretariat).get(reverse("dashboard:reports"), {"state": "lost", "city": "x"})

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert response.context["page"].paginator.count == ProgressReport.objects.count()


def _export_filters(periods, cities):
    return {"period": periods[1].pk, "city": cities["riga"].pk}


def test_the_csv_holds_exactly_the_filtered_rows(plan, cities, assigned, secretariat, client_for):
    periods = _generated(plan, cities, assigned)
    ProgressReport.objects.filter(period=periods[1], city=cities["riga"]).update(summary="=HYPERLINK(\"x\")")
    response = client_for(secretariat).get(reverse("dashboard:export_csv"), _export_filters(periods, cities))

    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert response.streaming  # row by row, whatever the number of reports
    content = b"".join(response.streaming_content)
    assert content.startswith("\ufeff".encode())  # Excel reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert rows[0] == columns()
    expected = ProgressReport.objects.filter(period=periods[1], city=cities["riga"])
    assert len(rows) - 1 == expected.count() > 0
    assert {(row[3], row[5], row[1]) for row in rows[1:]} == {
        (r.action_point.number, "Riga", periods[1].label) for r in expected.select_related("action_point__focus_area")
    }
    assert all(row[9] == "'=HYPERLINK(\"x\")" for row in rows[1:])


def test_the_xlsx_holds_exactly_the_filtered_rows_and_neutralises_formulas(plan, cities, assigned, secretariat,
                                                                          client_for):
    periods = _generated(plan, cities, assigned)
    ProgressReport.objects.filter(period=periods[1], city=cities["riga"]).update(
        summary="=1+1", next_steps="@SUM(A1)", review_comment="-2")
    response = client_for(secretariat).get(reverse("dashboard:export_xlsx"), _export_filters(periods, cities))

    assert response.streaming
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == f"A1:P{len(rows)}"
    assert sheet.column_dimensions["J"].width == 60  # the summary has room
    assert list(rows[0]) == columns()
    assert len(rows) - 1 == ProgressReport.objects.filter(period=periods[1], city=cities["riga"]).count() > 0
    for row in rows[1:]:
        assert row[5] == "Riga" and row[1] == periods[1].label
        assert (row[9], row[10]) == ("'=1+1", "'@SUM(A1)")
        assert row[15] == "'-2"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_pdf_names_every_action_point(plan, assigned, periods, cities, points, secretariat, client_for):
    report = submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": periods["2011 H1"],
                        "delivery_status": DeliveryStatus.AT_RISK, "summary": "Indicators drafted with Tallinn."})
    report.state = WorkflowState.APPROVED
    report.reviewed_at = report.submitted_at
    report.save()

    response = client_for(secretariat).get(reverse("dashboard:progress_report_pdf"), {"period": periods["2011 H1"].pk})

    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = " ".join(text.split())
    for number in points:
        assert f"Action point {number}" in text, number
    assert "Indicators drafted with Tallinn." in text and "Riga: At risk" in text


def test_the_progress_report_page_is_printable(plan, assigned, periods, secretariat, client_for):
    page = client_for(secretariat).get(reverse("dashboard:progress_report")).content.decode()

    assert "dashboard.css" in page and "Download as PDF" in page
    assert page.count("Action point ") >= 14
    assert "style=" not in page and "<script" not in page


def test_no_portal_page_has_inline_styles_or_scripts(plan, assigned, periods, cities, secretariat, client_for):
    add_periods(plan, 2)
    generate_reports(plan, list(periods.values()), cities, seed=3)
    client = client_for(secretariat)
    report = ProgressReport.objects.first()
    for url in [reverse("dashboard:home"), reverse("dashboard:queue"), reverse("dashboard:reports"),
                reverse("dashboard:review", args=[report.pk]), reverse("dashboard:plans"),
                reverse("dashboard:plan", args=[plan.pk]), reverse("dashboard:people"), reverse("dashboard:invite")]:
        page = client.get(url).content.decode()
        assert "style=" not in page and "<script" not in page, url


def test_the_pdf_copes_with_every_alphabet_of_the_network(plan, assigned, periods, cities, secretariat, client_for):
    report = submitted({"action_point": assigned["1.3"], "city": cities["riga"], "period": periods["2011 H1"],
                        "summary": "Rīga, Malmö, Łódź, Санкт-Петербург <b>&amp;</b>"})
    report.state = WorkflowState.APPROVED
    report.reviewed_at = report.submitted_at
    report.save()

    response = client_for(secretariat).get(reverse("dashboard:progress_report_pdf"), {"period": report.period_id})

    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Malmö" in text
    if "DejaVu" in pdf_fonts().get("regular", ""):
        assert "Rīga" in text and "Łódź" in text and "Санкт-Петербург" in text
