"""Demo data for trying the portal: cities, the 2011–2012 plan, periods, people and some reports.

Idempotent: everything is looked up before it is created, so `load_demo` can run on every `make run`.
"""

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from actions import milestones
from actions import services as action_services
from actions.models import ActionPlan, ActionPoint, DeliveryStatus
from actions.plan_text import decode_plan, parse_plan
from cities.models import ChairTerm, Role
from cities.services import member_cities_ensure, membership_grant
from demo.initiatives import demo_load as initiatives_demo_load
from reports.models import ProgressReport, ReportingPeriod, WorkflowState

PLAN_FILE = Path(__file__).resolve().parent.parent / "actions" / "data" / "baltmet-action-plan-2011-2012.txt"
DEMO_REASON = "Demo data"

# A plausible assignment, not a decision of the network: marked on each point as a demo assignment.
ASSIGNMENTS = {
    "1.1": ("helsinki", ["riga", "stockholm", "tallinn"]),
    "1.2": ("st-petersburg", ["helsinki", "berlin"]),
    "1.3": ("riga", ["tallinn", "vilnius", "warsaw"]),
    "1.4": ("berlin", ["riga", "oslo"]),
    "1.5": ("stockholm", ["malmo", "helsinki"]),
    "2.1": ("tallinn", ["riga", "vilnius"]),
    "2.2": ("stockholm", ["oslo", "berlin"]),
    "2.3": ("warsaw", ["vilnius"]),
    "2.4": ("vilnius", ["riga", "tallinn", "warsaw"]),
    "3.1": ("berlin", ["warsaw", "riga", "tallinn", "helsinki"]),
    "3.2": ("st-petersburg", ["malmo"]),
    "4.1": ("helsinki", ["st-petersburg", "tallinn", "riga"]),
    "4.2": ("malmo", ["oslo", "stockholm"]),
    "4.3": ("oslo", ["malmo", "berlin"]),
}

PEOPLE = [
    # username, first name, last name, role, city slug
    ("secretariat", "Sara", "Lind", Role.SECRETARIAT, None),
    ("chair", "Kaarel", "Tamm", Role.CHAIR, None),
    ("riga.delegate", "Ilze", "Bērziņa", Role.DELEGATE, "riga"),
    ("riga.mayor", "Nils", "Ušakovs", Role.MAYOR, "riga"),
    ("tallinn.delegate", "Mari", "Kask", Role.DELEGATE, "tallinn"),
    ("tallinn.mayor", "Edgar", "Savisaar", Role.MAYOR, "tallinn"),
    ("helsinki.delegate", "Aino", "Virtanen", Role.DELEGATE, "helsinki"),
    ("helsinki.mayor", "Jussi", "Pajunen", Role.MAYOR, "helsinki"),
    ("berlin.delegate", "Jonas", "Weber", Role.DELEGATE, "berlin"),
    ("stockholm.delegate", "Elin", "Berg", Role.DELEGATE, "stockholm"),
    ("warsaw.observer", "Piotr", "Nowak", Role.OBSERVER, "warsaw"),
]

PERIODS = [
    ("2011 H1", date(2011, 1, 1), date(2011, 6, 30), date(2011, 7, 31)),
    ("2011 H2", date(2011, 7, 1), date(2011, 12, 31), date(2012, 1, 31)),
    ("2012 H1", date(2012, 1, 1), date(2012, 6, 30), date(2012, 7, 31)),
    ("2012 H2", date(2012, 7, 1), date(2012, 12, 31), date(2013, 1, 31)),
]

