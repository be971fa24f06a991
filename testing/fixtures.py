"""The network as the tests know it: the seed plan, its periods, the cities and named people.

alice is Riga's delegate, bob is Tallinn's; Riga coordinates 1.3 with Tallinn as partner.
"""

from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from actions import services as action_services
from actions.models import ActionPoint
from actions.plan_text import decode_plan, parse_plan
from cities.models import Role
from cities.services import member_cities_ensure, membership_grant
from cities.tests.factories import UserFactory
from reports.models import ReportingPeriod

SEED = Path(__file__).resolve().parents[1] / "actions" / "data" / "baltmet-action-plan-2011-2012.txt"


@pytest.fixture
def cities(db):
    return member_cities_ensure()


@pytest.fixture
def plan(db):
    plan = action_services.plan_import(parsed=parse_plan(decode_plan(SEED.read_bytes())), status="adopted").plan
    return plan


@pytest.fixture
def points(plan):
    return {p.number: p for p in ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area")}


@pytest.fixture
def assigned(points, cities):
    """Riga coordinates 1.3 with Tallinn as partner; Tallinn coordinates 2.1 with Riga as partner."""
    points["1.3"].coordinating_city = cities["riga"]
    points["1.3"].save()
    points["1.3"].partner_cities.set([cities["tallinn"]])
    points["2.1"].coordinating_city = cities["tallinn"]
    points["2.1"].save()
    points["2.1"].partner_cities.set([cities["riga"]])
    return points


@pytest.fixture
def periods(plan):
    rows = [
        ("2011 H1", date(2011, 1, 1), date(2011, 6, 30), date(2011, 7, 31)),
        ("2011 H2", date(2011, 7, 1), date(2011, 12, 31), date(2012, 1, 31)),
    ]
    return {
        label: ReportingPeriod.objects.create(plan=plan, label=label, start=start, end=end, due_date=due)
        for label, start, end, due in rows
    }


def _person(username, role, city=None):
    user = UserFactory(username=username, first_name=username.capitalize())
    membership_grant(user=user, role=role, city=city)
    return user


@pytest.fixture
def alice(cities):
    return _person("alice", Role.DELEGATE, cities["riga"])


@pytest.fixture
def bob(cities):
    return _person("bob", Role.DELEGATE, cities["tallinn"])


@pytest.fixture
def mayor(cities):
    return _person("maris", Role.MAYOR, cities["riga"])


@pytest.fixture
def observer(cities):
    return _person("olga", Role.OBSERVER, cities["riga"])


@pytest.fixture
def secretariat(db):
    return _person("sara", Role.SECRETARIAT)


@pytest.fixture
def chair(db):
    return _person("karl", Role.CHAIR)


@pytest.fixture
def client_for():
    """A logged-in test client; for people who must have a second factor (the Secretariat) or have one,
    a session that passed it (testing/twofactor.py). Plain Client().force_login is one that has not."""
    from testing.twofactor import pass_second_factor

    def make(user):
        client = Client()
        if user is not None:
            client.force_login(user)
            pass_second_factor(client, user)
        return client

    return make


@pytest.fixture
def riga_report(assigned, periods, cities):
    """Riga's draft on 1.3 (which Riga coordinates) for 2011 H1."""
    from reports.models import ProgressReport

    return ProgressReport.objects.create(
        action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"], summary="First draft.",
    )


@pytest.fixture
def use_broker():
    """use_broker(url) points the Celery app at another broker for this test (e.g. one that is down)."""
    from baltmet.celery import app

    previous = app.conf.broker_url

    def use(url):
        app.conf.broker_url = url
        # Connections and producers are pooled; drop this app's references so the next publish uses
        # `url`. (Not closed: kombu's global producer pools still hold them for the first URL.)
        app._pool = None
        app.amqp._producer_pool = None

    yield use
    use(previous)
