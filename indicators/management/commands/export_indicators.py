"""Export a stored version as JSON or XLSX (by the file's extension)."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from indicators import io
from indicators.models import IndicatorSystem


class Command(BaseCommand):
    help = "Export a version: export_indicators <code> <path.json|path.xlsx>"

    def add_arguments(self, parser):
        parser.add_argument("code")
        parser.add_argument("path")

    def handle(self, *args, code, path, **options):
        system = IndicatorSystem.objects.filter(code=code).first()
        if system is None:
            raise CommandError(f"没有版本代码为“{code}”的指标体系")
        spec = system.spec()
        if path.lower().endswith(".xlsx"):
            Path(path).write_bytes(io.write_xlsx(spec))
        else:
            Path(path).write_text(io.write_json(spec), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"{code} → {path}"))
