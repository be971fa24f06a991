"""An action point's milestones: who may define and mark them, what the point's page and the plan say."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from actions import milestones
from actions.models import ActionPlan, Milestone
from testing.queries import assert_constant_queries, count_queries

TODAY = timezone.localdate()


@pytest.fixture
def point(assigned):
    """1.3: Riga (alice) coordinates, Tallinn (bob) is the partner."""
    return assigned["1.3"]


def add(point, user, *, title="Survey of start-up support", due=None, city=None):
    return milestones.milestone_add(point=point, title=title, due_date=due or TODAY + timedelta(days=30),
                                    responsible_city=city or point.coordinating_city, user=user)


def add_url(point):
    return reverse("actions:milestone_add", args=[point.pk])


def form_data(milestone=None, **changes):
    data = {"title": "Survey of start-up support", "due_date": (TODAY + timedelta(days=30)).isoformat(),
            "responsible_city": "", "version": milestone.version if milestone else 0}
    data.update(changes)
    return data


# Who may -------------------------------------------------------------------------------------------


def test_it_lets_the_coordinating_delegate_add_a_milestone_for_a_partner_city(point, alice, cities, client_for):
    response = client_for(alice).post(add_url(point), form_data(responsible_city=cities["tallinn"].pk))

    assert response.status_code == 302 and response["Location"].endswith("#milestones")
    milestone = Milestone.objects.get(action_point=point)
    assert milestone.responsible_city == cities["tallinn"] and not milestone.done
    assert milestone.history.count() == 1 and milestone.history.get().history_user == alice


def test_it_lets_the_secretariat_add_a_milestone(point, secretariat, cities, client_for):
    response = client_for(secretariat).post(add_url(point), form_data(responsible_city=cities["riga"].pk))

    assert response.status_code == 302 and Milestone.objects.filter(action_point=point).count() == 1


def test_it_refuses_other_cities_and_the_other_roles(point, bob, mayor, observer, chair, cities, client_for):
    for person in (bob, mayor, observer, chair):
        browser = client_for(person)
        assert browser.get(add_url(point)).status_code == 403
        assert browser.post(add_url(point), form_data(responsible_city=cities["riga"].pk)).status_code == 403
    assert not Milestone.objects.exists()


def test_it_sends_anonymous_people_to_log_in(point, alice, client):
    milestone = add(point, alice)
    for url in (add_url(point), reverse("actions:milestone_edit", args=[milestone.pk]),
                reverse("actions:milestone_mark", args=[milestone.pk]),
                reverse("actions:milestone_remove", args=[milestone.pk])):
        response = client.post(url, {"version": 1, "done": "yes", "done_on": TODAY.isoformat()})
        assert response.status_code == 302 and reverse("login") in response["Location"]
    milestone.refresh_from_db()
    assert milestone.version == 1 and not milestone.done


def test_unknown_ids_are_404(alice, client_for, assigned):
    browser = client_for(alice)
    assert browser.get(reverse("actions:milestone_add", args=[999999])).status_code == 404
    for name in ("milestone_edit", "milestone_mark", "milestone_remove"):
        assert browser.get(reverse(f"actions:{name}", args=[999999])).status_code == 404
        assert browser.post(reverse(f"actions:{name}", args=[999999]), {"version": 1}).status_code == 404


def test_the_responsible_partner_may_mark_its_milestone_done_but_not_edit_or_remove_it(
        point, alice, bob, cities, client_for):
    milestone = add(point, alice, city=cities["tallinn"])
    browser = client_for(bob)

    assert browser.get(reverse("actions:milestone_edit", args=[milestone.pk])).status_code == 403
    assert browser.post(reverse("actions:milestone_remove", args=[milestone.pk]), {"version": 1}).status_code == 403
    response = browser.post(reverse("actions:milestone_mark", args=[milestone.pk]),
                            {"done": "yes", "done_on": (TODAY - timedelta(days=2)).isoformat(), "version": 1})

    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.done and milestone.done_on == TODAY - timedelta(days=2) and milestone.version == 2
    assert milestone.history.first().history_user == bob


def test_a_partner_may_not_mark_the_coordinators_milestone(point, alice, bob, client_for):
    milestone = add(point, alice)  # Riga's own
    response = client_for(bob).post(reverse("actions:milestone_mark", args=[milestone.pk]),
                                    {"done": "yes", "done_on": TODAY.isoformat(), "version": 1})
    assert response.status_code == 403
    milestone.refresh_from_db()
    assert not milestone.done


def test_the_services_ask_the_same_rule(point, alice, bob):
    with pytest.raises(PermissionDenied):
        add(point, bob)
    milestone = add(point, alice)
    with pytest.raises(PermissionDenied):
        milestones.milestone_edit(milestone=milestone, version=1, title="Mine now", due_date=TODAY,
                                  responsible_city=milestone.responsible_city, user=bob)
    with pytest.raises(PermissionDenied):
        milestones.milestone_mark(milestone=milestone, version=1, done=True, done_on=TODAY, user=bob)


def test_a_closed_plans_milestones_stay_as_they_are(point, alice, secretariat, client_for):
    milestone = add(point, alice)
    ActionPlan.objects.filter(pk=point.focus_area.plan_id).update(status=ActionPlan.Status.CLOSED)

    assert client_for(alice).get(add_url(point)).status_code == 403
    assert client_for(secretariat).post(reverse("actions:milestone_mark", args=[milestone.pk]), {
        "done": "yes", "done_on": TODAY.isoformat(), "version": 1}).status_code == 403
    assert f'href="{add_url(point)}"' not in client_for(alice).get(point.get_absolute_url()).content.decode()


# Forms ---------------------------------------------------------------------------------------------


def test_it_shows_form_errors_next_to_the_fields(point, alice, cities, client_for):
    response = client_for(alice).post(add_url(point), form_data(title="  ", due_date="31.13.2027",
                                                                responsible_city=cities["oslo"].pk
                                                                if "oslo" in cities else 999999))
    page = response.content.decode()

    assert response.status_code == 400
    assert 'id="id_title_errors"' in page and 'id="id_due_date_errors"' in page
    assert 'id="id_responsible_city_errors"' in page
    assert not Milestone.objects.exists()


def test_a_city_not_taking_part_cannot_be_responsible(point, alice, cities, client_for):
    outsider = next(city for slug, city in cities.items() if slug not in ("riga", "tallinn"))
    response = client_for(alice).post(add_url(point), form_data(responsible_city=outsider.pk))

    assert response.status_code == 400 and 'id="id_responsible_city_errors"' in response.content.decode()
    with pytest.raises(ValidationError):
        add(point, alice, city=outsider)
    assert not Milestone.objects.exists()


def test_the_responsible_city_offered_is_one_taking_part(point, alice, cities, client_for):
    page = client_for(alice).get(add_url(point)).content.decode()
    outsider = next(city for slug, city in cities.items() if slug not in ("riga", "tallinn"))

    assert '<label for="id_title">' in page and '<label for="id_due_date">' in page
    assert f'value="{cities["tallinn"].pk}"' in page and f'value="{outsider.pk}"' not in page


def test_marking_done_needs_a_date_not_in_the_future(point, alice, client_for):
    milestone = add(point, alice)
    url = reverse("actions:milestone_mark", args=[milestone.pk])
    browser = client_for(alice)

    missing = browser.post(url, {"done": "yes", "done_on": "", "version": 1})
    future = browser.post(url, {"done": "yes", "done_on": (TODAY + timedelta(days=2)).isoformat(), "version": 1})

    assert missing.status_code == 400 and "Give the date the milestone was done on." in missing.content.decode()
    assert future.status_code == 400 and "cannot be in the future" in future.content.decode()
    assert 'id="id_done_on_errors"' in future.content.decode()
    milestone.refresh_from_db()
    assert not milestone.done and milestone.history.count() == 1
    with pytest.raises(ValidationError):
        milestones.milestone_mark(milestone=milestone, version=1, done=True, done_on=TODAY + timedelta(days=2),
                                  user=alice)


def test_the_database_keeps_done_and_its_date_together(point, alice):
    milestone = add(point, alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(done=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Milestone.objects.filter(pk=milestone.pk).update(done_on=TODAY)


def test_editing_and_marking_not_done_write_one_history_row_each(point, alice, cities, client_for):
    milestone = add(point, alice)
    browser = client_for(alice)
    edit_url = reverse("actions:milestone_edit", args=[milestone.pk])
    assert "Survey of start-up support" in browser.get(edit_url).content.decode()

    assert browser.post(edit_url, form_data(milestone, title="Survey published",
                                            responsible_city=cities["tallinn"].pk)).status_code == 302
    mark_url = reverse("actions:milestone_mark", args=[milestone.pk])
    assert browser.post(mark_url, {"done": "yes", "done_on": TODAY.isoformat(), "version": 2}).status_code == 302
    assert browser.post(mark_url, {"done": "no", "version": 3}).status_code == 302

    milestone.refresh_from_db()
    assert (milestone.title, milestone.responsible_city, milestone.done, milestone.done_on) == (
        "Survey published", cities["tallinn"], False, None)
    assert milestone.history.count() == 4
    assert [row.history_change_reason for row in milestone.history.order_by("history_date", "history_id")] == [
        "Milestone added", "Milestone edited", "Milestone done", "Milestone not done"]


def test_a_stale_form_gets_a_conflict_and_overwrites_nothing(point, alice, secretariat, cities, client_for):
    milestone = add(point, alice)
    milestones.milestone_edit(milestone=milestone, version=1, title="Renamed by the Secretariat",
                              due_date=TODAY, responsible_city=cities["riga"], user=secretariat)

    response = client_for(alice).post(reverse("actions:milestone_edit", args=[milestone.pk]),
                                      form_data(milestone, title="My title", version=1,
                                                responsible_city=cities["riga"].pk))

    page = response.content.decode()
    assert response.status_code == 409
    assert "This milestone changed since you opened it" in page and "Renamed by the Secretariat" in page
    assert 'value="My title"' in page and 'name="version" value="2"' in page
    milestone.refresh_from_db()
    assert milestone.title == "Renamed by the Secretariat" and milestone.history.count() == 2


def test_removing_asks_first_and_keeps_the_history(point, alice, client_for):
    milestone = add(point, alice)
    url = reverse("actions:milestone_remove", args=[milestone.pk])
    browser = client_for(alice)

    assert "Remove the milestone" in browser.get(url).content.decode()
    assert browser.post(url, {"version": 1}).status_code == 302

    assert not Milestone.objects.exists()
    assert Milestone.history.filter(id=milestone.pk).count() == 2


# What the pages show -------------------------------------------------------------------------------


def test_the_points_history_page_lists_its_milestones_changes_by_whom_removed_ones_included(
        point, alice, secretariat, cities, client_for):
    kept = add(point, alice, title="Survey of start-up support")
    milestones.milestone_edit(milestone=kept, version=1, title="Survey published", due_date=TODAY,
                              responsible_city=cities["tallinn"], user=secretariat)
    gone = add(point, alice, title="Kick-off meeting")
    milestones.milestone_remove(milestone=gone, version=1, user=alice)
    url = reverse("actions:action_point_history", args=[point.pk])

    browser = client_for(alice)
    page = browser.get(url).content.decode()
    few, _sql = count_queries(lambda: browser.get(url))

    entries = [entry.split("</li>")[0] for entry in page.split('<li>')[1:]]
    kick_off = [entry for entry in entries if "Milestone “Kick-off meeting” · " in entry]
    survey = [entry for entry in entries if "Milestone “Survey" in entry]
    # Newest first: the removal, the second milestone added, the edit, the first added.
    assert [" deleted" in kick_off[0], " created" in kick_off[1]] == [True, True]
    assert "Milestone “Survey published” · " in survey[0] and " changed" in survey[0]
    assert "Milestone “Survey of start-up support” · " in survey[1] and " created" in survey[1]
    assert entries.index(kick_off[1]) < entries.index(survey[0])
    # The edit lists its fields as a person reads them, and who made it.
    assert str(secretariat) in survey[0]
    assert "Survey of start-up support" in survey[0] and cities["tallinn"].name in survey[0]
    # Each milestone is compared with its own previous record, never with another milestone's.
    assert "<tr>" not in kick_off[1]

    for n in range(3):
        milestones.milestone_edit(milestone=add(point, alice, title=f"Step {n}"), version=1, title=f"Step {n}b",
                                  due_date=TODAY, responsible_city=cities["tallinn"], user=alice)
    many, sql = count_queries(lambda: browser.get(url))
    assert many == few, sql



def test_the_point_page_counts_milestones_done_of_all_with_proper_plurals(point, alice, cities, client_for):
    browser = client_for(alice)
    assert "No milestones yet." in browser.get(point.get_absolute_url()).content.decode()

    first = add(point, alice, title="Kick-off")
    assert "0 of 1 milestone done" in browser.get(point.get_absolute_url()).content.decode()

    milestones.milestone_mark(milestone=first, version=1, done=True, done_on=TODAY, user=alice)
    for index in range(4):
        add(point, alice, title=f"Step {index}", city=cities["tallinn"])
    second = Milestone.objects.get(title="Step 0")
    milestones.milestone_mark(milestone=second, version=1, done=True, done_on=TODAY, user=alice)
    third = Milestone.objects.get(title="Step 1")
    milestones.milestone_mark(milestone=third, version=1, done=True, done_on=TODAY, user=alice)
    page = browser.get(point.get_absolute_url()).content.decode()

    assert "3 of 5 milestones done" in page and "%" not in page.split('id="milestones"')[1].split("</section>")[0]


def test_an_overdue_milestone_is_badged_and_a_done_one_shows_its_date(point, alice, mayor, client_for):
    add(point, alice, title="Late step", due=TODAY - timedelta(days=3))
    future = add(point, alice, title="Next step", due=TODAY + timedelta(days=3))
    done = add(point, alice, title="Past and done", due=TODAY - timedelta(days=10))
    milestones.milestone_mark(milestone=done, version=1, done=True, done_on=date(2026, 1, 15), user=alice)
    del future

    page = client_for(mayor).get(point.get_absolute_url()).content.decode()
    section = page.split('id="milestones"')[1].split("</section>")[0]

    assert section.count(">Overdue<") == 1
    late = section.split("Late step")[1].split("</li>")[0]
    assert ">Overdue<" in late
    assert ">Overdue<" not in section.split("Past and done")[1].split("</li>")[0]
    assert "Done on" in section.split("Past and done")[1].split("</li>")[0]
    assert "Mark done" not in section  # the Mayor looks, does not mark


def test_overdue_is_read_in_the_viewers_time_zone(point, alice, cities, client_for):
    """Due today (server date): a viewer far enough east is already in tomorrow, where it is overdue."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    add(point, alice, title="Due today", due=TODAY, city=cities["tallinn"])
    now = timezone.now()
    east, west = "Pacific/Kiritimati", "Pacific/Pago_Pago"  # UTC+14 and UTC-11
    east_day = datetime.fromtimestamp(now.timestamp(), ZoneInfo(east)).date()
    alice.time_zone = east
    alice.save()
    page = client_for(alice).get(point.get_absolute_url()).content.decode()
    assert (">Overdue<" in page) == (east_day > TODAY)
    alice.time_zone = west
    alice.save()
    west_day = datetime.fromtimestamp(now.timestamp(), ZoneInfo(west)).date()
    page = client_for(alice).get(point.get_absolute_url()).content.decode()
    assert (">Overdue<" in page) == (west_day > TODAY)
    assert east_day != west_day  # 25 hours apart: at least one of the two differs from the server's day


