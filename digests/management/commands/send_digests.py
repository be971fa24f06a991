import re

from django.core.management.base import BaseCommand, CommandError

from digests import services
from notifications.models import OutboxMessage
from notifications.services import outbox_send
from ops.progress import progress

PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$")


class Command(BaseCommand):
    help = (
        "Send the current period's digests to everybody due (what beat does on the first Monday of the "
        "month), sending in this process. Nobody receives a period's digest twice unless --period is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Print who would get which digest; change nothing.")
        parser.add_argument("--only", metavar="EMAIL", help="Only the person with this email address.")
        parser.add_argument(
            "--period", metavar="KEY",
            help="Send the digest of this period (2026-11 or 2026-Q4) again, on purpose, as a new copy.",
        )

    def handle(self, *args, dry_run=False, only=None, period=None, **options):
        if period and not PERIOD.match(period):
            raise CommandError("--period must look like 2026-11 (a month) or 2026-Q4 (a quarter).")
        due = services.digests_plan(only_email=only, period=period)
        if only and not due:
            raise CommandError(f"{only} gets no digest (no such active person, or their digest is switched off).")
        if dry_run:
            for user, frequency, key in due:
                self.stdout.write(f"{user.email}\t{frequency}\t{key}\t{user}")
            self.stdout.write(f"{len(due)} digest(s) would be sent (dry run: nothing was changed).")
            return
        planned = services.digests_fan_out(only_email=only, period=period, queue=False)
        counts = {}
        for item in progress(planned, command=self, desc="Sending digests", unit="email"):
            message = item.message
            if message.status != OutboxMessage.Status.PENDING:
                outcome = f"already {message.status}"
            else:
                result = outbox_send(message_id=message.pk)
                outcome = result.outcome + (f" ({result.error})" if result.error else "")
            counts[outcome.split(" (")[0]] = counts.get(outcome.split(" (")[0], 0) + 1
            self.stdout.write(f"{message.to}\t{message.key}\t{outcome}")
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items())) or "nobody is due"
        self.stdout.write(self.style.SUCCESS(f"Done: {summary}."))
