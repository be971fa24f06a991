from decimal import Decimal

from initiatives.services import CostLine, initiative_propose


def propose(*, user, plan, point, costs, title="Joint innovation fair", start=None, end=None):
    """Propose through the service, `costs` as {city: amount}."""
    from datetime import date

    return initiative_propose(
        user=user, plan=plan, action_point=point, title=title, description="Two days in Riga.",
        start=start or date(2011, 9, 1), end=end or date(2011, 9, 2),
        costs=[CostLine(city=city, amount=Decimal(amount)) for city, amount in costs.items()],
    )
