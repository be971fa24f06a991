"""A coordinator keeps an action point's milestones on a phone (375 px): adds one, marks it done."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from actions.models import Milestone

from .conftest import _page, log_in
from .test_phone_layout import fits_the_screen


@pytest.fixture
def phone(request, browser, portal, transactional_db):
    yield from _page(request, browser, portal, "phone")


def test_a_coordinator_adds_a_milestone_and_marks_it_done_on_a_phone(phone, assigned, cities, alice):
    page = phone
    due = timezone.localdate() + timedelta(days=20)
    log_in(page, "alice")
    page.goto(reverse("actions:action_point", args=[assigned["1.3"].pk]))
    expect(page.get_by_text("No milestones yet.")).to_be_visible()

    page.get_by_role("link", name="Add a milestone").click()
    page.get_by_role("button", name="Save").click()  # nothing filled in: told next to the fields
    expect(page.locator("#id_title_errors")).to_be_visible()
    fits_the_screen(page)
    page.get_by_label("Title").fill("Indicator owners named in Riga and Tallinn")
    page.get_by_label("Due date").fill(due.isoformat())
    page.get_by_label("Responsible city").select_option(label="Tallinn")
    page.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Milestone added.")).to_be_visible()
    milestones = page.locator("#milestones")
    expect(milestones).to_contain_text("0 of 1 milestone done")
    expect(milestones).to_contain_text("Indicator owners named in Riga and Tallinn")
    fits_the_screen(page)

    milestones.get_by_label("Done on").fill(timezone.localdate().isoformat())
    milestones.get_by_role("button", name="Mark done").click()

    expect(page.get_by_text("Milestone marked done.")).to_be_visible()
    expect(page.locator("#milestones")).to_contain_text("1 of 1 milestone done")
    expect(page.get_by_role("button", name="Mark not done")).to_be_visible()
    fits_the_screen(page)
    milestone = Milestone.objects.get()
    assert milestone.done and milestone.done_on == timezone.localdate() and milestone.responsible_city.slug == "tallinn"
    assert milestone.history.count() == 2


def test_the_milestone_pages_pass_the_accessibility_check(audit_page, axe_violations, assigned, cities, alice,
                                                          secretariat):
    from actions import milestones

    from .test_accessibility import assert_accessible

    today = timezone.localdate()
    late = milestones.milestone_add(point=assigned["1.3"], title="Late", due_date=today - timedelta(days=3),
                                    responsible_city=cities["riga"], user=secretariat)
    done = milestones.milestone_add(point=assigned["1.3"], title="Done", due_date=today - timedelta(days=9),
                                    responsible_city=cities["tallinn"], user=secretariat)
    milestones.milestone_mark(milestone=done, version=1, done=True, done_on=today, user=secretariat)
    log_in(audit_page, "alice")
    for path in [assigned["1.3"].get_absolute_url(), reverse("actions:milestone_add", args=[assigned["1.3"].pk]),
                 reverse("actions:milestone_edit", args=[late.pk]), reverse("actions:milestone_mark", args=[late.pk]),
                 reverse("actions:milestone_remove", args=[late.pk]), "/cities/riga/"]:
        assert_accessible(audit_page, axe_violations, path)
