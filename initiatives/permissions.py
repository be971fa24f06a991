"""Who may do what with initiatives — asked by the pages (which buttons to show) and by the services
(which refuse). Each takes the person's roles (cities.roles.roles_of)."""

from cities.roles import UserRoles

from .models import Answer, Initiative, InitiativeState

CHANGEABLE = (InitiativeState.PROPOSED, InitiativeState.APPROVED)


def can_propose(roles: UserRoles) -> bool:
    return roles.delegate_city_id is not None


def is_proposer(roles: UserRoles, initiative: Initiative) -> bool:
    return roles.delegate_city_id is not None and roles.delegate_city_id == initiative.proposing_city_id


def can_change(roles: UserRoles, initiative: Initiative) -> bool:
    """Its terms: the proposing city's delegate, while it waits for answers or is approved."""
    return is_proposer(roles, initiative) and initiative.state in CHANGEABLE


def can_withdraw(roles: UserRoles, initiative: Initiative) -> bool:
    return is_proposer(roles, initiative) and initiative.state == InitiativeState.PROPOSED


def answers_for(roles: UserRoles, consent) -> bool:
    """Whether the person speaks for the consent's city (its delegate)."""
    return consent is not None and roles.delegate_city_id == consent.city_id


def can_answer(roles: UserRoles, initiative: Initiative, consent) -> bool:
    return (answers_for(roles, consent) and consent.answer == Answer.PENDING
            and initiative.state == InitiativeState.PROPOSED)


def can_remind(roles: UserRoles, initiative: Initiative) -> bool:
    return roles.is_secretariat and initiative.state == InitiativeState.PROPOSED


def can_see_overview(roles: UserRoles) -> bool:
    return roles.is_secretariat
