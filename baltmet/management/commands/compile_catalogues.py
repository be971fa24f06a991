from django.core.management.base import BaseCommand

from baltmet.catalogues import compile_all, sources


class Command(BaseCommand):
    help = "Compiles every locale/<lang>/LC_MESSAGES/django.po to the django.mo beside it (no GNU gettext needed)."

    def handle(self, *args, **options):
        changed = compile_all()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(sources())} catalogues, {len(changed)} compiled anew.")
