"""Shared fixtures. Tests that need a real PostgreSQL or Redis are marked and skip elsewhere with the reason."""
import datetime
import os

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from tests.factories import CallFactory, UserFactory, cast_for

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
# A Monday in March 2026: the demo call is open, nothing is late.
START = datetime.datetime(2026, 3, 2, 10, 0, tzinfo=SHANGHAI)


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "postgres" in item.keywords and "postgres" not in os.environ.get("DATABASE_URL", ""):
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://… (CI does)"))
        if "redis" in item.keywords and not os.environ.get("REDIS_URL"):
            item.add_marker(pytest.mark.skip(reason="needs Redis: set REDIS_URL=redis://… (CI does)"))


@pytest.fixture
def clock():
    """Time frozen at START; tests and journeys move it forward with clock.move_to / clock.shift."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


@pytest.fixture
def call(db, clock):
    return CallFactory()


@pytest.fixture
def cast(db, clock):
    """Applicant of 杭州市, reviewer of 浙江省, a SAMR officer and an expert."""
    return cast_for("330100")


@pytest.fixture
def other_cast(db, clock):
    """The same roles for 南京市 in 江苏省 — another province."""
    return cast_for("320100")


@pytest.fixture
def is_postgres():
    return connection.vendor == "postgresql"


__all__ = ["UserFactory", "timezone"]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2's deliberate slowness is for production logins, not for thousands of test users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_cache(settings):
    # Each test its own cache: throttling counters in a shared Redis would leak from one run into the next.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _no_challenges_made_ahead():
    # The captcha challenges made ahead for pages served from the public cache (publicity.cache.challenges) are
    # rows of this test's database: none may be handed out in the next test, whose database does not have them.
    yield
    from publicity.cache import challenges

    challenges.reset()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    # Uploaded files go to a per-test folder, so no test leaves files behind in the work tree.
    settings.MEDIA_ROOT = tmp_path / "media"


def reload_reference_data():
    """The data migrations' reference rows (regions, rule sets …). A transactional test's flush empties every
    table; the loaders are idempotent, so the next such test puts the rows back."""
    from regions import loader as region_loader
    from regions.models import CreationObject, Province
    from rulesets import loader as rule_set_loader
    from rulesets.models import RuleSet

    if not Province.objects.exists():
        region_loader.load(Province, CreationObject)
    if not RuleSet.objects.exists():
        rule_set_loader.load(RuleSet)
    for hook in RELOADERS:
        hook()


RELOADERS = []  # other apps' reference loaders (append a zero-argument callable)


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    marker = request.node.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction"):
        request.getfixturevalue("transactional_db")
        reload_reference_data()


@pytest.fixture(autouse=True)
def eager_tasks():
    """Tasks run in the test's process even when REDIS_URL is set, so no test leaves messages in a shared Redis.
    tests/deadlines/test_worker.py overrides this fixture to use a real worker."""
    from demozone.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


# The public objection form's captcha (django-simple-captcha) in its test mode: the answer "PASSED" is accepted.
# Post CAPTCHA_PASSES with the form in a test that uses the captcha_test_mode fixture.
CAPTCHA_PASSES = {"captcha_0": "test-key", "captcha_1": "PASSED"}


@pytest.fixture
def captcha_test_mode(monkeypatch):
    from captcha.conf import settings as captcha_settings

    monkeypatch.setattr(captcha_settings, "CAPTCHA_TEST_MODE", True)
