"""Two-step review walked in a real browser: the Secretariat moves the plan to two steps, a partner city's
report goes to the coordinating city, which returns it, then accepts it; the coordinator's consolidated
report goes to the Secretariat, whose approval approves both. (One-step review's journey is in
test_review_and_digest_journeys.py.)

Riga (alice) coordinates 1.3 with Tallinn (bob) as partner."""

import re

from playwright.sync_api import expect

from reports.models import ProgressReport

from .conftest import log_in
from .test_review_and_digest_journeys import log_out, nav


def test_a_partner_report_goes_through_the_coordinating_city_to_the_secretariat(
    page, plan, assigned, periods, cities, alice, bob, secretariat,
):
    log_in(page, "sara")
    page.goto(f"/secretariat/plans/{plan.pk}/")
    page.get_by_label(re.compile("Two steps: partner reports go to the coordinating city")).check()
    page.get_by_role("button", name="Save the review mode").click()
    expect(page.get_by_text(re.compile("Now: Two steps"))).to_be_visible()
    log_out(page)

    # Tallinn, a partner on 1.3, hands its report to the coordinating city.
    log_in(page, "bob")
    page.get_by_role("row").filter(has_text="1.3").get_by_role("link", name=re.compile("Write report")).first.click()
    expect(page.get_by_text(re.compile("this report goes to Riga, the coordinating city"))).to_be_visible()
    page.get_by_label("Delivery status").select_option(label="On track")
    page.get_by_label("Summary of progress").fill("Tallinn mapped 40 start-ups.")
    page.get_by_role("button", name="Submit to the coordinating city").click()
    expect(page.get_by_text(re.compile("submitted to the coordinating city, which reviews it first"))).to_be_visible()
    log_out(page)

    # Riga, the coordinator, finds it in its queue and returns it with a comment.
    log_in(page, "alice")
    page.get_by_role("link", name="Your coordinator's queue").click()
    waiting = page.get_by_role("row").filter(has_text="Tallinn")
    waiting.get_by_role("link").first.click()
    expect(page.get_by_text("Tallinn mapped 40 start-ups.").first).to_be_visible()
    page.get_by_label("Comment to the partner city").fill("Add the source of the figures.")
    page.get_by_role("button", name=re.compile("Return to the partner city")).click()
    expect(page.get_by_text(re.compile("report was returned with your comment"))).to_be_visible()
    log_out(page)

    # Tallinn corrects it and hands it in again.
    log_in(page, "bob")
    expect(page.get_by_text("Add the source of the figures.")).to_be_visible()
    page.get_by_role("row").filter(has_text="1.3").get_by_role("link", name=re.compile("Correct")).first.click()
    expect(page.get_by_role("heading", name="Returned by the coordinating city")).to_be_visible()
    page.get_by_label("Summary of progress").fill("Tallinn mapped 40 start-ups (source: the city register).")
    page.get_by_role("button", name="Submit to the coordinating city").click()
    log_out(page)

    # Riga accepts it, then writes and submits the consolidated report beside it.
    log_in(page, "alice")
    page.get_by_role("link", name="Your coordinator's queue").click()
    page.get_by_role("row").filter(has_text="Tallinn").get_by_role("link").first.click()
    page.get_by_role("button", name=re.compile("Accept into the consolidated report")).click()
    expect(page.get_by_text(re.compile("accepted into your consolidated report"))).to_be_visible()
    period = ProgressReport.objects.get(city=cities["tallinn"]).period
    page.goto(f"/coordination/?period={period.pk}")
    page.get_by_role("link", name=re.compile("Write the consolidated report")).first.click()
    expect(page.get_by_text(re.compile("the city register")).first).to_be_visible()  # the partner's report beside the form
    page.get_by_label("Delivery status").select_option(label="On track")
    page.get_by_label("Summary of progress").fill("Riga and Tallinn: 95 start-ups mapped.")
    page.get_by_role("button", name="Submit the consolidated report to the Secretariat").click()
    log_out(page)

    # The Secretariat approves the consolidated report; the partner's report is approved with it.
    log_in(page, "sara")
    nav(page, "Review queue")
    row = page.get_by_role("row").filter(has_text="Consolidated report")
    expect(row).to_contain_text("Riga")
    row.get_by_role("link").first.click()
    expect(page.get_by_text(re.compile("the city register")).first).to_be_visible()
    page.get_by_role("button", name=re.compile("Approve")).click()
    expect(page.get_by_text(re.compile("approved", re.I)).first).to_be_visible()

    states = dict(ProgressReport.objects.values_list("city__name", "state"))
    assert states == {"Riga": "approved", "Tallinn": "approved"}
