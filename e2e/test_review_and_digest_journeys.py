"""The Secretariat's journeys: review a report with its delegate, then send the Mayors' digests."""

import re

from playwright.sync_api import expect

from reports import services
from reports.models import ProgressReport
from testing.services import wait_for

from .conftest import log_in


def nav(page, name):
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()


def submitted_report(assigned, periods, cities, alice, summary="Indicator workshop held."):
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H2"],
                                           summary=summary, delivery_status="on_track")
    services.report_submit(report=report, version=report.version, user=alice)
    return report


def riga_cell(page):
    """The dashboard's cell for Riga on action point 1.3."""
    row = page.get_by_role("row").filter(has=page.get_by_role("rowheader").filter(has_text="1.3"))
    headers = page.get_by_role("columnheader").all_inner_texts()
    # The matrix's header row: Action point, Last reported, then the cities.
    city_headers = [h for h in headers if h.strip() in {"Berlin", "Helsinki", "Malmö", "Oslo", "Riga", "St Petersburg",
                                                          "Stockholm", "Tallinn", "Vilnius", "Warsaw", "Copenhagen"}]
    index = city_headers.index("Riga")
    return row.get_by_role("cell").nth(1 + index)


def test_the_secretariat_returns_a_report_the_delegate_resubmits_and_it_is_approved(
    page, assigned, periods, cities, alice, secretariat,
):
    submitted_report(assigned, periods, cities, alice)

    log_in(page, "sara")
    nav(page, "Dashboard")
    expect(riga_cell(page)).to_contain_text("On track")
    nav(page, "Review queue")
    page.get_by_role("row").filter(has_text="Riga").get_by_role("link").first.click()
    return_form = page.locator("form").filter(has=page.get_by_role("button", name=re.compile("Return to the city")))
    return_form.get_by_label("Comment to the delegate").fill("Which cities have sent their data?")
    return_form.get_by_role("button", name=re.compile("Return to the city")).click()
    expect(page.get_by_text(re.compile("returned", re.I)).first).to_be_visible()
    log_out(page)

    log_in(page, "alice")
    expect(page.get_by_text("Which cities have sent their data?")).to_be_visible()
    page.get_by_role("link", name=re.compile("Correct")).click()
    expect(page.get_by_role("heading", name="Returned by the Secretariat")).to_be_visible()
    page.get_by_label("Delivery status").select_option(label="Completed")
    page.get_by_label("Summary of progress").fill("Riga, Tallinn and Vilnius sent their 2011 data.")
    page.get_by_role("button", name="Resubmit for review").click()
    expect(page.get_by_text("Your report was submitted for review")).to_be_visible()
    log_out(page)

    log_in(page, "sara")
    nav(page, "Review queue")
    page.get_by_role("row").filter(has_text="Riga").get_by_role("link").first.click()
    expect(page.get_by_text("Riga, Tallinn and Vilnius sent their 2011 data.")).to_be_visible()
    page.get_by_role("button", name=re.compile("Approve")).click()
    nav(page, "Dashboard")
    expect(riga_cell(page)).to_contain_text("Completed")
    assert ProgressReport.objects.get().state == "approved"


def test_the_secretariat_previews_and_sends_the_digests_and_the_mayor_follows_the_link(
    page, portal, assigned, periods, cities, alice, mayor, secretariat, mailbox,
):
    report = submitted_report(assigned, periods, cities, alice, summary="Benchmark indicators adopted by all cities.")
    services.report_approve(report=report, reviewer=secretariat)
    mayor.email = "mayor.riga@example.org"
    mayor.save()

    log_in(page, "sara")
    nav(page, "Digests")
    page.get_by_role("link", name=re.compile("Before sending: who gets the digest")).click()
    expect(page.get_by_role("row").filter(has_text=mayor.email)).to_be_visible()
    page.get_by_role("link", name=f"Preview the email to {mayor}").click()
    preview = page.frame_locator("iframe.digest-preview")
    expect(preview.get_by_text("Benchmark indicators adopted by all cities.")).to_be_visible()
    expect(page.locator("pre.digest-text")).to_contain_text("Benchmark indicators adopted by all cities.")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")  # no sideways scroll

    page.get_by_role("link", name="Everybody the run would reach").click()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_role("button", name="Send the current period's digests now").click()
    wait_for(lambda: mailbox.to(mayor.email), timeout=60, message="the Mayor's digest")
    message = mailbox.to(mayor.email)[0]
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert "Benchmark indicators adopted by all cities." in text
    links = [url for url in re.findall(r"https?://\S+", text) if url.startswith(portal)]
    assert links, text
    log_out(page)

    log_in(page, "maris")
    response = page.goto(links[0].rstrip(".,)"))
    assert response.status == 200
