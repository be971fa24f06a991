"""A delegate's journey in German: chosen in the header's switcher, kept on her account, every label and
message of the report form in German (the catalogue's words, testing/catalogues.py)."""

import re

from playwright.sync_api import expect

from accounts.models import User
from reports.models import ProgressReport
from testing.catalogues import translated
from testing.services import wait_for

from .conftest import log_in


def de(msgid):
    return translated("de", msgid)


def test_a_delegate_switches_to_german_and_reports_in_german(page, assigned, periods, alice, secretariat, mailbox):
    log_in(page, "alice")
    expect(page.locator("html")).to_have_attribute("lang", "en")

    page.locator("select#language-switcher").select_option("de")
    page.locator("form.language-switcher").get_by_role("button").click()
    page.wait_for_load_state()

    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator("select#language-switcher option:checked")).to_have_text("Deutsch")
    assert User.objects.get(username="alice").language == "de"
    expect(page.get_by_role("heading", name=de("%(city)s: your action points") % {"city": "Riga"})).to_be_visible()
    row = page.get_by_role("row").filter(has_text="1.3")
    expect(row).to_contain_text(de("Overdue"))
    row.get_by_role("link", name=re.compile(de("Write report"))).click()

    page.get_by_label(de("Delivery status")).select_option(label=de("At risk"))
    page.get_by_label(de("Summary of progress")).fill("Indikator-Workshop mit Tallinn abgehalten.")
    page.get_by_label(de("Next steps")).fill("Werte für 2011 bis September sammeln.")
    page.get_by_role("button", name=de("Save draft")).click()
    expect(page.get_by_text(de("Draft saved.").rstrip("."))).to_be_visible()

    page.get_by_role("button", name=de("Submit for review")).click()
    expect(page.get_by_text(de("Your report was submitted for review. The Secretariat has been told."))).to_be_visible()
    assert ProgressReport.objects.get().state == "submitted"

    # The Secretariat reads English: its email is in its own language, not the sender's.
    wait_for(lambda: mailbox.to(secretariat.email), timeout=30, message="the Secretariat's email")
    assert "Submitted for review: Riga on 1.3" in mailbox.to(secretariat.email)[0]["Subject"]

    # Signed in again elsewhere, the portal is German from the first page.
    page.context.clear_cookies()
    log_in(page, "alice")
    expect(page.locator("html")).to_have_attribute("lang", "de")
