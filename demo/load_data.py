"""A large, realistic network for measuring the portal: years of plans, periods, reports and their history.

The base (scale 1) is the network as it would look after six years: the 11 cities, 3 plans of two years
with 4 focus areas of 15 action points each, half-yearly reporting periods, a report by every city taking
part in a point for every period that has begun (about 4,000), each report with the history of its drafts,
submission and review, 200 people with their roles, 50 initiatives and 10 indicators with yearly values.

`scale` multiplies the *time* the network has been running (plans, periods, reports, people who came and
went, initiatives, indicators), not the number of cities: the network has 11 members whatever its age, and
what the benchmark asks is whether the pages stay fast as years of reports pile up.

Everything is written with bulk inserts, history rows included (the history model's own bulk_create, with
the dates and authors the edits would have had), and derived from one random generator seeded with
`seed`, so the same seed and end year give the same network. Plans end with `end_year`, by default this
year, so that the current plan and period are the last ones.
"""

import random
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from zoneinfo import ZoneInfo

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from actions.models import ActionPlan, ActionPoint, DeliveryStatus, FocusArea
from cities.models import ChairTerm, Membership, Role
from cities.services import member_cities_ensure
from initiatives.models import Initiative, InitiativeState
from reports.models import Evidence, PointPeriodStatus, ProgressReport, ReportingPeriod, WorkflowState

BATCH = 2000
REASON = "Load data"
DEMO_CONFIRMATION_REASON = "As the coordinating city's report for the period says."

BASE_PLANS = 3
AREAS_PER_PLAN = 4
POINTS_PER_AREA = 15
BASE_USERS = 200
BASE_INITIATIVES = 50
BASE_INDICATORS = 10
INDICATOR_YEARS = 6
BASE_PRACTICES = 1000

WORDS = (
    "network city cities delegates mayors cooperation innovation transport rail harbour climate energy "
    "students universities incubator exchange seminar workshop study visit report indicators data survey "
    "strategy partners funding project application pilot tourism culture youth employment business "
    "investment digital services water sea environment waste recycling heating buildings mobility cycling "
    "conference meeting working group secretariat presidency agreement memorandum action plan region Baltic"
).split()

CITY_TIME_ZONES = {
    "berlin": "Europe/Berlin", "copenhagen": "Europe/Copenhagen", "helsinki": "Europe/Helsinki",
    "malmo": "Europe/Stockholm", "oslo": "Europe/Oslo", "riga": "Europe/Riga", "st-petersburg": "Europe/Moscow",
    "stockholm": "Europe/Stockholm", "tallinn": "Europe/Tallinn", "vilnius": "Europe/Vilnius",
    "warsaw": "Europe/Warsaw",
}


class LoadDataRefused(Exception):
    pass


@dataclass(frozen=True)
class Sizes:
    plans: int
    users: int
    initiatives: int
    indicators: int

    @classmethod
    def for_scale(cls, scale: float) -> "Sizes":
        return cls(
            plans=max(1, round(BASE_PLANS * scale)),
            users=max(20, round(BASE_USERS * scale)),
            initiatives=max(1, round(BASE_INITIATIVES * scale)),
            indicators=max(1, round(BASE_INDICATORS * scale)),
        )


@contextmanager
def _fixed_timestamps(*models):
    """Let the generator set `auto_now`/`auto_now_add` fields itself, so they are deterministic and
    spread over the years instead of all saying "now"."""
    switched = []
    for model in models:
        for field in model._meta.concrete_fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                switched.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in switched:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


@cache
def _history_of(model):
    """The history model and its tracked columns (reading `Model.history` builds a manager each time)."""
    history_model = model.history.model
    return history_model, [field.attname for field in history_model.tracked_fields]


def _history_row(obj, *, when, kind="+", user_id=None, reason=REASON, **changes):
    """One history row of `obj` as it was at `when`, with `changes` applied to its fields."""
    history_model, columns = _history_of(type(obj))
    values = {column: getattr(obj, column) for column in columns}
    values.update(changes)
    return history_model(
        history_date=when, history_type=kind, history_user_id=user_id, history_change_reason=reason, **values,
    )


