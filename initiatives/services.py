"""Proposing initiatives and gathering the cities' consent.

The state machine: an initiative is *proposed* until every city asked has approved (*approved*) or
one declines (*declined*); the proposing city can *withdraw* it before that. A change of scope or
costs (allowed while proposed or approved) bumps the version, sends the cities that had answered
back to pending and asks them again; their earlier answer stays in `Decision` and in history.

Every change locks the initiative row first, so two answers arriving together settle the outcome
once, and an answer given to an older version (the form carries it) is refused.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionPlan, ActionPoint
from cities.models import City, Role
from cities.roles import roles_of
from cities.selectors import reachable_city_ids
from notifications.services import email_queue

from . import permissions
from .models import Answer, ConsentRequest, Decision, DecisionKind, Initiative, InitiativeState

CENTS = Decimal("0.01")


class InitiativeError(Exception):
    """The step is not possible now; the message says why, for the person who tried."""


class InitiativeConflict(InitiativeError):
    """The initiative changed since the form was opened."""


@dataclass(frozen=True)
class CostLine:
    city: City
    amount: Decimal
    currency: str = "EUR"


def delegates_of(city_ids):
    return get_user_model().objects.filter(
        is_active=True, memberships__role=Role.DELEGATE, memberships__city_id__in=list(city_ids),
    ).distinct()


def terms_of(initiative: Initiative, consents) -> dict:
    """What a city agrees to: the title, the dates and every involved city's expected cost."""
    return {
        "version": initiative.version,
        "title": initiative.title,
        "start": initiative.start.isoformat() if initiative.start else None,
        "end": initiative.end.isoformat() if initiative.end else None,
        "costs": [
            {"city_id": c.city_id, "city": c.city.name, "amount": str(c.expected_cost), "currency": c.currency}
            for c in sorted(consents, key=lambda c: c.city.name) if c.expected_cost is not None
        ],
    }


def _lock(initiative: Initiative) -> Initiative:
    return Initiative.objects.select_for_update().get(pk=initiative.pk)


def _consents(initiative: Initiative) -> list[ConsentRequest]:
    return list(ConsentRequest.objects.filter(initiative=initiative).select_related("city").order_by("city__name"))


def _record(initiative, kind, *, user, now, consents, city=None, comment=""):
    decision = Decision(initiative=initiative, kind=kind, city=city, user=user, at=now, comment=comment,
                        version=initiative.version, costs=terms_of(initiative, consents))
    decision._history_user = user
    decision.save()
    return decision


def _check_terms(*, plan: ActionPlan, action_point: ActionPoint | None, proposing_city_id: int, start: date,
                 end: date, costs: list[CostLine]):
    if action_point is not None and action_point.focus_area.plan_id != plan.pk:
        raise InitiativeError(_("The action point belongs to another plan."))
    if start and end and end < start:
        raise InitiativeError(_("An initiative cannot end before it starts."))
    city_ids = [line.city.pk for line in costs]
    if len(set(city_ids)) != len(city_ids):
        raise InitiativeError(_("Give each city's cost once."))
    if proposing_city_id not in city_ids:
        raise InitiativeError(_("The proposing city must be one of the cities involved."))
    for line in costs:
        if line.city.left is not None:
            raise InitiativeError(_("%(city)s is no longer a member city.") % {"city": line.city})
        if line.amount is None or line.amount < 0:
            raise InitiativeError(_("Give %(city)s's expected cost (zero or more).") % {"city": line.city})


def _asked_city_ids(initiative: Initiative, costs: list[CostLine]) -> set[int]:
    """The cities whose agreement is needed: those involved, and for a network-wide one every member."""
    ids = {line.city.pk for line in costs}
    if initiative.is_network_wide:
        ids |= set(City.objects.filter(left__isnull=True).values_list("pk", flat=True))
    return ids


def _ask(initiative: Initiative, consents, *, template="initiative_consent_request", kind="initiative_consent",
         occasion: str = ""):
    """Email each pending city's delegates, telling each city its own expected cost. `occasion` tells
    one asking from another (the terms' version; a reminder's moment)."""
    everyone = [c for c in consents if c.expected_cost is not None]
    for consent in consents:
        if consent.answer != Answer.PENDING:
            continue
        email_queue(
            kind=kind, key=f"{kind}:{initiative.pk}:{occasion or f'v{initiative.version}'}:c{consent.city_id}",
            users=delegates_of([consent.city_id]), template=template,
            context={"initiative": initiative, "consent": consent, "costs": everyone},
        )


def _settle(initiative: Initiative, consents, *, user, now) -> None:
    """Approved once every city asked has approved; declined as soon as one declines."""
    answers = {c.answer for c in consents}
    if Answer.DECLINED in answers:
        outcome = InitiativeState.DECLINED
    elif answers == {Answer.APPROVED}:
        outcome = InitiativeState.APPROVED
    else:
        return
    initiative.state, initiative.decided_at = outcome, now
    initiative._history_user = user
    initiative.save(update_fields=["state", "decided_at"])
    _tell_outcome(initiative, consents)


