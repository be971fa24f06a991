"""A delegate's journeys, walked in a real browser through labels and buttons."""

import re

from playwright.sync_api import expect

from reports.models import Evidence, ProgressReport
from testing.services import wait_for

from .conftest import log_in

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_a_delegate_reports_on_an_overdue_point_with_an_attachment(page, assigned, periods, alice, secretariat,
                                                                  mailbox, tmp_path):
    evidence = tmp_path / "workshop-minutes.pdf"
    evidence.write_bytes(PDF)
    log_in(page, "alice")

    expect(page.get_by_role("heading", name="Riga: your action points")).to_be_visible()
    row = page.get_by_role("row").filter(has_text="1.3")
    expect(row).to_contain_text("Overdue")
    row.get_by_role("link", name=re.compile("Write report")).click()

    page.get_by_label("Delivery status").select_option(label="At risk")
    page.get_by_label("Summary of progress").fill("Indicator workshop held with Tallinn; data owners named.")
    page.get_by_label("Next steps").fill("Collect 2011 values by September.")
    page.get_by_label("Attach a file").set_input_files(str(evidence))
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Draft saved")).to_be_visible()
    expect(page.get_by_role("link", name="workshop-minutes.pdf")).to_be_visible()

    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Your report was submitted for review")).to_be_visible()
    expect(page.get_by_role("button", name="Save draft")).to_have_count(0)

    report = ProgressReport.objects.get()
    assert (report.state, report.delivery_status) == ("submitted", "at_risk")
    assert Evidence.objects.get().filename == "workshop-minutes.pdf"
    wait_for(lambda: mailbox.to(secretariat.email), timeout=30, message="the Secretariat's email")
    assert "Submitted for review: Riga on 1.3" in mailbox.to(secretariat.email)[0]["Subject"]


def test_a_delegate_editing_the_url_to_another_citys_report_is_refused(page, assigned, periods, cities, alice, bob):
    tallinn = ProgressReport.objects.create(action_point=assigned["2.1"], city=cities["tallinn"],
                                            period=periods["2011 H1"], summary="Tallinn's private draft")
    log_in(page, "alice")

    response = page.goto(f"/reports/{tallinn.pk}/")

    assert response.status == 403
    expect(page.get_by_role("heading", name="You may not open this page")).to_be_visible()
    expect(page.get_by_text("Tallinn's private draft")).to_have_count(0)
    response = page.goto("/cities/tallinn/")
    assert response.status == 403


def tab_to(page, predicate_js, limit=60):
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(predicate_js):
            return
    raise AssertionError(f"Tab never reached {predicate_js}")


def test_a_delegate_writes_a_draft_with_the_keyboard_alone(page, assigned, periods, alice):
    log_in(page, "alice")
    page.goto(f"/reports/new/{assigned['1.3'].pk}/{periods['2011 H2'].pk}/")

    tab_to(page, "document.activeElement.id === 'id_summary'")
    page.keyboard.type("Written without a mouse.")
    tab_to(page, "document.activeElement.textContent.trim() === 'Save draft'")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Draft saved")).to_be_visible()
    assert ProgressReport.objects.get().summary == "Written without a mouse."
