from demo.network import demo_load
from indicators.models import Indicator, IndicatorValue
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
