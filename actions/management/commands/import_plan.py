from functools import partial
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from actions import services
from actions.models import ActionPlan
from actions.plan_text import PlanFormatError, decode_plan, parse_plan
from ops.progress import progress


class Command(BaseCommand):
    help = "Create or update an action plan from its text (see actions/plan_text.py for the format)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The plan as a UTF-8 text file.")
        parser.add_argument(
            "--status", choices=ActionPlan.Status.values,
            help="Set the plan's status (a new plan is a draft unless this says otherwise).",
        )

    def handle(self, *args, file: Path, status=None, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"{file}: cannot read the file ({error.strerror})") from None
        try:
            parsed = parse_plan(decode_plan(data))
        except PlanFormatError as error:
            raise CommandError(f"{file}: {error}; nothing was imported") from None

        result = services.plan_import(parsed=parsed, status=status, progress=partial(progress, command=self))
        points = sum(len(area.points) for area in parsed.areas)
        if result.changed:
            self.stdout.write(self.style.SUCCESS(
                f"Imported {result.plan}: {len(parsed.areas)} focus areas, {points} action points "
                f"({len(result.created)} created, {len(result.updated)} updated)."
            ))
            for line in result.updated:
                self.stdout.write(f"  updated {line}")
        else:
            self.stdout.write(f"{result.plan} is already up to date; nothing changed.")
        for label in result.not_in_file:
            self.stdout.write(self.style.WARNING(f"  {label} is not in the file; left as it is."))
