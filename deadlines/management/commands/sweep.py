"""manage.py sweep <name>|all — run a periodic sweep by hand, with a progress display. Safe at any time: every
sweep is idempotent, so running one that the scheduler also runs changes nothing twice."""
from django.core.management.base import BaseCommand, CommandError

from deadlines import sweeps


class Command(BaseCommand):
    help = "Run a deadline sweep by hand: " + ", ".join(sweeps.SWEEPS) + ", or all."

    def add_arguments(self, parser):
        parser.add_argument("name", choices=[*sweeps.SWEEPS, "all"])

    def handle(self, *args, name, **options):
        names = list(sweeps.SWEEPS) if name == "all" else [name]
        show = options["verbosity"] > 0
        for sweep in names:
            label = sweeps.SWEEPS[sweep][1]

            def progress(done, total, sweep=sweep):
                if show and (done == total or done % 25 == 0):
                    width = 30
                    filled = width * done // total if total else width
                    self.stdout.write(f"\r  {sweep:<15} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}",
                                      ending="")
                    self.stdout.flush()

            if show:
                self.stdout.write(f"{sweep}: {label}")
            try:
                counts, seconds = sweeps.run(sweep, progress=progress)
            except Exception as error:
                raise CommandError(f"sweep {sweep} failed: {error}") from error
            if show:
                summary = ", ".join(f"{k} {v}" for k, v in counts.items())
                self.stdout.write(f"\r  {sweep:<15} done in {seconds:.2f} s: {summary}" + " " * 20)
