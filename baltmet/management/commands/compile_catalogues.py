import polib
from django.core.management.base import BaseCommand

from baltmet.catalogues import compile_all, sources


class Command(BaseCommand):
    help = ("Compiles every locale/<lang>/LC_MESSAGES/django.po to the django.mo beside it (no GNU gettext "
            "needed). With -v 2, says how far each language's translation is.")

    def handle(self, *args, **options):
        changed = compile_all()
        if options["verbosity"] >= 1:
            self.stdout.write(f"{len(sources())} catalogues, {len(changed)} compiled anew.")
        if options["verbosity"] >= 2:
            for path in sources():
                catalogue = polib.pofile(str(path))
                self.stdout.write(
                    f"{path.parent.parent.name}: {len(catalogue.translated_entries())} translated, "
                    f"{len(catalogue.fuzzy_entries())} fuzzy, {len(catalogue.untranslated_entries())} untranslated")
