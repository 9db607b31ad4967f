"""Load the two seed indicator systems (and, with --demo-benchmarks, demo national figures). Safe to re-run."""
from django.core.management.base import BaseCommand

from indicators import services


class Command(BaseCommand):
    help = "Load the 2022 system (seed 004, published) and the current draft (seed 001, draft); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--demo-benchmarks", action="store_true",
                            help="also load demo national figures, labelled 演示数据 (never over real figures)")

    def handle(self, *args, **options):
        for code, outcome in services.load_seed_systems().items():
            style = self.style.WARNING if outcome == "differs" else self.style.SUCCESS
            note = "（已存版本与种子不同，未改动）" if outcome == "differs" else ""
            self.stdout.write(style(f"{code}: {outcome}{note}"))
        if options["demo_benchmarks"]:
            count = services.load_demo_benchmarks()
            self.stdout.write(self.style.SUCCESS(f"演示数据 national figures: {count}"))
