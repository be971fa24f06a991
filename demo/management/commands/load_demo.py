from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.network import DEMO_TOTP_KEY, DemoRefused, demo_load


class Command(BaseCommand):
    help = "Load demo cities, the 2011–2012 plan, periods, accounts and reports (only with DEBUG on)."

    def handle(self, *args, **options):
        password = settings.DEMO_PASSWORD
        try:
            result = demo_load(password=password)
        except DemoRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {result['plan']}."))
        self.stdout.write("Demo accounts (all with the password below):")
        for username in result["users"]:
            self.stdout.write(f"  {username}")
        self.stdout.write(f"Demo password: {password}")
        self.stdout.write(
            f"The secretariat account also asks for a code: add the key {DEMO_TOTP_KEY} to an authenticator app "
            "(time-based, 6 digits), or run: python manage.py demo_code")
