"""With Redis: a real Celery worker runs the sweeps, and a worker killed in the middle of a sweep leaves every
effect happening once (acks_late → Redis hands the task to the next worker; the sweep is idempotent).

The worker is a separate process with the real clock, so the cases are made under the 2022 trial measures in
2023 (their creation periods ended long before today) and the worker lapses them today."""
import datetime
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from celery.result import allow_join_result
from django.db import connection

from cases.models import AuditEntry, Case
from cases.workflow import State
from tests.conftest import SHANGHAI

from .test_concurrency import cases_in

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.redis, pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def eager_tasks():
    """Not eager here: these tests send the tasks through Redis to a real worker."""
    yield


def start_worker(queue, log_path):
    db = connection.settings_dict
    env = {**os.environ,
           "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
           "CELERY_VISIBILITY_TIMEOUT": "3"}
    log = open(log_path, "w")  # noqa: SIM115 — closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "demozone", "worker", "--pool=solo", "-Q", queue,
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "info"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


@pytest.fixture
def queue():
    """A queue of this test's own on the shared Redis, removed afterwards with its bindings."""
    import redis

    name = f"test-{uuid.uuid4().hex}"
    yield name
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    client.delete(name, f"_kombu.binding.{name}", f"_kombu.binding_permanent.{name}")


def stop(worker, sig=signal.SIGTERM):
    if worker.poll() is None:
        os.killpg(worker.pid, sig)
        worker.wait(timeout=30)


def wait_for(condition, timeout, step=0.02):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(step)
    return False


def lapsed():
    """Cases the lapse sweep has put in SAMR's queue (办法 第九条: the termination is SAMR's decision)."""
    return AuditEntry.objects.filter(name="lapse_due").count()


@pytest.fixture
def trial_cases(call, clock):
    clock.move_to(datetime.datetime(2023, 4, 10, 10, tzinfo=SHANGHAI))
    return cases_in(State.CREATING, None, clock)


def test_a_real_worker_runs_the_lapse_sweep(trial_cases, tmp_path, clock, queue):
    from deadlines.tasks import sweep_lapses

    worker = start_worker(queue, tmp_path / "worker.log")
    try:
        result = sweep_lapses.apply_async(queue=queue)
        # Celery's join guard is one flag for the whole process: an eager task running meanwhile in another thread
        # of this test process (the browser tests' live server) may have it set. This thread is no task.
        with allow_join_result():
            outcome = result.get(timeout=60)
    finally:
        stop(worker)
    assert outcome["flagged"] == len(trial_cases), (tmp_path / "worker.log").read_text()
    assert lapsed() == len(trial_cases)


def test_a_worker_killed_mid_sweep_leaves_each_lapse_done_once(tmp_path, call, clock, queue):
    from deadlines.tasks import sweep_lapses
    from tests.deadlines import test_concurrency

    clock.move_to(datetime.datetime(2023, 4, 10, 10, tzinfo=SHANGHAI))
    from regions.models import CreationObject

    codes = list(CreationObject.objects.filter(province__code="330000").values_list("code", flat=True)) + \
        list(CreationObject.objects.filter(province__code="320000").values_list("code", flat=True))
    test_concurrency.CITIES, saved = codes[:20], test_concurrency.CITIES
    try:
        cases = cases_in(State.CREATING, None, clock)
    finally:
        test_concurrency.CITIES = saved
    first = start_worker(queue, tmp_path / "first.log")
    second = None
    try:
        sweep_lapses.apply_async(queue=queue)
        assert wait_for(lambda: lapsed() >= 1, timeout=60), (tmp_path / "first.log").read_text()
        stop(first, signal.SIGKILL)  # no warm shutdown: the task is neither finished nor acknowledged
        done_by_first = lapsed()
        assert done_by_first < len(cases), "the first worker finished before it could be killed"
        second = start_worker(queue, tmp_path / "second.log")
        assert wait_for(lambda: lapsed() == len(cases), timeout=90, step=0.5), (tmp_path / "second.log").read_text()
    finally:
        stop(first, signal.SIGKILL)
        if second is not None:
            stop(second)
    assert AuditEntry.objects.filter(name="lapse_due").count() == len(cases)
    assert all(c.audit_entries.filter(name="lapse_due").count() == 1 for c in Case.objects.all())