def test_the_point_page_offers_the_right_actions(point, alice, bob, cities, client_for):
    own = add(point, alice, title="Riga's step")
    tallinns = add(point, alice, title="Tallinn's step", city=cities["tallinn"])

    coordinator = client_for(alice).get(point.get_absolute_url()).content.decode()
    partner = client_for(bob).get(point.get_absolute_url()).content.decode()

    assert add_url(point) in coordinator and add_url(point) not in partner
    assert reverse("actions:milestone_edit", args=[own.pk]) in coordinator
    assert reverse("actions:milestone_mark", args=[tallinns.pk]) in partner
    assert reverse("actions:milestone_mark", args=[own.pk]) not in partner
    assert reverse("actions:milestone_edit", args=[tallinns.pk]) not in partner


def test_the_plan_page_says_x_of_y_milestones_done_in_a_bounded_number_of_queries(point, assigned, alice,
                                                                                  secretariat, client_for):
    plan_url = point.focus_area.plan.get_absolute_url()
    browser = client_for(alice)
    add(point, alice, title="One")
    small = count_queries(lambda: browser.get(plan_url))
    done = add(point, alice, title="Two")
    milestones.milestone_mark(milestone=done, version=1, done=True, done_on=TODAY, user=alice)
    add(assigned["2.1"], secretariat, title="Tallinn's", city=assigned["2.1"].coordinating_city)
    large = count_queries(lambda: browser.get(plan_url))

    page = browser.get(plan_url).content.decode()
    assert "1 of 2 milestones done" in page and "0 of 1 milestone done" in page
    assert_constant_queries(small, large)


# The API ---------------------------------------------------------------------------------------------


def test_the_api_lists_a_points_milestones_read_only(point, alice, bob, cities):
    from api.tests.conftest import ApiClient, secret_for

    done = add(point, alice, title="Kick-off", due=TODAY - timedelta(days=5), city=cities["tallinn"])
    milestones.milestone_mark(milestone=done, version=1, done=True, done_on=TODAY - timedelta(days=4), user=bob)
    add(point, alice, title="Survey")
    api = ApiClient(secret_for(bob))
    url = f"/api/v1/action-points/{point.pk}/"

    body = api.get(url).json()

    assert [(m["title"], m["done"], m["responsible_city"]["slug"]) for m in body["milestones"]] == [
        ("Kick-off", True, "tallinn"), ("Survey", False, "riga")]
    assert body["milestones"][0]["done_on"] == (TODAY - timedelta(days=4)).isoformat()
    assert api.patch(url, {"milestones": []}).status_code == 405
