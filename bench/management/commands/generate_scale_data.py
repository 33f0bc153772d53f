"""`manage.py generate_scale_data`: the city at full size for the benchmark (bench/README.md)."""

import time

from django.core.management.base import BaseCommand, CommandError

from bench.scale_data import ScaleDataError, Sizes, generate


class Command(BaseCommand):
    help = (
        "Fill an empty database with city-scale data: 500 organisations, 100,000 vacancies, "
        "500,000 applications with their stage histories, 200,000 residents, 1,000,000 "
        "campaign journeys and 50,000 saved searches at --scale 1."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1 is the full city; 0.01 a hundredth."
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed, the same data.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Replace earlier scale data. Refused when the database holds anything else.",
        )

    def handle(self, *args, scale, seed, reset, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale must be more than 0 and at most 10")
        sizes = Sizes.for_scale(scale)
        self.stdout.write(f"Scale {scale:g}, seed {seed}: {sizes}")
        started = time.perf_counter()
        try:
            generate(scale=scale, seed=seed, reset=reset, report=self.stdout.write)
        except ScaleDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Scale data written in {time.perf_counter() - started:.0f} s")
        )
