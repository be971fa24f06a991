from demo.network import demo_load
from indicators import selectors
from indicators.models import CityTarget, Indicator, IndicatorValue, NetworkTarget
from initiatives.models import ConsentRequest, Initiative, InitiativeState


def test_the_demo_has_initiatives_in_each_state_of_consent_and_indicators(db, settings):
    settings.DEBUG = True
    demo_load(password="demo-pass-123")

    states = dict(Initiative.objects.values_list("title", "state"))
    assert states["Study visit on cluster policy"] == InitiativeState.APPROVED
    assert states["Joint stand at the Baltic innovation fair"] == InitiativeState.PROPOSED
    summer = Initiative.objects.get(title="BaltMet summer school for city planners")
    assert summer.is_network_wide and summer.consents.count() == 10
    assert Indicator.objects.count() == 2 and IndicatorValue.objects.count() == 42

    counts = (Initiative.objects.count(), ConsentRequest.objects.count(), IndicatorValue.objects.count())
    demo_load(password="demo-pass-123")
    assert (Initiative.objects.count(), ConsentRequest.objects.count(), IndicatorValue.objects.count()) == counts


def test_the_demo_indicators_have_baselines_and_targets_with_cities_on_and_off_course(db, settings):
    settings.DEBUG = True
    demo_load(password="demo-pass-123")

    assert CityTarget.objects.count() == 14 and NetworkTarget.objects.count() == 1
    ways = {way.city.slug: way for way in selectors.benchmark(indicator=Indicator.objects.get(name="CO2 emissions")).ways}
    assert ways["riga"].network_wide and ways["riga"].course.status == "off_course"  # 4.4 in 2011, line ≈ 4.27
    assert not ways["stockholm"].network_wide and ways["stockholm"].course.status == "on_course"
    demo_load(password="demo-pass-123")
    assert CityTarget.objects.count() == 14
