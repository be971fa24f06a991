import time
from functools import partial

from django.core.management.base import BaseCommand, CommandError

from demo.load_data import LoadDataRefused, load_data_generate
from ops.progress import progress


class Command(BaseCommand):
    help = (
        "Fill an empty database with a generated network for benchmarks: at scale 1, 11 cities, 3 plans "
        "(4 focus areas × 15 action points each), half-yearly periods over 6 years, ~4,000 reports with "
        "history, 200 people, 50 initiatives, 10 indicators. --scale N multiplies the years (not the cities)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Multiple of the base size (fractions allowed).")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the random generator (same seed, same data).")
        parser.add_argument("--end-year", type=int, default=None, help="Year the last plan ends (default: this year).")

    def handle(self, *args, scale, seed, end_year, **options):
        started = time.perf_counter()
        try:
            counts = load_data_generate(scale=scale, seed=seed, end_year=end_year, log=self.stdout.write,
                                         progress=partial(progress, command=self))
        except LoadDataRefused as error:
            raise CommandError(str(error)) from None
        for name, count in sorted(counts.items()):
            self.stdout.write(f"  {name:24} {count:>9}")
        self.stdout.write(self.style.SUCCESS(
            f"Load data at scale {scale:g} (seed {seed}) written in {time.perf_counter() - started:.1f} s."
        ))
