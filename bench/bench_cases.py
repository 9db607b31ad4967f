"""Benchmark: the case list API and a state-machine move. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_cases.py            # a throwaway SQLite database in /tmp
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/demozone_bench .venv/bin/python bench/bench_cases.py

It creates 300 cases (one per creation object), then measures GET /api/cases/ (page of 100) and
GET /api/cases/{id}/history/, and the median time of a move (submit → recommend → approve) per case.
"""
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/demozone-bench.sqlite3")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demozone.settings")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret")
os.environ.setdefault("DJANGO_HTTPS", "0")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

N = int(os.environ.get("BENCH_CASES", 300))


def main():
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    db_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    settings.MEDIA_ROOT = Path("/tmp/demozone-bench-media")
    try:
        run()
    finally:
        connection.creation.destroy_test_db(db_name, verbosity=0)


def run():
    import datetime

    import time_machine
    from rest_framework.test import APIClient

    from accounts.models import Organisation, OrganisationKind, Role, User
    from applications.models import ApplicationCall
    from cases.journeys import Cast, act, create_case_for
    from regions.models import CreationObject, Province

    samr = Organisation.objects.create(kind=OrganisationKind.SAMR, name="总局（基准测试）")
    officer = User.objects.create_user("officer", password="x", role=Role.SAMR_OFFICER, organisation=samr)
    start = datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    with time_machine.travel(start, tick=False) as clock:
        call = ApplicationCall.objects.create(title="基准测试通知", year=2026, opens_on=datetime.date(2026, 3, 1),
                                              submission_deadline=datetime.date(2026, 5, 31),
                                              recommendation_deadline=datetime.date(2026, 6, 30), created_by=officer)
        reviewers = {}
        move_times = []
        objects = list(CreationObject.objects.select_related("province").order_by("code")[:N])
        for obj in objects:
            province = obj.province
            if province.pk not in reviewers:
                org = Organisation.objects.create(kind=OrganisationKind.PROVINCE, province=province,
                                                  name=f"{province.name}局（基准测试）")
                reviewers[province.pk] = User.objects.create_user(f"r{province.code}", password="x",
                                                                  role=Role.PROVINCIAL_REVIEWER, organisation=org)
            org = Organisation.objects.create(kind=OrganisationKind.CREATION_OBJECT, creation_object=obj,
                                              name=f"{obj}（基准测试）")
            applicant = User.objects.create_user(f"a{obj.code}", password="x", role=Role.APPLICANT, organisation=org)
            cast = Cast(applicant=applicant, reviewer=reviewers[province.pk], officer=officer)
            case = create_case_for(cast, call)
            for name in ("submit", "recommend", "approve_creation"):
                t0 = time.perf_counter()
                case = act(case, name, cast, clock)
                move_times.append(time.perf_counter() - t0)
    client = APIClient()
    client.force_authenticate(officer)
    timings, queries = [], 0
    for _ in range(20):
        executed = []
        with connections["default"].execute_wrapper(lambda execute, sql, *a: executed.append(sql) or execute(sql, *a)):
            t0 = time.perf_counter()
            response = client.get("/api/cases/?page_size=100")
            timings.append(time.perf_counter() - t0)
        queries = len(executed)
        assert response.status_code == 200
    history_timings = []
    for _ in range(20):
        t0 = time.perf_counter()
        client.get(f"/api/cases/{case.pk}/history/")
        history_timings.append(time.perf_counter() - t0)
    vendor = connections["default"].vendor
    print(f"database: {vendor}; cases: {len(objects)}")
    print(f"move (with guards, stage record, audit entry), median: {statistics.median(move_times) * 1000:.1f} ms "
          f"over {len(move_times)} moves")
    print(f"GET /api/cases/?page_size=100 of {response.json()['count']}: median "
          f"{statistics.median(timings) * 1000:.1f} ms, {queries} queries")
    print(f"GET /api/cases/{{id}}/history/: median {statistics.median(history_timings) * 1000:.1f} ms")
    call_command("check", verbosity=0)


if __name__ == "__main__":
    main()
