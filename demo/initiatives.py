"""Demo initiatives and indicators, loaded by demo.network.demo_load. Idempotent: an initiative or
indicator that exists by name is left alone. Initiatives go through the services, so their consent
requests, decisions and emails are what real use would produce."""

from datetime import date
from decimal import Decimal

from actions.models import ActionPoint
from cities.models import City
from indicators.models import CityTarget, Indicator, IndicatorValue, NetworkTarget
from initiatives.models import Initiative
from initiatives.services import CostLine, initiative_answer, initiative_propose

DEMO_SOURCE = "Demo data (invented figures)"

INDICATORS = [
    # name, unit, higher is better, action point, {city: (2009, 2010, 2011)}
    ("Patent applications", "per 100 000 inhabitants", True, "1.3", {
        "helsinki": (41, 44, 46), "stockholm": (52, 50, 55), "berlin": (38, 40, 43), "oslo": (30, 33, 31),
        "riga": (6, 8, 9), "tallinn": (11, 14, 18), "vilnius": (5, 6, 8), "warsaw": (12, 13, 15),
    }),
    ("CO2 emissions", "t per inhabitant", False, "4.1", {
        "helsinki": (6.1, 5.9, 5.6), "stockholm": (3.2, 3.1, 2.9), "berlin": (5.8, 5.7, 5.5),
        "riga": (4.4, 4.3, 4.4), "tallinn": (7.9, 7.6, 7.2), "oslo": (3.0, 2.9, 2.8),
    }),
]


def _cost(cities, slug, amount):
    return CostLine(city=cities[slug], amount=Decimal(amount))


def demo_load(*, plan, users: dict) -> None:
    cities = {city.slug: city for city in City.objects.all()}
    points = {p.number: p for p in ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area")}

    if not Initiative.objects.filter(plan=plan, title="Joint stand at the Baltic innovation fair").exists():
        fair = initiative_propose(
            user=users["riga.delegate"], plan=plan, action_point=points.get("1.3"),
            title="Joint stand at the Baltic innovation fair",
            description="One BaltMet stand showing the member cities' innovation programmes.",
            start=date(2011, 9, 12), end=date(2011, 9, 14),
            costs=[_cost(cities, "riga", "4000"), _cost(cities, "tallinn", "2500"), _cost(cities, "helsinki", "2500")],
        )
        initiative_answer(initiative=fair, city=cities["tallinn"], user=users["tallinn.delegate"], approve=True,
                          comment="Agreed within our 2011 budget.", version=fair.version)

    if not Initiative.objects.filter(plan=plan, title="Study visit on cluster policy").exists():
        visit = initiative_propose(
            user=users["tallinn.delegate"], plan=plan, action_point=points.get("2.1"),
            title="Study visit on cluster policy", description="Two days in Tallinn for the cities' cluster managers.",
            start=date(2011, 5, 4), end=date(2011, 5, 5),
            costs=[_cost(cities, "tallinn", "3000"), _cost(cities, "riga", "800")],
        )
        initiative_answer(initiative=visit, city=cities["riga"], user=users["riga.delegate"], approve=True,
                          version=visit.version)

    if not Initiative.objects.filter(plan=plan, title="BaltMet summer school for city planners").exists():
        initiative_propose(
            user=users["helsinki.delegate"], plan=plan, action_point=None,
            title="BaltMet summer school for city planners",
            description="A new network-wide initiative: every member city is asked to agree.",
            start=date(2012, 6, 18), end=date(2012, 6, 22),
            costs=[_cost(cities, "helsinki", "12000"), _cost(cities, "stockholm", "3000")],
        )

    for name, unit, higher, number, rows in INDICATORS:
        if Indicator.objects.filter(name=name).exists():
            continue
        indicator = Indicator(name=name, unit=unit, higher_is_better=higher, first_year=2009, last_year=2011,
                              description="Demo indicator with invented figures.")
        indicator._change_reason = DEMO_SOURCE
        indicator.save()
        if number in points:
            indicator.action_points.set([points[number]])
        for slug, values in rows.items():
            for year, value in zip((2009, 2010, 2011), values):
                row = IndicatorValue(indicator=indicator, city=cities[slug], year=year,
                                     value=Decimal(str(value)), source=DEMO_SOURCE)
                row._change_reason = DEMO_SOURCE
                row.save()
        _demo_targets(indicator, cities, rows)


def _demo_targets(indicator, cities, rows):
    """Each city's 2009 value as its baseline; patents: a quarter more by 2012 for each city; CO2: one
    network-wide target of 4 t per inhabitant by 2015 (Stockholm aims at 2.5 by 2015 of its own)."""
    for slug, values in rows.items():
        baseline = Decimal(str(values[0]))
        own = (2012, (baseline * Decimal("1.25")).quantize(Decimal("0.1"))) if indicator.higher_is_better else (
            (2015, Decimal("2.5")) if slug == "stockholm" else (None, None))
        row = CityTarget(indicator=indicator, city=cities[slug], baseline_year=2009, baseline_value=baseline,
                         target_year=own[0], target_value=own[1])
        row._change_reason = DEMO_SOURCE
        row.save()
    if not indicator.higher_is_better:
        row = NetworkTarget(indicator=indicator, target_year=2015, target_value=Decimal(4))
        row._change_reason = DEMO_SOURCE
        row.save()