REPORTS = [
    # point, city, period, delivery status, workflow state, summary
    ("1.1", "helsinki", "2011 H1", DeliveryStatus.ON_TRACK, WorkflowState.APPROVED,
     "Kick-off of the incubator exchange with partners from Riga, Stockholm and Tallinn."),
    ("1.1", "riga", "2011 H1", DeliveryStatus.ON_TRACK, WorkflowState.APPROVED,
     "Riga Technical University incubator joined the exchange; two study visits held."),
    ("1.3", "riga", "2011 H1", DeliveryStatus.AT_RISK, WorkflowState.APPROVED,
     "Draft set of entrepreneurial innovativeness indicators circulated; data owners still missing in two cities."),
    ("1.3", "riga", "2011 H2", DeliveryStatus.ON_TRACK, WorkflowState.SUBMITTED,
     "Indicator definitions agreed at the delegates' meeting; first data collection under way."),
    ("2.1", "tallinn", "2011 H2", DeliveryStatus.DELAYED, WorkflowState.RETURNED,
     "Joint stand at the regional forum postponed."),
    ("3.1", "berlin", "2011 H2", DeliveryStatus.ON_TRACK, WorkflowState.DRAFT,
     "Rail Baltica lobbying paper in preparation with Warsaw."),
    ("4.1", "helsinki", "2011 H1", DeliveryStatus.COMPLETED, WorkflowState.APPROVED,
     "Baltic Sea Challenge action plans signed by four more cities."),
]


class DemoRefused(Exception):
    pass


def _aware(day: date) -> datetime:
    return datetime.combine(day, time(10, 0), tzinfo=ZoneInfo(settings.TIME_ZONE))


# The demo Secretariat's authenticator key, known to anybody trying the demo (README): the Secretariat
# must sign in with a second factor, and a demo has nobody's phone. Demo data never loads without DEBUG.
DEMO_TOTP_KEY = "BALTMETDEMOSECRETARIATTOTPKEYAAA"


def _demo_authenticator(user) -> None:
    from base64 import b32decode

    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        device = TOTPDevice(user=user, name="Demo authenticator", confirmed=True, key=b32decode(DEMO_TOTP_KEY).hex())
        device._change_reason = DEMO_REASON
        device.save()


@transaction.atomic
def demo_load(*, password: str) -> dict:
    if not settings.DEBUG:
        raise DemoRefused("Demo data is only loaded with DEBUG on; this looks like a production instance.")

    cities = member_cities_ensure()
    parsed = parse_plan(decode_plan(PLAN_FILE.read_bytes()))
    plan = action_services.plan_import(parsed=parsed).plan
    if plan.status == ActionPlan.Status.DRAFT:
        plan.status = ActionPlan.Status.ADOPTED
        plan._change_reason = DEMO_REASON
        plan.save(update_fields=["status"])

    points = {
        point.number: point
        for point in ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area", "coordinating_city")
    }
    for number, (coordinator, partners) in ASSIGNMENTS.items():
        point = points[number]
        if point.coordinating_city_id is None:
            point.coordinating_city = cities[coordinator]
            point.demo_assignment = True
            point._change_reason = DEMO_REASON
            point.save(update_fields=["coordinating_city", "demo_assignment"])
            point.partner_cities.set([cities[slug] for slug in partners])

    periods = {}
    for label, start, end, due in PERIODS:
        periods[label], _ = ReportingPeriod.objects.get_or_create(
            plan=plan, label=label, defaults={"start": start, "end": end, "due_date": due}
        )
    ChairTerm.objects.get_or_create(city=cities["tallinn"], start=date(2011, 1, 1), defaults={"end": date(2012, 12, 31)})

    User = get_user_model()
    users = {}
    for username, first, last, role, city_slug in PEOPLE:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=first, last_name=last, email=f"{username}@demo.baltmet.org")
            user.set_password(password)
            user._change_reason = DEMO_REASON
            user.save()
        membership_grant(user=user, role=role, city=cities[city_slug] if city_slug else None)
        users[username] = user

    secretariat = users["secretariat"]
    _demo_authenticator(secretariat)
    for number, city_slug, label, status, state, summary in REPORTS:
        city, period = cities[city_slug], periods[label]
        delegate = users.get(f"{city_slug}.delegate")
        if ProgressReport.objects.filter(action_point=points[number], city=city, period=period).exists():
            continue
        report = ProgressReport(
            action_point=points[number], city=city, period=period, delivery_status=status, summary=summary,
            next_steps="Report back at the next delegates' meeting.", state=state,
        )
        if state != WorkflowState.DRAFT:
            report.submitted_by, report.submitted_at = delegate, _aware(period.due_date)
        if state in (WorkflowState.APPROVED, WorkflowState.RETURNED):
            report.reviewed_by, report.reviewed_at = secretariat, _aware(period.due_date)
        if state == WorkflowState.RETURNED:
            report.review_comment = "Please say when the postponed stand is now planned."
        report._change_reason = DEMO_REASON
        report.save()
    initiatives_demo_load(plan=plan, users=users)
    current = _current_plan(plan, cities=cities, users=users)
    return {"plan": current, "users": [username for username, *_ in PEOPLE]}


