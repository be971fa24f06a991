"""The "Overdue milestones" panel: on the Secretariat's dashboard for the whole plan, and in a delegate's
workspace for their own city (its milestones, and those of the points it coordinates)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from actions import milestones
from testing.queries import assert_constant_queries, count_queries

TODAY = timezone.localdate()


def _add(point, title, city, days_late, user):
    return milestones.milestone_add(point=point, title=title, due_date=TODAY - timedelta(days=days_late),
                                    responsible_city=city, user=user)


def _panel(page):
    return page.split('id="overdue-milestones-title"')[1].split("</section>")[0]


def test_the_dashboard_lists_the_plans_overdue_milestones(assigned, cities, secretariat, chair, client_for):
    _add(assigned["1.3"], "Riga's survey", cities["riga"], 3, secretariat)
    _add(assigned["2.1"], "Tallinn's workshop", cities["tallinn"], 1, secretariat)
    _add(assigned["2.1"], "Next month", cities["tallinn"], -30, secretariat)
    done = _add(assigned["2.1"], "Finished", cities["tallinn"], 9, secretariat)
    milestones.milestone_mark(milestone=done, version=1, done=True, done_on=TODAY, user=secretariat)

    for person in (secretariat, chair):
        panel = _panel(client_for(person).get(reverse("dashboard:home")).content.decode())
        assert "Riga&#x27;s survey" in panel and "Tallinn&#x27;s workshop" in panel
        assert "3 days late" in panel and "1 day late" in panel
        assert "Next month" not in panel and "Finished" not in panel
        assert panel.index("survey") < panel.index("workshop")  # the oldest first


def test_the_dashboards_city_filter_narrows_the_panel(assigned, cities, secretariat, client_for):
    _add(assigned["1.3"], "Riga's survey", cities["riga"], 3, secretariat)
    _add(assigned["2.1"], "Tallinn's workshop", cities["tallinn"], 1, secretariat)

    page = client_for(secretariat).get(reverse("dashboard:home"), {"city": cities["tallinn"].pk}).content.decode()

    panel = _panel(page)
    assert "workshop" in panel and "survey" not in panel


def test_the_panel_says_so_when_nothing_is_overdue(plan, secretariat, client_for):
    panel = _panel(client_for(secretariat).get(reverse("dashboard:home")).content.decode())
    assert "No milestone is overdue." in panel


def test_the_dashboard_panel_runs_the_same_queries_for_few_and_many(assigned, cities, secretariat, client_for):
    browser = client_for(secretariat)
    url = reverse("dashboard:home")
    _add(assigned["1.3"], "First", cities["riga"], 3, secretariat)
    small = count_queries(lambda: browser.get(url))
    for index, number in enumerate(["1.3", "2.1"] * 5):
        _add(assigned[number], f"More {index}", assigned[number].coordinating_city, index + 1, secretariat)
    large = count_queries(lambda: browser.get(url))
    assert_constant_queries(small, large, at_most=100)  # the dashboard's own budget is the matrix's business
    assert _panel(browser.get(url).content.decode()).count("<li>") == 11


def test_a_delegates_workspace_lists_its_citys_overdue_milestones_only(assigned, cities, alice, bob, secretariat,
                                                                       client_for):
    riga_only = assigned["1.1"]
    riga_only.coordinating_city = cities["riga"]
    riga_only.save()
    _add(assigned["1.3"], "Tallinn's step on Riga's point", cities["tallinn"], 2, secretariat)
    _add(assigned["2.1"], "Tallinn's own", cities["tallinn"], 2, secretariat)
    _add(assigned["2.1"], "Riga's step on Tallinn's point", cities["riga"], 2, secretariat)
    _add(riga_only, "Riga alone", cities["riga"], 2, secretariat)

    riga = _panel(client_for(alice).get(reverse("reports:workspace", args=["riga"])).content.decode())
    tallinn = _panel(client_for(bob).get(reverse("reports:workspace", args=["tallinn"])).content.decode())

    # Riga: its own milestones, and a partner's on the point it coordinates.
    assert "step on Riga" in riga and "step on Tallinn" in riga and "Riga alone" in riga
    assert "Tallinn&#x27;s own" not in riga
    # Tallinn: its own, and Riga's on the point Tallinn coordinates; not Riga's on a point without Tallinn.
    assert "step on Riga" in tallinn and "Tallinn&#x27;s own" in tallinn and "step on Tallinn" in tallinn
    assert "Riga alone" not in tallinn


def test_a_workspace_without_overdue_milestones_has_no_panel(assigned, alice, mayor, cities, secretariat,
                                                             client_for):
    assert 'id="overdue-milestones-title"' not in client_for(alice).get(
        reverse("reports:workspace", args=["riga"])).content.decode()
    _add(assigned["1.3"], "Riga's survey", cities["riga"], 3, secretariat)
    # The Mayor's landing is the city's standing, not the delegate's to-do list.
    assert "Riga&#x27;s survey" not in client_for(mayor).get(
        reverse("reports:workspace", args=["riga"])).content.decode()
