from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from actions.models import ActionPlan, ActionPoint
from cities.models import City, Membership, Role
from reports import workflow
from reports.models import ProgressReport, WorkflowState


def load_demo():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_it_loads_a_usable_network(db, settings, client):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-pass-123"

    output = load_demo()

    assert City.objects.filter(left__isnull=True).count() == 10
    old = ActionPlan.objects.get(predecessor__isnull=True)
    assert old.status == ActionPlan.Status.CLOSED and old.periods.count() == 4  # the 2011–2012 plan, as history
    assert not ActionPoint.objects.filter(coordinating_city__isnull=True).exists()
    assert ActionPoint.objects.filter(demo_assignment=True).count() == 28  # the old plan's 14 and their continuations
    assert set(ProgressReport.objects.values_list("state", flat=True)) == set(WorkflowState.values) - workflow.TWO_STEP_ONLY
    for role in Role.values:
        assert Membership.objects.filter(role=role).exists(), role
    assert "riga.delegate" in output and "demo-pass-123" in output
    response = client.post("/accounts/login/", {"username": "riga.delegate", "password": "demo-pass-123"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_the_demo_is_a_network_in_the_middle_of_its_work(db, settings, client):
    from datetime import timedelta

    from django.utils import timezone

    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-pass-123"
    load_demo()

    current = ActionPlan.objects.current()
    today = timezone.localdate()
    assert current.status == ActionPlan.Status.ADOPTED and current.predecessor.first_year == 2011
    [period] = current.periods.all()
    assert period.start <= today <= period.end and not period.is_closed
    assert period.due_date == today + timedelta(days=21)
    assert all(p.continues is not None for p in ActionPoint.objects.filter(focus_area__plan=current))
    client.post("/accounts/login/", {"username": "riga.delegate", "password": "demo-pass-123"})
    page = client.get("/", follow=True).content.decode()
    assert "Riga: your action points" in page and current.title in page
    reports_part = page.split('<section class="overdue-milestones"')[0]
    assert "overdue" not in reports_part.lower() and "Write report" in page and "Continue" in page
    # Some milestones are done, one is overdue (the dashboard and reminders show it).
    from actions.models import Milestone

    milestones = Milestone.objects.filter(action_point__focus_area__plan=current)
    assert milestones.count() == 5 and milestones.filter(done=True).count() == 2
    assert [m.title for m in milestones.overdue(today)] == ["Indicator owners named in every city"]


def test_it_is_idempotent(db, settings):
    settings.DEBUG = True
    load_demo()
    from actions.models import Milestone

    counts = [m.objects.count() for m in (City, ActionPoint, ProgressReport, Membership, Milestone)]
    history = ProgressReport.history.count() + ActionPoint.history.count()

    load_demo()

    assert [m.objects.count() for m in (City, ActionPoint, ProgressReport, Membership, Milestone)] == counts
    assert ProgressReport.history.count() + ActionPoint.history.count() == history


def test_it_refuses_with_debug_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only loaded with DEBUG on"):
        load_demo()
    assert not City.objects.exists()


def test_the_demo_secretariat_signs_in_with_the_printed_key(db, settings, client):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo-pass-123"
    output = load_demo()
    assert "BALTMETDEMOSECRETARIATTOTPKEYAAA" in output
    answer = client.post("/accounts/login/", {"username": "secretariat", "password": "demo-pass-123"})
    assert answer["Location"] == "/accounts/two-factor/code/"
    code = StringIO()
    call_command("demo_code", stdout=code)
    answer = client.post("/accounts/two-factor/code/", {"code": code.getvalue().strip()})
    assert answer.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_demo_code_command_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("demo_code")