def _tell_outcome(initiative, consents):
    email_queue(
        kind="initiative_outcome", key=f"initiative_outcome:{initiative.pk}:v{initiative.version}:{initiative.state}",
        users=delegates_of({c.city_id for c in consents}), template="initiative_outcome",
        context={"initiative": initiative, "costs": [c for c in consents if c.expected_cost is not None]},
    )


def _proposing_delegate(initiative: Initiative, user):
    if not permissions.is_proposer(roles_of(user), initiative):
        raise PermissionDenied(_("Only a delegate of the proposing city can do this."))


def _sync_consents(initiative, costs: list[CostLine], *, user, now) -> tuple[list[ConsentRequest], bool]:
    """Make the consent requests match the terms; return them and whether any answer was reset."""
    wanted = _asked_city_ids(initiative, costs)
    by_city = {line.city.pk: line for line in costs}
    existing = {c.city_id: c for c in _consents(initiative)}
    reasked = False
    for city_id, consent in existing.items():
        if city_id not in wanted:
            consent._history_user = user
            consent.delete()
    cities = {c.pk: c for c in City.objects.filter(pk__in=wanted)}
    result = []
    for city_id in sorted(wanted, key=lambda pk: cities[pk].name):
        line = by_city.get(city_id)
        consent = existing.get(city_id) or ConsentRequest(initiative=initiative, city=cities[city_id], asked_at=now)
        consent.expected_cost = line.amount.quantize(CENTS) if line else None
        consent.currency = line.currency if line else "EUR"
        if city_id == initiative.proposing_city_id:
            # Proposing (or changing) the terms is the proposing city's approval of them.
            consent.answer, consent.answered_by, consent.answered_at = Answer.APPROVED, user, now
            consent.answered_version, consent.comment = initiative.version, _("Proposed these terms.")
        elif consent.answer != Answer.PENDING:
            reasked = True
            consent.answer, consent.comment = Answer.PENDING, ""
            consent.answered_by = consent.answered_at = consent.answered_version = None
            consent.asked_at = now
        consent._history_user = user
        consent.save()
        result.append(consent)
    return result, reasked


@transaction.atomic
def initiative_propose(*, user, plan: ActionPlan, action_point: ActionPoint | None, title: str,
                       description: str = "", start: date | None = None, end: date | None = None,
                       costs: list[CostLine]) -> Initiative:
    roles = roles_of(user)
    city_id = roles.delegate_city_id
    if not permissions.can_propose(roles):
        raise PermissionDenied(_("Only a city's delegate can propose an initiative."))
    _check_terms(plan=plan, action_point=action_point, proposing_city_id=city_id, start=start, end=end, costs=costs)
    now = timezone.now()
    initiative = Initiative(plan=plan, action_point=action_point, title=title.strip(), description=description,
                            proposing_city_id=city_id, start=start, end=end, proposed_by=user,
                            state=InitiativeState.PROPOSED)
    initiative._history_user = user
    initiative.save()
    initiative.involved_cities.set([line.city for line in costs])
    consents, _reasked = _sync_consents(initiative, costs, user=user, now=now)
    proposing = next(c for c in consents if c.city_id == city_id)
    _record(initiative, DecisionKind.PROPOSED, user=user, now=now, consents=consents, city=proposing.city)
    _record(initiative, DecisionKind.APPROVED, user=user, now=now, consents=consents, city=proposing.city,
            comment=proposing.comment)
    _ask(initiative, consents)
    _settle(initiative, consents, user=user, now=now)
    return initiative


@transaction.atomic
def initiative_answer(*, initiative: Initiative, city: City, user, approve: bool, comment: str = "",
                      version: int) -> ConsentRequest:
    if roles_of(user).delegate_city_id != city.pk:
        raise PermissionDenied(_("Only %(city)s's delegates can answer for %(city)s.") % {"city": city})
    initiative = _lock(initiative)
    consent = ConsentRequest.objects.filter(initiative=initiative, city=city).select_related("city").first()
    if consent is None:
        raise PermissionDenied(_("%(city)s has not been asked about this initiative.") % {"city": city})
    if initiative.state != InitiativeState.PROPOSED:
        raise InitiativeError(
            _("This initiative is %(state)s; it takes no more answers.")
            % {"state": initiative.get_state_display().lower()}
        )
    if version != initiative.version:
        raise InitiativeConflict(_("The initiative changed since you opened it. Read the new terms and answer again."))
    if consent.answer != Answer.PENDING:
        raise InitiativeError(_("%(city)s has already answered.") % {"city": city})
    now = timezone.now()
    consent.answer = Answer.APPROVED if approve else Answer.DECLINED
    consent.comment = (comment or "").strip()
    consent.answered_by, consent.answered_at, consent.answered_version = user, now, initiative.version
    consent._history_user = user
    consent.save()
    consents = _consents(initiative)
    _record(initiative, DecisionKind.APPROVED if approve else DecisionKind.DECLINED, user=user, now=now,
            consents=consents, city=consent.city, comment=consent.comment)
    _settle(initiative, consents, user=user, now=now)
    return consent


