"""At 375 px (and at desktop width) the pages people open most fit the screen: nothing makes the whole
page scroll sideways, and the cells a delegate acts on are on screen."""

from reports import services
from reports.models import Evidence, ProgressReport

from .conftest import log_in

LONG = "Stakeholder-consultation-on-the-regional-energy-efficiency-benchmarking-methodology " * 3


def fits_the_screen(page):
    sizes = page.evaluate("() => ({scroll: document.documentElement.scrollWidth, viewport: window.innerWidth})")
    assert sizes["scroll"] <= sizes["viewport"], f"{page.url} scrolls sideways: {sizes}"


def on_screen(page, locator):
    box = locator.bounding_box()
    width = page.evaluate("() => window.innerWidth")
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, f"off screen: {box} of {width}"


def test_the_workspace_shows_report_due_and_write_on_screen(page, assigned, periods, cities, alice):
    ProgressReport.objects.create(action_point=assigned["2.1"], city=cities["riga"], period=periods["2011 H2"],
                                  summary="Draft")
    log_in(page, "alice")
    page.goto(f"/cities/riga/?period={periods['2011 H2'].pk}")

    fits_the_screen(page)
    for number, action in (("1.3", "Write report"), ("2.1", "Continue")):
        row = page.get_by_role("row").filter(has_text=number).first
        on_screen(page, row.locator("td.report-state"))
        on_screen(page, row.locator("td.due"))
        on_screen(page, row.get_by_role("link", name=action))


def test_the_history_page_fits_the_screen(page, assigned, periods, cities, alice):
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H2"],
                                           summary="First draft.")
    services.report_save(report=report, version=report.version, user=alice,
                         data={"summary": LONG, "next_steps": LONG, "delivery_status": "at_risk"})
    services.evidence_add(report=ProgressReport.objects.get(), user=alice, title="Minutes",
                          url="https://example.org/" + "a-very-long-path-segment-" * 8)
    services.evidence_remove(evidence=Evidence.objects.get(), user=alice)
    report.refresh_from_db()
    services.report_submit(report=report, version=report.version, user=alice)
    log_in(page, "alice")
    page.goto(f"/reports/{report.pk}/history/")

    fits_the_screen(page)
    assert page.get_by_text("removed evidence").count() == 1
    assert "+00:00" not in page.content()
