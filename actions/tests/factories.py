import factory

from actions.models import ActionPlan, ActionPoint, FocusArea


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    title = factory.Sequence(lambda n: f"Action Plan {2011 + 3 * n}–{2013 + 3 * n}")
    first_year = factory.Sequence(lambda n: 2011 + 3 * n)
    last_year = factory.LazyAttribute(lambda plan: plan.first_year + 2)
    status = ActionPlan.Status.ADOPTED


class FocusAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FocusArea

    plan = factory.SubFactory(ActionPlanFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Focus area {n + 1}")


class ActionPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPoint

    focus_area = factory.SubFactory(FocusAreaFactory)
    sequence = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"BaltMet will do thing number {n}.")