# The network in the middle of its work, whatever today is: a current plan continuing the 2011–2012
# plan's points (which stays as history), with an open period whose reports are due in three weeks.
CURRENT_REPORTS = [
    # continued point, city, delivery status, workflow state, summary
    ("1.1", "helsinki", DeliveryStatus.ON_TRACK, WorkflowState.SUBMITTED,
     "Open data catalogues of four cities linked; the shared licence is agreed."),
    ("1.3", "riga", DeliveryStatus.AT_RISK, WorkflowState.DRAFT,
     "Indicator owners named in Riga and Tallinn; Vilnius has not answered yet."),
]


def _current_plan(old: ActionPlan, *, cities, users) -> ActionPlan:
    successor = ActionPlan.objects.filter(predecessor=old).first()
    if successor is not None:  # loaded before: leave the current plan as people left it
        return successor
    today = timezone.localdate()
    secretariat = users["secretariat"]
    draft = action_services.plan_start_successor(
        plan=old, title=f"Action Plan {today.year}–{today.year + 1}", first_year=today.year,
        last_year=today.year + 1, user=secretariat)
    current = action_services.plan_adopt(plan=draft, user=secretariat)
    end = today + timedelta(days=7)
    period = ReportingPeriod.objects.create(
        plan=current, label=f"Round to {end.day} {end:%b %Y}", start=today - timedelta(days=150), end=end,
        due_date=today + timedelta(days=21))
    points = {p.continues.number: p for p in ActionPoint.objects.filter(focus_area__plan=current)
              .select_related("continues__focus_area")}
    for number, city_slug, status, state, summary in CURRENT_REPORTS:
        delegate = users[f"{city_slug}.delegate"]
        report = ProgressReport(action_point=points[number], city=cities[city_slug], period=period,
                                delivery_status=status, summary=summary, state=state,
                                next_steps="Report back at the next delegates' meeting.")
        if state != WorkflowState.DRAFT:
            report.submitted_by, report.submitted_at = delegate, timezone.now() - timedelta(days=2)
        report._history_user = delegate
        report._change_reason = DEMO_REASON
        report.save()
    _milestones(points, today=today, users=users)
    return current


MILESTONES = [
    # point, title, days from today to the due date, days from today it was done on (None: not done), partner's
    ("1.1", "Shared open data licence agreed", -60, -55, False),
    ("1.1", "Catalogues of all member cities linked", 45, None, True),
    ("1.3", "Indicator list drafted", -90, -92, False),
    ("1.3", "Indicator owners named in every city", -10, None, True),  # overdue: in reminders and on the dashboard
    ("1.3", "First indicator values collected", 60, None, False),
]


def _milestones(points, *, today, users) -> None:
    """A few milestones on the current plan's points: some done, one overdue."""
    secretariat = users["secretariat"]
    for number, title, due_in, done_in, partners in MILESTONES:
        point = points[number]
        partner = point.partner_cities.order_by("name").first()
        city = partner if partners and partner is not None else point.coordinating_city
        if city is None:
            continue
        milestone = milestones.milestone_add(point=point, title=title, due_date=today + timedelta(days=due_in),
                                             responsible_city=city, user=secretariat)
        if done_in is not None:
            marker = users.get(f"{city.slug}.delegate", secretariat)
            milestones.milestone_mark(milestone=milestone, version=milestone.version, done=True,
                                      done_on=today + timedelta(days=done_in), user=marker)