@transaction.atomic
def initiative_withdraw(*, initiative: Initiative, user, comment: str = "") -> Initiative:
    _proposing_delegate(initiative, user)
    initiative = _lock(initiative)
    if initiative.state != InitiativeState.PROPOSED:
        raise InitiativeError(
            _("Only an initiative still waiting for answers can be withdrawn; this one is %(state)s.")
            % {"state": initiative.get_state_display().lower()}
        )
    now = timezone.now()
    initiative.state, initiative.decided_at = InitiativeState.WITHDRAWN, now
    initiative._history_user = user
    initiative.save(update_fields=["state", "decided_at"])
    consents = _consents(initiative)
    _record(initiative, DecisionKind.WITHDRAWN, user=user, now=now, consents=consents,
            city=initiative.proposing_city, comment=(comment or "").strip())
    _tell_outcome(initiative, consents)
    return initiative


@transaction.atomic
def initiative_change(*, initiative: Initiative, user, version: int, title: str, description: str,
                      start: date | None, end: date | None, costs: list[CostLine]) -> Initiative:
    """Change the scope or costs. The cities that had answered are asked again."""
    _proposing_delegate(initiative, user)
    initiative = _lock(initiative)
    if initiative.state not in (InitiativeState.PROPOSED, InitiativeState.APPROVED):
        raise InitiativeError(
            _("A %(state)s initiative can no longer change.") % {"state": initiative.get_state_display().lower()}
        )
    if version != initiative.version:
        raise InitiativeConflict(_("Somebody changed the initiative since you opened it. Review the new terms."))
    _check_terms(plan=initiative.plan, action_point=initiative.action_point,
                 proposing_city_id=initiative.proposing_city_id, start=start, end=end, costs=costs)
    before = terms_of(initiative, _consents(initiative))
    before_desc = initiative.description
    initiative.title, initiative.description, initiative.start, initiative.end = title.strip(), description, start, end
    after_costs = [{"city_id": line.city.pk, "city": line.city.name, "amount": str(line.amount.quantize(CENTS)),
                    "currency": line.currency} for line in sorted(costs, key=lambda line: line.city.name)]
    unchanged = (before["title"] == initiative.title and before_desc == description
                 and before["start"] == (start.isoformat() if start else None)
                 and before["end"] == (end.isoformat() if end else None)
                 and [(c["city_id"], Decimal(c["amount"]), c["currency"]) for c in before["costs"]]
                 == [(c["city_id"], Decimal(c["amount"]), c["currency"]) for c in after_costs])
    if unchanged:
        return initiative
    now = timezone.now()
    was_approved = initiative.state == InitiativeState.APPROVED
    initiative.version += 1
    initiative.state, initiative.decided_at = InitiativeState.PROPOSED, None
    initiative._history_user = user
    initiative.save()
    initiative.involved_cities.set([line.city for line in costs])
    consents, _reasked = _sync_consents(initiative, costs, user=user, now=now)
    comment = _("It had been approved; every city is asked again.") if was_approved else ""
    _record(initiative, DecisionKind.CHANGED, user=user, now=now, consents=consents,
            city=initiative.proposing_city, comment=comment)
    _ask(initiative, consents)
    _settle(initiative, consents, user=user, now=now)
    return initiative


@dataclass
class Reminded:
    reached: list  # cities whose delegates were emailed
    unreachable: list  # cities that have not answered and have nobody to email


@transaction.atomic
def initiative_remind(*, initiative: Initiative, user) -> Reminded:
    """Email the delegates of every city that has not answered yet; says which cities were emailed and
    which have nobody to email (no active delegate with an address)."""
    if not roles_of(user).is_secretariat:  # permissions.can_remind, before the state is known under the lock
        raise PermissionDenied(_("Only the Secretariat sends reminders."))
    initiative = _lock(initiative)
    if initiative.state != InitiativeState.PROPOSED:
        raise InitiativeError(_("Only an initiative waiting for answers needs reminders."))
    now = timezone.now()
    consents = _consents(initiative)
    pending = [c for c in consents if c.answer == Answer.PENDING]
    for consent in pending:
        consent.reminded_at = now
        consent._history_user = user
        consent.save(update_fields=["reminded_at"])
    _ask(initiative, consents, template="initiative_reminder", kind="initiative_reminder", occasion=now.isoformat())
    if pending:
        _record(initiative, DecisionKind.REMINDED, user=user, now=now, consents=consents,
                comment=", ".join(c.city.name for c in pending))
    reachable = reachable_city_ids([c.city_id for c in pending])
    return Reminded(reached=[c.city for c in pending if c.city_id in reachable],
                    unreachable=[c.city for c in pending if c.city_id not in reachable])
