
from reports.models import ProgressReport


def test_every_change_to_a_report_is_in_its_history(assigned, periods, cities, alice):
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"])
    report.summary = "Indicators drafted."
    report._history_user = alice
    report.save()

    history = list(report.history.order_by("history_date"))
    assert [h.history_type for h in history] == ["+", "~"]
    delta = history[1].diff_against(history[0])
    assert [(c.field, c.old, c.new) for c in delta.changes] == [("summary", "", "Indicators drafted.")]
    assert history[1].history_user == alice


def test_partner_cities_changes_are_in_history(assigned, cities):
    point = assigned["1.3"]
    point.partner_cities.add(cities["vilnius"])

    latest = point.history.first()
    assert {row.city_id for row in latest.partner_cities.all()} == {cities["tallinn"].id, cities["vilnius"].id}

