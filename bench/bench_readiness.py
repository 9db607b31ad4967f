"""Readiness benchmark (issue 9 item 11): live readiness on a full 41-indicator case (2022 system) with evidence for
every indicator — the engine's score of the evidence store plus every suggestion verified by scoring again —
median of several runs, printed.

Run (needs a database; uses its own test database, created and dropped):
  DJANGO_SECRET_KEY=dev DATABASE_URL=postgres://… .venv/bin/python bench/bench_readiness.py [runs]
Aim: well under a second a page."""
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "demozone.settings")
os.environ.setdefault("DJANGO_DEBUG", "1")


def main(runs=15):
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, get_runner

    runner = get_runner(settings)(verbosity=0, interactive=False)
    old = runner.setup_databases()
    try:
        _bench(runs, connection, CaptureQueriesContext)
    finally:
        runner.teardown_databases(old)


def _bench(runs, connection, CaptureQueriesContext):
    import datetime
    from decimal import Decimal

    import time_machine

    from cases.journeys import _assessment_years, drive
    from cases.workflow import State
    from creation import evidence, readiness
    from creation.models import Evidence
    from evaluation.sheets import system_for_case
    from indicators import samples, services
    from tests.conftest import SHANGHAI
    from tests.factories import cast_for, new_case

    with time_machine.travel(datetime.datetime(2023, 3, 1, 10, 0, tzinfo=SHANGHAI), tick=False) as clock:
        services.load_seed_systems()
        cast = cast_for("330100")
        case = drive(new_case(cast), State.CREATING, cast, clock)
        system = system_for_case(case)
        assert system.code == "2022" and system.indicators.count() == 41
        years = _assessment_years()
        data, benchmarks, _context = samples.full_marks(system.spec(), years=(years[0] - 1, *years))
        for key, series in benchmarks.items():
            for year, value in series.items():
                services.set_national_figure(key=key, label=key, year=year, value=value, source="基准测试", is_demo=True)
        # Evidence for all 41 indicators: every input entered, the expert items at half their points (so every
        # indicator has suggestions to verify), growth flat for one year.
        shape = evidence.indicator_inputs(system)
        points = {item.rule.input: item.points for ind in readiness.compiled_system(system).indicators
                  for item in ind.items if item.rule.kind == "expert"}
        rows, seen = [], set()
        for number, parts in shape.items():
            for key in parts["keys"]:
                if key in seen or key not in data:
                    continue
                seen.add(key)
                value = data[key]
                if key in points:
                    value = points[key] / 2
                if isinstance(value, dict):
                    for year, figure in value.items():
                        rows.append(Evidence(case=case, number=str(number), key=key, year=year, value=str(figure),
                                             source="基准测试", entered_by=cast.applicant))
                else:
                    value = [str(v) for v in value] if isinstance(value, list) else (
                        value if isinstance(value, bool) else str(value))
                    rows.append(Evidence(case=case, number=str(number), key=key, value=value, source="基准测试",
                                         entered_by=cast.applicant))
        Evidence.objects.bulk_create(rows)
        readiness.readiness(case)  # warm up (compiled system cached)
        timings, answer = [], None
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                t = time.perf_counter()
                answer = readiness.readiness(case)
                timings.append(time.perf_counter() - t)
        t = time.perf_counter()
        history = readiness.history(case)
        history_ms = (time.perf_counter() - t) * 1000
    print(f"readiness, 41 indicators (2022 system), {len(rows)} evidence entries for the inputs of all "
          f"{len(shape)} indicators")
    print(f"  total {answer['total']} / {answer['points']}, {len(answer['suggestions'])} suggestions verified, "
          f"{len(queries)} queries")
    print(f"  median of {runs} runs: {statistics.median(timings) * 1000:.1f} ms "
          f"(min {min(timings) * 1000:.1f}, max {max(timings) * 1000:.1f})")
    print(f"  history ({len(history)} month(s)): {history_ms:.1f} ms")
    assert Decimal(answer["total"]) > 0


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 15)
