"""Import an indicator-system version from JSON or XLSX as a draft (optionally publish it)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators import io, services


class Command(BaseCommand):
    help = "Import a version (.json or .xlsx). A bad file is rejected with row/column errors; nothing changes."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--publish", action="store_true", help="publish after importing")
        parser.add_argument("--dry-run", action="store_true", help="validate and show findings only")

    def handle(self, *args, path, publish, dry_run, **options):
        data = Path(path).read_bytes()
        try:
            spec = io.read_xlsx(data) if path.lower().endswith(".xlsx") else io.read_json(data)
            if dry_run:
                from indicators.engine import validate_system
                findings = validate_system(spec)
            else:
                system, findings = services.import_system(spec=spec)
                if publish:
                    services.publish_system(system=system)
        except io.ImportRejected as exc:
            raise CommandError("导入被拒绝，未做任何改动：\n" + "\n".join(exc.errors)) from None
        for finding in findings:
            self.stdout.write(self.style.WARNING(str(finding)))
        verb = "checked" if dry_run else ("imported and published" if publish else "imported as draft")
        self.stdout.write(self.style.SUCCESS(f"{spec['code']}: {verb}"))
