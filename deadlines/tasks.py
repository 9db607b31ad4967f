"""Celery tasks: each is a thin call of one sweep (deadlines.sweeps). The beat schedule is in settings
(CELERY_BEAT_SCHEDULE); every sweep is idempotent, so a redelivered task (acks_late, a worker killed mid-task)
changes nothing that already happened."""
from celery import shared_task

from . import sweeps


def _run(name):
    counts, seconds = sweeps.run(name)
    return {"sweep": name, "seconds": round(seconds, 3), **counts}


@shared_task(name="deadlines.sweep_lapses")
def sweep_lapses():
    return _run("lapses")


@shared_task(name="deadlines.sweep_late_reviews")
def sweep_late_reviews():
    return _run("late_reviews")


@shared_task(name="deadlines.sweep_notices")
def sweep_notices():
    return _run("notices")


@shared_task(name="deadlines.sweep_reminders")
def sweep_reminders():
    return _run("reminders")


@shared_task(name="deadlines.sweep_annual_reports")
def sweep_annual_reports():
    return _run("annual_reports")
