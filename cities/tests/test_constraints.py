"""The data rules hold in the database itself, not only in forms."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from actions.models import ActionPlan, ActionPoint, FocusArea
from cities.models import ChairTerm, City, Membership, Role
from cities.tests.factories import UserFactory
from reports.models import ProgressReport, ReportingPeriod, WorkflowState


def refused(callable_, *args, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_(*args, **kwargs)


def test_a_city_cannot_leave_before_it_joined(db):
    refused(City.objects.create, name="X", country="Y", slug="x", joined=date(2010, 1, 1), left=date(2009, 1, 1))


def test_city_roles_need_a_city_and_network_roles_none(cities):
    user = UserFactory()
    refused(Membership.objects.create, user=user, role=Role.DELEGATE, city=None)
    refused(Membership.objects.create, user=user, role=Role.SECRETARIAT, city=cities["riga"])


def test_a_delegate_belongs_to_one_city(cities):
    user = UserFactory()
    Membership.objects.create(user=user, role=Role.DELEGATE, city=cities["riga"])
    refused(Membership.objects.create, user=user, role=Role.DELEGATE, city=cities["tallinn"])
    # ...but may also be an observer elsewhere
    Membership.objects.create(user=user, role=Role.OBSERVER, city=cities["tallinn"])


def test_a_network_role_is_held_once(db):
    user = UserFactory()
    Membership.objects.create(user=user, role=Role.SECRETARIAT)
    refused(Membership.objects.create, user=user, role=Role.SECRETARIAT)


def test_a_chair_term_ends_after_it_starts(cities):
    refused(ChairTerm.objects.create, city=cities["riga"], start=date(2012, 1, 1), end=date(2011, 1, 1))


def test_plan_years_and_numbers(db):
    refused(ActionPlan.objects.create, title="Backwards", first_year=2013, last_year=2011)
    plan = ActionPlan.objects.create(title="P", first_year=2011, last_year=2012)
    area = FocusArea.objects.create(plan=plan, number=1, title="A")
    refused(FocusArea.objects.create, plan=plan, number=1, title="Again")
    refused(FocusArea.objects.create, plan=plan, number=0, title="Zero")
    ActionPoint.objects.create(focus_area=area, sequence=1, text="t")
    refused(ActionPoint.objects.create, focus_area=area, sequence=1, text="again")
    refused(ActionPoint.objects.create, focus_area=area, sequence=0, text="zero")


def test_periods_of_a_plan_do_not_overlap(plan):
    ReportingPeriod.objects.create(plan=plan, label="2011 H1", start=date(2011, 1, 1), end=date(2011, 6, 30), due_date=date(2011, 7, 31))
    refused(ReportingPeriod.objects.create, plan=plan, label="Overlap", start=date(2011, 6, 30), end=date(2011, 9, 30), due_date=date(2011, 10, 31))
    refused(ReportingPeriod.objects.create, plan=plan, label="2011 H1", start=date(2012, 1, 1), end=date(2012, 6, 30), due_date=date(2012, 7, 31))
    refused(ReportingPeriod.objects.create, plan=plan, label="Backwards", start=date(2013, 6, 1), end=date(2013, 1, 1), due_date=date(2013, 7, 1))
    refused(ReportingPeriod.objects.create, plan=plan, label="Early due", start=date(2013, 1, 1), end=date(2013, 6, 30), due_date=date(2012, 12, 1))
    later = ReportingPeriod.objects.create(plan=plan, label="2011 H2", start=date(2011, 7, 1), end=date(2011, 12, 31), due_date=date(2012, 1, 31))
    later.start = date(2011, 6, 1)
    refused(later.save)


def test_one_report_per_point_city_and_period(assigned, periods, cities):
    values = dict(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"])
    ProgressReport.objects.create(**values)
    refused(ProgressReport.objects.create, **values)


def test_report_states_carry_their_facts(assigned, periods, cities):
    base = dict(action_point=assigned["1.3"], period=periods["2011 H1"])
    refused(ProgressReport.objects.create, city=cities["riga"], state=WorkflowState.SUBMITTED, **base)
    refused(ProgressReport.objects.create, city=cities["oslo"], state=WorkflowState.RETURNED,
            submitted_at="2011-07-01T10:00Z", **base)
    refused(ProgressReport.objects.create, city=cities["berlin"], state=WorkflowState.APPROVED,
            submitted_at="2011-07-01T10:00Z", **base)
