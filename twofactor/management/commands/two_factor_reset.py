from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from twofactor.services import two_factor_reset


class Command(BaseCommand):
    help = ("Remove a person's authenticator and recovery codes, for when nobody in the Secretariat can do it "
            "from the portal (e.g. the only Secretariat member lost their device). Written to the history and "
            "the security log.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        person = get_user_model().objects.filter(username=username).first()
        if person is None:
            raise CommandError(f"No account with the username {username!r}.")
        if two_factor_reset(person=person, by=None):
            self.stdout.write(self.style.SUCCESS(
                f"Two-factor sign-in of {username} reset: they sign in with their password"
                " and set up a new authenticator."))
        else:
            self.stdout.write(f"{username} had no two-factor sign-in; nothing changed.")
