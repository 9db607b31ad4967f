"""Remove uploaded files that no document names — left by a process that died between writing a file and
committing its act. Only files older than --minutes (default 60) are touched, so an upload in flight is safe."""
import datetime
import os

from django.conf import settings
from django.core.management.base import BaseCommand

from documents.models import Document


class Command(BaseCommand):
    help = "Remove uploaded files under MEDIA_ROOT/cases that no document row names (older than --minutes)."

    def add_arguments(self, parser):
        parser.add_argument("--minutes", type=int, default=60)
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, minutes, dry_run, **options):
        root = os.path.join(settings.MEDIA_ROOT, "cases")
        cutoff = datetime.datetime.now().timestamp() - minutes * 60
        known = set(Document.objects.values_list("file", flat=True))
        removed = 0
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = os.path.join(folder, name)
                relative = os.path.relpath(path, settings.MEDIA_ROOT).replace(os.sep, "/")
                if relative in known or os.path.getmtime(path) > cutoff:
                    continue
                removed += 1
                if not dry_run:
                    os.remove(path)
        self.stdout.write(f"{'would remove' if dry_run else 'removed'} {removed} orphaned file(s)")
