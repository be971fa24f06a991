"""The meetings, the briefing pack and the best-practice exchange at 375 px and at desktop width: nothing
makes the page scroll sideways, with long Baltic and Cyrillic names in it."""

from datetime import date

from meetings import services as meetings
from practices import services as practices

from .conftest import log_in
from .test_phone_layout import fits_the_screen

WORD = "Sanktpeterburgskaya-konsultatsiya-po-energoeffektivnosti-i-innovatsiyam-Rīgas-Šiaulių"
LONG = f"{WORD} " * 3


def _record(cities, plan, point, secretariat, alice):
    earlier = meetings.meeting_create(user=secretariat, data={
        "kind": "mayors", "title": "Mayors' Meeting in Copenhagen", "date": date(2011, 3, 1),
        "host_city": cities["copenhagen"]})
    meeting = meetings.meeting_create(
        user=secretariat, data={"kind": "mayors", "title": f"Mayors' Meeting in Санкт-Петербург {WORD}",
                                "date": date(2011, 12, 1), "host_city": cities["riga"], "minutes": LONG},
        agenda=[WORD, "Progress of the plan"],
        attendance=[meetings.Presence(cities["riga"].pk, "present", LONG),
                    meetings.Presence(cities["oslo"].pk, "represented", "Helsinki")])
    resolution = meetings.resolution_create(user=secretariat, data={
        "meeting": earlier, "title": f"Copenhagen Resolution {WORD}", "text": LONG}, plans=[plan],
        action_points=[point])
    practice = practices.practice_create(user=alice, city=cities["riga"], action_points=[point],
                                         focus_areas=[point.focus_area], data={
                                             "title": f"Rīga start-up map {WORD}", "description": LONG,
                                             "results": LONG, "languages": ["lv", "lt", "ru"]})
    practices.practice_publish(practice=practice, user=secretariat)
    return meeting, resolution, practice


def test_the_meetings_and_practices_pages_fit_the_screen(page, assigned, periods, cities, plan, alice, mayor,
                                                        secretariat):
    point = assigned["1.3"]
    meeting, resolution, practice = _record(cities, plan, point, secretariat, alice)

    log_in(page, "maris")  # Riga's Mayor
    for path in ["/meetings/", meeting.get_absolute_url(), f"/meetings/{meeting.pk}/briefing/",
                 resolution.get_absolute_url(), plan.get_absolute_url(), point.get_absolute_url(),
                 "/practices/", f"/practices/?q=start-up&point={point.pk}", practice.get_absolute_url(),
                 f"/practices/{practice.pk}/history/", f"/meetings/{meeting.pk}/history/",
                 f"/meetings/resolutions/{resolution.pk}/history/"]:
        page.goto(path)
        assert page.locator("h1").count() == 1, path
        fits_the_screen(page)


def test_a_delegate_s_practice_form_and_the_public_practice_pages_fit_the_screen(page, assigned, cities, plan, alice,
                                                                                 bob, secretariat):
    point = assigned["1.3"]
    _meeting, _resolution, practice = _record(cities, plan, point, secretariat, alice)
    for path in ["/public/practices/", f"/public/practices/{practice.pk}/", f"/public/action-points/{point.pk}/"]:
        page.goto(path)
        assert "Rīga start-up map" in page.content(), path
        fits_the_screen(page)
    log_in(page, "alice")
    for path in ["/practices/new/", f"/practices/{practice.pk}/edit/"]:
        page.goto(path)
        fits_the_screen(page)
    page.context.clear_cookies()
    log_in(page, "bob")
    page.goto(f"/practices/{practice.pk}/ask/")
    fits_the_screen(page)


def test_the_meetings_and_practices_pages_are_accessible(audit_page, axe_violations, assigned, cities, plan, alice,
                                                        mayor, secretariat):
    from .test_accessibility import assert_accessible

    point = assigned["1.3"]
    meeting, resolution, practice = _record(cities, plan, point, secretariat, alice)
    for path in ["/public/practices/", f"/public/practices/{practice.pk}/"]:
        assert_accessible(audit_page, axe_violations, path)
    log_in(audit_page, "maris")
    for path in ["/meetings/", meeting.get_absolute_url(), f"/meetings/{meeting.pk}/briefing/",
                 resolution.get_absolute_url(), "/practices/", practice.get_absolute_url()]:
        assert_accessible(audit_page, axe_violations, path)


def test_the_secretariat_s_meeting_and_resolution_forms_fit_the_screen(page, assigned, cities, plan, alice,
                                                                      secretariat):
    meeting, resolution, _practice = _record(cities, plan, assigned["1.3"], secretariat, alice)
    log_in(page, "sara")
    for path in ["/meetings/new/", f"/meetings/{meeting.pk}/edit/", "/meetings/resolutions/new/",
                 f"/meetings/resolutions/{resolution.pk}/edit/"]:
        page.goto(path)
        assert page.get_by_role("button", name="Save").count() == 1, path
        fits_the_screen(page)
    # Attendance is one row per city, each with its own labelled fields.
    page.goto(f"/meetings/{meeting.pk}/edit/")
    assert page.get_by_label("Oslo: attendance").input_value() == "represented"
    assert page.get_by_label("Riga: who came").input_value().startswith("Sanktpeterburgskaya")
