"""Celery task of the creation period: the milestone sweep (creation.milestones), a thin call through the sweep
registry (deadlines.sweeps) like the engine's own tasks; idempotent, so a redelivered task changes nothing twice."""
from celery import shared_task


@shared_task(name="creation.sweep_milestones")
def sweep_milestones():
    from deadlines import sweeps

    counts, seconds = sweeps.run("milestones")
    return {"sweep": "milestones", "seconds": round(seconds, 3), **counts}
