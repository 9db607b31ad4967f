import datetime

import pytest
from django.utils import timezone

from tests.conftest import SHANGHAI

TRIAL_START = datetime.datetime(2023, 4, 10, 10, 0, tzinfo=SHANGHAI)


@pytest.fixture
def trial_clock(clock):
    """A day in 2023, when the 2022 trial measures were in force."""
    clock.move_to(TRIAL_START)
    return clock


def travel(clock, day, hour=10):
    """Move the frozen clock to ``hour`` o'clock Beijing time on ``day``."""
    clock.move_to(datetime.datetime.combine(day, datetime.time(hour, 0), tzinfo=SHANGHAI))
    assert timezone.localdate() == day


def with_email(cast):
    for user in (cast.applicant, cast.reviewer, cast.officer):
        user.email = f"{user.username}@example.gov.cn"
        user.save(update_fields=["email"])
    return cast


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks run in the test's process even when REDIS_URL is set (the embedded default), so no test leaves
    messages in a shared Redis. tests/deadlines/test_worker.py overrides this to use a real worker."""
    from demozone.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved
