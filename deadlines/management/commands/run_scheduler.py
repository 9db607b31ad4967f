"""manage.py run_scheduler — the embedded default's scheduler: runs the beat schedule (settings.
CELERY_BEAT_SCHEDULE) in this process, calling each due task directly, so deadlines are kept with no Redis and
no worker. scripts/run starts it beside runserver. With Redis, run `celery beat` and a worker instead (running
both does no harm: every sweep is idempotent).

It runs every sweep once at start (catching up whatever fell due while it was stopped), then wakes every
--tick seconds and runs the entries that are due. A sweep that raises is logged and retried when next due."""
import datetime
import logging
import signal
import time

from celery.schedules import schedule as interval_schedule
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils import timezone

log = logging.getLogger("deadlines.scheduler")


def _as_schedule(value):
    if isinstance(value, (int, float)):
        value = datetime.timedelta(seconds=value)
    if isinstance(value, datetime.timedelta):
        return interval_schedule(run_every=value)
    return value  # a celery schedule already (crontab, solar …)


class Command(BaseCommand):
    help = "Run the periodic sweeps in-process (no broker needed)."

    def add_arguments(self, parser):
        parser.add_argument("--tick", type=float, default=30.0, help="seconds between checks (default 30)")
        parser.add_argument("--once", action="store_true", help="run every entry once and exit")

    def handle(self, *args, tick, once, **options):
        from demozone.celery import app

        app.loader.import_default_modules()
        entries = {name: (entry["task"], _as_schedule(entry["schedule"]), entry.get("args", ()))
                   for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
        last_run = dict.fromkeys(entries)
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        self.stdout.write(f"run_scheduler: {len(entries)} entries, checking every {tick:g} s")
        try:
            while not stopping:
                for name, (task_name, sched, task_args) in entries.items():
                    if stopping:
                        break
                    if last_run[name] is not None and not sched.is_due(last_run[name]).is_due:
                        continue
                    last_run[name] = timezone.now()
                    if not connection.in_atomic_block:  # (tests run the command inside a transaction)
                        close_old_connections()  # a long-lived loop must not keep a dead connection
                    try:
                        result = app.tasks[task_name].apply(args=task_args, throw=True).get()
                        log.info("%s: %s", name, result)
                    except Exception:
                        log.exception("sweep %s failed; it runs again when next due", name)
                if once:
                    break
                deadline = time.monotonic() + tick
                while not stopping and time.monotonic() < deadline:
                    time.sleep(min(1.0, tick))
        except KeyboardInterrupt:
            self.stdout.write("run_scheduler: interrupted")  # Ctrl-C stops it like SIGTERM
        self.stdout.write("run_scheduler: stopped")