def _bulk(model, objs, *, when=None, user_id=None):
    """Insert objs and one creation history row each (dated by obj._load_when, else `when`)."""
    model.objects.bulk_create(objs, batch_size=BATCH)
    model.history.model.objects.bulk_create(
        [_history_row(obj, when=getattr(obj, "_load_when", when), user_id=user_id) for obj in objs], batch_size=BATCH,
    )
    return objs


class _Generator:
    def __init__(self, *, scale: float, seed: int, end_year: int, today: date, log):
        self.seed = seed
        self.scale = scale
        self.rng = random.Random(seed)
        self.sizes = Sizes.for_scale(scale)
        self.end_year = end_year
        self.today = today
        self.tz = ZoneInfo(settings.TIME_ZONE)
        self.log = log
        self.counts = Counter()
        # Nothing happens after this moment: reports of the period under way stop at "now".
        self.latest = datetime.combine(today, time(7, 0), tzinfo=self.tz)

    def use_plan_stream(self, plan):
        """Switch to the random stream of `plan`, counted back from the current plan: the current plan
        and the years just before it come out the same at every scale, so scale 1 and scale 10 differ
        only by the older years piled up before them."""
        age = self.plans_list[-1].first_year - plan.first_year
        self.rng = random.Random(f"{self.seed}:plan-age-{age}")

    def pick(self, items):
        """A choice that draws exactly one number whatever len(items), so that lists whose length
        depends on the scale (people) do not shift the rest of the stream."""
        return items[int(self.rng.random() * len(items))]

    # helpers -------------------------------------------------------------------------------------

    def moment(self, day: date, *, spread_days=0) -> datetime:
        day = day + timedelta(days=self.rng.randint(0, spread_days)) if spread_days else day
        return datetime.combine(day, time(self.rng.randint(8, 17), self.rng.randint(0, 59)), tzinfo=self.tz)

    def sentence(self, low=8, high=20) -> str:
        words = self.rng.choices(WORDS, k=self.rng.randint(low, high))
        return " ".join(words).capitalize() + "."

    def text(self, sentences_low, sentences_high) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(sentences_low, sentences_high)))

    # steps ---------------------------------------------------------------------------------------

    def run(self, progress=None) -> Counter:
        steps = [self.cities, self.people, self.plans, self.reports, self.initiatives, self.indicators,
                 self.practices]
        for step in (progress or (lambda items, **kwargs: items))(steps, desc="Generating", unit="step"):
            step()
        return self.counts

    def cities(self):
        self.city_by_slug = member_cities_ensure()
        self.all_cities = sorted(self.city_by_slug.values(), key=lambda c: c.slug)
        self.members = [c for c in self.all_cities if c.left is None]
        self.counts["cities"] = len(self.all_cities)

    def people(self):
        """Network roles first, then per city a few delegates and mayors, the rest observers; one in ten
        observers has left (inactive). Delegates are spread evenly so that every city has some."""
        User = get_user_model()
        n = self.sizes.users
        first_year = self.end_year - 2 * self.sizes.plans + 1
        secretariat_n = max(1, round(n * 3 / BASE_USERS))
        chair_n = 1
        per_city = len(self.all_cities)
        delegates_n = max(per_city, round(n * 33 / BASE_USERS))
        mayors_n = max(per_city, round(n * 22 / BASE_USERS))
        roles = ([(Role.SECRETARIAT, None)] * secretariat_n + [(Role.CHAIR, None)] * chair_n
                 + [(Role.DELEGATE, self.all_cities[i % per_city]) for i in range(delegates_n)]
                 + [(Role.MAYOR, self.all_cities[i % per_city]) for i in range(mayors_n)])
        roles += [(Role.OBSERVER, self.rng.choice(self.all_cities)) for _ in range(max(0, n - len(roles)))]
        languages = [code for code, _name in settings.LANGUAGES]
        users, memberships = [], []
        for i, (role, city) in enumerate(roles[:n] if len(roles) > n else roles, start=1):
            joined = self.moment(date(first_year, 1, 1), spread_days=365 * 2 * self.sizes.plans)
            user = User(
                username=f"load{i:05d}", first_name=self.rng.choice(WORDS).capitalize(),
                last_name=f"{self.rng.choice(WORDS).capitalize()} {i}", email=f"load{i:05d}@load.baltmet.invalid",
                language=self.rng.choice(languages),
                time_zone=CITY_TIME_ZONES.get(city.slug, settings.TIME_ZONE) if city else settings.TIME_ZONE,
                is_active=not (role == Role.OBSERVER and self.rng.random() < 0.1), date_joined=joined,
                password="!load-data-no-login",  # unusable: nobody logs in with a password
            )
            user._load_when = joined
            users.append(user)
            memberships.append((user, role, city))
        _bulk(User, users)
        rows = []
        for user, role, city in memberships:
            membership = Membership(user=user, role=role, city=city, created=user.date_joined)
            membership._load_when = user.date_joined
            rows.append(membership)
        with _fixed_timestamps(Membership):
            _bulk(Membership, rows)
        self.users = users
        self.delegates = defaultdict(list)
        for user, role, city in memberships:
            if role == Role.DELEGATE:
                self.delegates[city.pk].append(user)
        self.secretariat = [user for user, role, _city in memberships if role == Role.SECRETARIAT]
        self.counts["users"] = len(users)
        self.counts["memberships"] = len(rows)

    def plans(self):
        """Consecutive two-year plans ending with `end_year`; all closed but the last, which is adopted."""
        n = self.sizes.plans
        plans, areas, points, periods, terms = [], [], [], [], []
        for k in range(n):
            first = self.end_year - 2 * (n - k) + 1
            plan = ActionPlan(
                title=f"BaltMet Action Plan {first}–{first + 1}", first_year=first, last_year=first + 1,
                status=ActionPlan.Status.ADOPTED if k == n - 1 else ActionPlan.Status.CLOSED,
                introduction=self.text(2, 4),
            )
            plan._load_when = self.moment(date(first - 1, 11, 1))
            plans.append(plan)
        _bulk(ActionPlan, plans)
        for previous, plan in zip(plans, plans[1:], strict=False):
            plan.predecessor = previous
        ActionPlan.objects.bulk_update(plans[1:], ["predecessor"], batch_size=BATCH)

        self.plans_list = plans
        for k, plan in enumerate(plans):
            self.use_plan_stream(plan)
            for number in range(1, AREAS_PER_PLAN + 1):
                area = FocusArea(plan=plan, number=number, title=self.sentence(3, 6).rstrip("."),
                                 description=self.text(1, 3))
                area._load_when = plan._load_when
                areas.append(area)
            for year in (plan.first_year, plan.last_year):
                for half, start, end, due in (
                    ("H1", date(year, 1, 1), date(year, 6, 30), date(year, 7, 31)),
                    ("H2", date(year, 7, 1), date(year, 12, 31), date(year + 1, 1, 31)),
                ):
                    period = ReportingPeriod(plan=plan, label=f"{year} {half}", start=start, end=end, due_date=due,
                                             is_closed=k < n - 1)
                    period._load_when = plan._load_when
                    periods.append(period)
            term = ChairTerm(city=self.members[k % len(self.members)], start=date(plan.first_year, 1, 1),
                             end=date(plan.last_year, 12, 31))
            term._load_when = plan._load_when
            terms.append(term)
        _bulk(FocusArea, areas)
        _bulk(ReportingPeriod, periods)
        _bulk(ChairTerm, terms)

        previous_points = []
        partners_of = {}
        for area in areas:
            if area.number == 1:
                self.use_plan_stream(area.plan)
            for sequence in range(1, POINTS_PER_AREA + 1):
                coordinator = self.rng.choice(self.members)
                others = [c for c in self.members if c.pk != coordinator.pk]
                partners = self.rng.sample(others, self.rng.randint(3, 6))
                point = ActionPoint(
                    focus_area=area, sequence=sequence, text=self.text(1, 3), coordinating_city=coordinator,
                    status=None, coordinator_summary="",
                )
                point._load_when = area._load_when
                points.append(point)
                partners_of[id(point)] = partners
        # Their history is written once their statuses are known (point_history).
        ActionPoint.objects.bulk_create(points, batch_size=BATCH)
        # A later plan's point continues the same-numbered point of the plan before it, now and then.
        by_key = {(p.focus_area.plan_id, p.focus_area.number, p.sequence): p for p in points}
        self.rng = random.Random(f"{self.seed}:continues")
        for point in points:
            plan = point.focus_area.plan
            earlier = by_key.get((plan.predecessor_id, point.focus_area.number, point.sequence))
            if earlier is not None and self.rng.random() < 0.3:
                point.continues = earlier
                previous_points.append(point)
        ActionPoint.objects.bulk_update(previous_points, ["continues"], batch_size=BATCH)

        through = ActionPoint.partner_cities.through
        self.partner_rows = defaultdict(list)
        for row in through.objects.bulk_create(
            [through(actionpoint=point, city=city) for point in points for city in partners_of[id(point)]],
            batch_size=BATCH,
        ):
            self.partner_rows[row.actionpoint_id].append(row)
        self.plans_list, self.areas, self.points, self.periods = plans, areas, points, periods
        self.partners_of = partners_of
        self.counts.update(plans=len(plans), focus_areas=len(areas), action_points=len(points),
                           periods=len(periods), chair_terms=len(terms),
                           partnerships=sum(map(len, partners_of.values())))

    def reports(self):
        """A report by each taking-part city for each period that has begun; old ones approved, the
        current plan's in every state. Each report's history: created as a draft, edited, submitted,
        sometimes returned and resubmitted, reviewed."""
        current_plan = self.plans_list[-1]
        periods_by_plan = defaultdict(list)
        for period in self.periods:
            periods_by_plan[period.plan_id].append(period)
        begun = [p for p in self.periods if p.start <= self.today]
        current = max(begun, key=lambda p: p.start) if begun else None

        reports, edits = [], []  # edits: (report, [(when, kind, user_id, changes)])
        for point in self.points:
            plan_id = point.focus_area.plan_id
            if point.focus_area.number == 1 and point.sequence == 1:
                self.use_plan_stream(point.focus_area.plan)
            cities = [point.coordinating_city, *self.partners_of[id(point)]]
            for period in periods_by_plan[plan_id]:
                if period.start > self.today:
                    continue
                for city in cities:
                    state = self.report_state(period, current, is_current_plan=plan_id == current_plan.pk)
                    if state is None:
                        continue
                    report, steps = self.report_with_steps(point, city, period, state)
                    reports.append(report)
                    edits.append((report, steps))
        with _fixed_timestamps(ProgressReport):
            ProgressReport.objects.bulk_create(reports, batch_size=BATCH)
        history = []
        for report, steps in edits:
            for when, kind, user_id, changes in steps:
                history.append(_history_row(report, when=when, kind=kind, user_id=user_id, reason="", **changes))
        ProgressReport.history.model.objects.bulk_create(history, batch_size=BATCH)

        self.rng = random.Random(f"{self.seed}:evidence")
        evidence = []
        for report in reports:
            if report.state != WorkflowState.DRAFT and self.rng.random() < 0.25:
                item = Evidence(report=report, title=self.sentence(3, 6).rstrip("."),
                                url=f"https://example.org/{report.city.slug}/{self.rng.randint(1000, 99999)}",
                                added_by_id=report.submitted_by_id, added_at=report.submitted_at)
                item._load_when = report.submitted_at
                evidence.append(item)
        with _fixed_timestamps(Evidence):
            _bulk(Evidence, evidence)

        self.point_history(reports, current_plan)
        self.counts.update(reports=len(reports), report_history=len(history), evidence=len(evidence))
        self.counts.update(f"reports_{r.state}" for r in reports)

    def report_state(self, period, current, *, is_current_plan):
        r = self.rng.random()
        if period == current:
            # The period under way: a third not started, the others at every step.
            table = ((0.35, None), (0.60, WorkflowState.DRAFT), (0.85, WorkflowState.SUBMITTED),
                     (0.90, WorkflowState.RETURNED), (1.0, WorkflowState.APPROVED))
        elif is_current_plan:
            table = ((0.05, None), (0.12, WorkflowState.DRAFT), (0.25, WorkflowState.SUBMITTED),
                     (0.30, WorkflowState.RETURNED), (1.0, WorkflowState.APPROVED))
        else:
            # Years ago: nearly all approved, a few never reviewed or never finished.
            table = ((0.02, None), (0.04, WorkflowState.DRAFT), (0.06, WorkflowState.SUBMITTED),
                     (0.07, WorkflowState.RETURNED), (1.0, WorkflowState.APPROVED))
        return next(state for limit, state in table if r < limit)

    def report_with_steps(self, point, city, period, state):
        delegates = self.delegates.get(city.pk) or self.delegates[next(iter(self.delegates))]
        author = self.pick(delegates)
        reviewer = self.pick(self.secretariat)
        status = self.rng.choices(DeliveryStatus.values, weights=[1, 6, 2, 1, 2])[0]
        started = self.moment(period.start, spread_days=max(1, (period.due_date - period.start).days - 30))
        steps = [(started, "+", author.pk, {"state": WorkflowState.DRAFT, "summary": self.text(1, 2),
                                            "version": 1, "submitted_by_id": None, "submitted_at": None,
                                            "reviewed_by_id": None, "reviewed_at": None, "review_comment": ""})]
        when = started
        for _ in range(self.rng.randint(1, 3)):
            when += timedelta(days=self.rng.randint(1, 10), minutes=self.rng.randint(0, 600))
            steps.append((when, "~", author.pk, {"state": WorkflowState.DRAFT, "summary": self.text(2, 5)}))
        summary, next_steps = self.text(2, 6), self.text(1, 2)
        report = ProgressReport(
            action_point=point, city=city, period=period, delivery_status=status, summary=summary,
            next_steps=next_steps, state=state, created=started,
        )
        if state != WorkflowState.DRAFT:
            if self.rng.random() < 0.15 or state == WorkflowState.RETURNED:
                when += timedelta(days=self.rng.randint(1, 10))
                steps.append((when, "~", author.pk, {"state": WorkflowState.SUBMITTED, "submitted_by_id": author.pk,
                                                     "submitted_at": when}))
                when += timedelta(days=self.rng.randint(1, 14))
                comment = self.sentence()
                steps.append((when, "~", reviewer.pk, {"state": WorkflowState.RETURNED, "review_comment": comment,
                                                       "reviewed_by_id": reviewer.pk, "reviewed_at": when}))
                report.review_comment = comment
                report.reviewed_by_id, report.reviewed_at = reviewer.pk, when
            if state != WorkflowState.RETURNED:
                when += timedelta(days=self.rng.randint(1, 10))
                steps.append((when, "~", author.pk, {"state": WorkflowState.SUBMITTED, "submitted_by_id": author.pk,
                                                     "submitted_at": when}))
            report.submitted_by_id, report.submitted_at = author.pk, steps[-1][0] if state != WorkflowState.RETURNED \
                else next(s[0] for s in steps if s[3].get("state") == WorkflowState.SUBMITTED)
            if state == WorkflowState.APPROVED:
                when += timedelta(days=self.rng.randint(1, 21))
                steps.append((when, "~", reviewer.pk, {"state": WorkflowState.APPROVED, "review_comment": "",
                                                       "reviewed_by_id": reviewer.pk, "reviewed_at": when}))
                report.reviewed_by_id, report.reviewed_at, report.review_comment = reviewer.pk, when, ""
        if steps[-1][0] > self.latest:
            # Squeeze the tail of the story in before "now", keeping its order.
            count = len(steps)
            steps = [(min(at, self.latest - timedelta(minutes=5 * (count - i))), *rest)
                     for i, (at, *rest) in enumerate(steps)]
            for at, _kind, _user, changes in steps:
                for key in ("submitted_at", "reviewed_at"):
                    if key in changes and changes[key] is not None:
                        changes[key] = at
            if report.submitted_at:
                report.submitted_at = max(at for at, _k, _u, c in steps if c.get("state") == WorkflowState.SUBMITTED)
            if report.reviewed_at:
                report.reviewed_at = max(at for at, _k, _u, c in steps if "reviewed_at" in c and c["reviewed_at"])
            when = steps[-1][0]
            if started > when:
                started = steps[0][0]
                report.created = started
        report.version = len(steps)
        report.updated = when
        # The history rows carry the report's final text only from the step that wrote it.
        final = {"summary": summary, "next_steps": next_steps, "delivery_status": status}
        last_draft = max(i for i, s in enumerate(steps) if s[3].get("state") == WorkflowState.DRAFT)
        steps[last_draft][3].update(final)
        # Fill each step with the values of the steps before it, so every row is a full snapshot.
        snapshot, full = {"next_steps": "", "delivery_status": DeliveryStatus.NOT_STARTED}, []
        for version, (at, kind, user_id, changes) in enumerate(steps, start=1):
            snapshot = {**snapshot, **changes, "version": version, "updated": at, "created": started}
            full.append((at, kind, user_id, dict(snapshot)))
        return report, full

    def point_history(self, reports, current_plan):
        """Each point's status follows its coordinator's latest reported status, one history row per period."""
        by_point = defaultdict(list)
        for report in reports:
            if report.city_id == report.action_point.coordinating_city_id and report.state in (
                WorkflowState.SUBMITTED, WorkflowState.APPROVED,
            ):
                by_point[report.action_point_id].append(report)
        history_model = ActionPoint.history.model
        m2m_model = history_model.partner_cities.model
        self.rng = random.Random(f"{self.seed}:point-history")
        rows, changed, confirmations = [], [], []
        for point in self.points:
            first = _history_row(point, when=point._load_when)
            rows.append(first)
            summary = ""
            for report in sorted(by_point.get(point.pk, []), key=lambda r: r.period.start):
                # The coordinator confirmed the point's status for the period on its roll-up (so the point's
                # overall status is its latest confirmed period's, as reports/status.py says).
                confirmation = PointPeriodStatus(
                    action_point_id=point.pk, period_id=report.period_id, status=report.delivery_status,
                    reason=DEMO_CONFIRMATION_REASON, confirmed_by_id=report.submitted_by_id,
                    confirmed_at=report.submitted_at, version=1)
                confirmation._load_when = report.submitted_at
                confirmations.append(confirmation)
                if report.delivery_status == point.status:
                    continue
                point.status = report.delivery_status
                summary = self.sentence()
                point.version += 1
                rows.append(_history_row(point, when=report.submitted_at, kind="~", user_id=report.submitted_by_id,
                                         reason="", coordinator_summary=summary))
            if point.version > 1:
                point.coordinator_summary = summary
                changed.append(point)
        ActionPoint.objects.bulk_update(changed, ["status", "coordinator_summary", "version"], batch_size=BATCH)
        history_model.objects.bulk_create(rows, batch_size=BATCH)
        PointPeriodStatus.objects.bulk_create(confirmations, batch_size=BATCH)
        PointPeriodStatus.history.model.objects.bulk_create(
            [_history_row(c, when=c._load_when, user_id=c.confirmed_by_id, reason="Status confirmed")
             for c in confirmations], batch_size=BATCH)
        self.counts["point_period_statuses"] = len(confirmations)
        # Partners never change here, so every history row lists the same through rows.
        m2m_model.objects.bulk_create(
            [m2m_model(history=row, id=link.pk, actionpoint_id=row.id, city_id=link.city_id)
             for row in rows for link in self.partner_rows[row.id]],
            batch_size=BATCH,
        )
        self.counts["action_point_history"] = len(rows)

    def initiatives(self):
        self.rng = random.Random(f"{self.seed}:initiatives")
        plans = self.plans_list
        initiatives, involved = [], {}
        for i in range(self.sizes.initiatives):
            plan = plans[i * len(plans) // self.sizes.initiatives]
            plan_points = [p for p in self.points if p.focus_area.plan_id == plan.pk]
            point = self.rng.choice(plan_points) if self.rng.random() < 0.8 else None
            cities = ([point.coordinating_city, *self.partners_of[id(point)]] if point
                      else self.rng.sample(self.members, self.rng.randint(2, 5)))
            cities = cities[: self.rng.randint(2, len(cities))]
            created = self.moment(date(plan.first_year, 2, 1), spread_days=600)
            if plan is plans[-1]:
                state = self.rng.choices(list(InitiativeState.values), weights=[3, 5, 1, 1])[0]
            else:
                state = self.rng.choices(list(InitiativeState.values), weights=[0, 7, 2, 1])[0]
            initiative = Initiative(
                plan=plan, action_point=point, title=self.sentence(4, 8).rstrip("."), description=self.text(2, 5),
                proposing_city=cities[0], created=created, start=date(plan.first_year, 6, 1),
                end=date(plan.last_year, 12, 31), proposed_by=(self.delegates.get(cities[0].pk) or [None])[0],
                state=state, decided_at=None if state == InitiativeState.PROPOSED
                else created + timedelta(days=self.rng.randint(7, 90)),
            )
            initiative._load_when = created
            initiatives.append(initiative)
            involved[id(initiative)] = cities
        with _fixed_timestamps(Initiative):
            _bulk(Initiative, initiatives)
        through = Initiative.involved_cities.through
        through.objects.bulk_create(
            [through(initiative=item, city=city) for item in initiatives for city in involved[id(item)]],
            batch_size=BATCH,
        )
        self.counts["initiatives"] = len(initiatives)
        if not apps.is_installed("initiatives"):
            self.log("The initiatives app is not installed: no consent requests or decisions generated.")
            return
        from initiatives.models import Answer, ConsentRequest, Decision, DecisionKind

        consents, decisions = [], []
        for item in initiatives:
            cities = involved[id(item)]
            asked = cities if item.action_point_id else self.members
            for city in asked:
                takes_part = city in cities
                if item.state == InitiativeState.APPROVED:
                    answer = Answer.APPROVED
                elif item.state == InitiativeState.PROPOSED:
                    answer = self.rng.choice([Answer.PENDING, Answer.APPROVED])
                else:
                    answer = self.rng.choice([Answer.PENDING, Answer.DECLINED, Answer.APPROVED])
                answered_at = (None if answer == Answer.PENDING
                               else item.created + timedelta(days=self.rng.randint(1, 6)))
                consent = ConsentRequest(
                    initiative=item, city=city,
                    expected_cost=Decimal(self.rng.randint(1, 200) * 500) if takes_part else None,
                    answer=answer, answered_at=answered_at, asked_at=item.created,
                    answered_by=(self.delegates.get(city.pk) or [None])[0] if answered_at else None,
                    answered_version=1 if answered_at else None,
                )
                consent._load_when = answered_at or item.created
                consents.append(consent)
            decisions.append(Decision(initiative=item, kind=DecisionKind.PROPOSED, city=item.proposing_city,
                                      user=item.proposed_by, at=item.created, version=1, costs={}))
            if item.decided_at:
                decisions.append(Decision(initiative=item, kind=item.state, user=None, at=item.decided_at,
                                          version=1, costs={}))
        for decision in decisions:
            decision._load_when = decision.at
        _bulk(ConsentRequest, consents)
        _bulk(Decision, decisions)
        self.counts.update(consent_requests=len(consents), decisions=len(decisions))

    def indicators(self):
        if not apps.is_installed("indicators"):
            self.log("The indicators app is not installed: no indicators generated.")
            return
        from indicators.models import Indicator, IndicatorValue

        self.rng = random.Random(f"{self.seed}:indicators")
        first_year = self.end_year - 2 * self.sizes.plans + 1
        span = self.end_year - first_year + 1
        indicators, values = [], []
        for i in range(self.sizes.indicators):
            # Spread over the years, the newest ending last year (this year's figures are not in yet).
            offset = 0
            if span > INDICATOR_YEARS and self.sizes.indicators > 1:
                offset = (span - INDICATOR_YEARS) * (self.sizes.indicators - 1 - i) // (self.sizes.indicators - 1)
            last = self.end_year - 1 - offset
            first = last - INDICATOR_YEARS + 1
            indicator = Indicator(
                name=f"{self.sentence(2, 4).rstrip('.')} ({i + 1})", description=self.text(1, 2),
                unit=self.rng.choice(["%", "EUR per inhabitant", "patents", "tonnes CO2 per inhabitant", "km"]),
                higher_is_better=self.rng.random() < 0.7, first_year=first, last_year=last,
            )
            indicator._load_when = self.moment(date(first, 3, 1))
            indicators.append(indicator)
        _bulk(Indicator, indicators)
        for indicator in indicators:
            base = self.rng.uniform(10, 1000)
            for city in self.members:
                level = base * self.rng.uniform(0.5, 1.5)
                for year in indicator.years:
                    if self.rng.random() < 0.1:
                        continue  # not every city has every year's figure
                    level *= self.rng.uniform(0.95, 1.08)
                    value = IndicatorValue(
                        indicator=indicator, city=city, year=year, value=Decimal(f"{level:.4f}"),
                        source=f"{city.name} statistics office, {year + 1}",
                        updated=self.moment(date(year + 1, 3, 1), spread_days=60),
                    )
                    value._load_when = value.updated
                    values.append(value)
        with _fixed_timestamps(IndicatorValue):
            _bulk(IndicatorValue, values)
        self.counts.update(indicators=len(indicators), indicator_values=len(values))

    def practices(self):
        """1,000 practices per scale unit, each serving a focus area and a point or two of its plan; a third published.
        The search vector is kept by the database's trigger on PostgreSQL (practices migration 0002)."""
        if not apps.is_installed("practices"):
            return
        from practices.models import Practice

        self.rng = random.Random(f"{self.seed}:practices")
        count = max(1, round(BASE_PRACTICES * self.scale))
        practices, links = [], []
        for _ in range(count):
            point = self.rng.choice(self.points)
            city = self.rng.choice([point.coordinating_city, *self.partners_of[id(point)]])
            when = self.moment(date(point.focus_area.plan.first_year, 1, 1), spread_days=700)
            delegates = self.delegates.get(city.pk) or [None]
            practice = Practice(
                title=self.sentence(3, 8).rstrip("."), city=city, description=self.text(3, 8), results=self.text(1, 3),
                contact=delegates[0], languages=self.rng.sample(["en", "de", "fi", "sv", "lv", "ru", "et", "lt", "pl"], 2),
                created_by=delegates[0], created=when, updated=when,
                published_at=when if self.rng.random() < 0.33 else None,
            )
            practice._load_when = when
            practices.append(practice)
            links.append(point)
        with _fixed_timestamps(Practice):
            _bulk(Practice, practices)
        areas, points = Practice.focus_areas.through, Practice.action_points.through
        areas.objects.bulk_create([areas(practice=p, focusarea_id=pt.focus_area_id) for p, pt in zip(practices, links)],
                                  batch_size=BATCH)
        points.objects.bulk_create([points(practice=p, actionpoint=pt) for p, pt in zip(practices, links)],
                                   batch_size=BATCH)
        self.counts["practices"] = len(practices)


def load_data_generate(*, scale: float = 1, seed: int = 1, end_year: int | None = None, today: date | None = None,
                       log=print, progress=None) -> Counter:
    """Fill an empty database with a generated network `scale` times the base size; returns row counts.

    Refuses a database that already has action plans, so it can never mix into real data.
    """
    if scale <= 0:
        raise LoadDataRefused("The scale must be positive.")
    if ActionPlan.objects.exists() or ProgressReport.objects.exists():
        raise LoadDataRefused("This database already has action plans: load data goes into an empty database only.")
    today = today or timezone.localdate()
    end_year = end_year or today.year
    with transaction.atomic():
        return _Generator(scale=scale, seed=seed, end_year=end_year, today=today, log=log).run(progress)
