from datetime import date

import factory

from actions.tests.factories import ActionPlanFactory, ActionPointFactory
from cities.tests.factories import CityFactory
from reports.models import ProgressReport, ReportingPeriod


class ReportingPeriodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReportingPeriod

    plan = factory.SubFactory(ActionPlanFactory)
    label = factory.Sequence(lambda n: f"{2011 + n // 2} H{n % 2 + 1}")
    start = factory.Sequence(lambda n: date(2011 + n // 2, 1 if n % 2 == 0 else 7, 1))
    end = factory.Sequence(lambda n: date(2011 + n // 2, 6, 30) if n % 2 == 0 else date(2011 + n // 2, 12, 31))
    due_date = factory.LazyAttribute(lambda period: period.end.replace(day=28))


class ProgressReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgressReport

    action_point = factory.SubFactory(ActionPointFactory)
    city = factory.SubFactory(CityFactory)
    period = factory.SubFactory(ReportingPeriodFactory, plan=factory.SelfAttribute("..action_point.focus_area.plan"))
    summary = "Work is progressing."
