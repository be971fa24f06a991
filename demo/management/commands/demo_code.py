from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Print the code the demo Secretariat's authenticator shows now (only with DEBUG on)."

    def handle(self, *args, **options):
        from base64 import b32decode

        from django_otp.oath import TOTP

        from demo.network import DEMO_TOTP_KEY

        if not settings.DEBUG:
            raise CommandError("Demo codes exist only with DEBUG on.")
        self.stdout.write(f"{TOTP(b32decode(DEMO_TOTP_KEY)).token():06d}")
