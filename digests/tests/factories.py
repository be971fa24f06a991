import factory

from digests.models import DigestSubscription, Frequency


class DigestSubscriptionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DigestSubscription
        django_get_or_create = ["user"]

    frequency = Frequency.MONTHLY
