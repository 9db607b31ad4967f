"""Benchmark: one sweep over 10,000 cases — seconds and number of queries. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_sweep.py            # a throwaway SQLite database in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/demozone_bench .venv/bin/python bench/bench_sweep.py
    BENCH_CASES=50000 .venv/bin/python bench/bench_sweep.py

The cases are written in bulk (one creation object each, states spread over the legal order) and about 3 % of
them need something today: a creation window over (lapse), a notice past its last day (close), a deadline 30, 7
or 1 days away (reminder), a 2022-measures zone with last year's report missing (overdue). Each sweep runs
twice: the first run does the work, the second finds nothing left — its query count is the cost of selection
alone, the same whatever the number of cases.
"""
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/demozone-bench-sweep.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demozone.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "0")
os.environ.pop("REDIS_URL", None)  # tasks in-process; e-mail to the locmem outbox

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

N = int(os.environ.get("BENCH_CASES", 10_000))


class QueryCounter:
    """Counts every query on the default connection (no cap, unlike connection.queries)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def main():
    import logging

    logging.getLogger("celery").setLevel(logging.WARNING)
    setup_test_environment()  # locmem e-mail backend
    db_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        run()
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)


def build(today):
    """N cases in bulk. Returns how many of each kind need something today."""
    import datetime

    from accounts.models import Organisation, OrganisationKind, Role, User
    from applications.models import ApplicationCall
    from cases.models import Case
    from cases.workflow import State
    from designation.models import AnnualReport
    from publicity.models import Notice
    from regions.models import CreationObject, CreationObjectKind, Province
    from rulesets.models import RuleSet

    day = datetime.timedelta(days=1)
    samr = Organisation.objects.create(kind=OrganisationKind.SAMR, name="总局（基准测试）")
    officer = User.objects.create_user("officer", password="x", role=Role.SAMR_OFFICER, organisation=samr,
                                       email="officer@example.gov.cn")
    provinces = list(Province.objects.order_by("code")[:10])
    for p in provinces:
        org = Organisation.objects.create(kind=OrganisationKind.PROVINCE, province=p, name=f"{p.name}局（基准）")
        User.objects.create_user(f"reviewer-{p.code}", password="x", role=Role.PROVINCIAL_REVIEWER, organisation=org)
    objects = CreationObject.objects.bulk_create([
        CreationObject(code=f"9{i:05d}", name=f"基准市{i:05d}", province=provinces[i % len(provinces)],
                       kind=CreationObjectKind.PREFECTURE_CITY) for i in range(N)])
    current, trial = RuleSet.objects.get(code="current"), RuleSet.objects.get(code="trial-2022")
    grace = datetime.timedelta(days=current.evaluation_grace_days)
    call = ApplicationCall.objects.create(title="基准测试通知", year=today.year, opens_on=today - 30 * day,
                                          submission_deadline=today + 90 * day,
                                          recommendation_deadline=today + 120 * day, created_by=officer)

    def case(i, state, rules=current, **fields):
        return Case(reference=f"B-{i:06d}", creation_object=objects[i], rule_set=rules, title="基准案件",
                    created_by=officer, state=state, **fields)

    need = {"lapse": 0, "close": 0, "remind": 0, "overdue": 0}
    cases = []
    for i in range(N):
        slot = i % 100
        if slot == 0:      # the evaluation window closed yesterday → lapse
            cases.append(case(i, State.CREATING, creation_start=today - 4000 * day,
                              creation_end=today - grace - day))
            need["lapse"] += 1
        elif slot == 1:    # a notice whose last day was yesterday → close
            cases.append(case(i, State.IN_PUBLICITY))
            need["close"] += 1
        elif slot == 2:    # the creation period ends in 7 days → reminder
            cases.append(case(i, State.CREATING, creation_start=today - 900 * day, creation_end=today + 7 * day))
            need["remind"] += 1
        elif slot == 3:    # a 2022-measures zone that never reported on last year → overdue
            cases.append(case(i, State.DESIGNATED, rules=trial, designated_on=today.replace(year=today.year - 1)))
            need["overdue"] += 1
        elif slot < 60:    # creating, nothing due for a long time
            cases.append(case(i, State.CREATING, creation_start=today - 100 * day, creation_end=today + 900 * day))
        elif slot < 75:    # drafts of the current call, its deadline 90 days away
            cases.append(case(i, State.DRAFT, call=call))
        elif slot < 85:    # a notice running for another 10 days
            cases.append(case(i, State.IN_PUBLICITY))
        elif slot < 92:    # zones under the current measures (no dated annual report)
            cases.append(case(i, State.DESIGNATED, designated_on=today - 400 * day))
        else:              # closed cases
            cases.append(case(i, State.LAPSED if slot % 2 else State.WITHDRAWN))
    Case.objects.bulk_create(cases, batch_size=2000)
    cases = list(Case.objects.order_by("pk"))
    notices = []
    for i, c in enumerate(cases):
        if c.state == State.IN_PUBLICITY:
            last = today - day if i % 100 == 1 else today + 10 * day
            notices.append(Notice(case=c, first_day=last - 14 * day, last_day=last, published_by=officer))
    Notice.objects.bulk_create(notices, batch_size=2000)
    # Zones under the 2022 measures that did report: nothing overdue for them.
    reported = [c for i, c in enumerate(cases) if c.state == State.DESIGNATED and i % 100 != 3]
    AnnualReport.objects.bulk_create([
        AnnualReport(case=c, year=y, due_on=today, submitted_at=django.utils.timezone.now(), submitted_by=officer)
        for c in reported for y in range(c.designated_on.year, today.year + 1)], batch_size=2000)
    return need


def run():
    import datetime

    import time_machine

    from deadlines import sweeps

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    shanghai = datetime.timezone(datetime.timedelta(hours=8))
    with time_machine.travel(datetime.datetime(2030, 6, 2, 9, 0, tzinfo=shanghai), tick=False):
        today = django.utils.timezone.localdate()
        started = time.monotonic()
        need = build(today)
        print(f"{N} cases built in {time.monotonic() - started:.1f} s on {connection.vendor}; "
              f"needing something today: {need}")
        print(f"{'sweep':<15} {'run':<7} {'seconds':>8} {'queries':>8}  result")
        for name in ["lapses", "notices", "reminders", "annual_reports", "email"]:
            for run_no in ("first", "again"):
                queries = QueryCounter()
                with connection.execute_wrapper(queries):
                    counts, seconds = sweeps.run(name)
                print(f"{name:<15} {run_no:<7} {seconds:>8.2f} {queries.count:>8}  {counts}")


if __name__ == "__main__":
    main()
