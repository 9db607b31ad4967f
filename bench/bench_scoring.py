"""Scoring benchmark (issue 3): one full 41-indicator submission (median of many runs) and 10,000 submissions.

Run: .venv/bin/python bench/bench_scoring.py   — no database; the engine is pure Python. Aim: < 1 ms a submission.
"""
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from indicators import engine  # noqa: E402
from indicators.samples import full_marks  # noqa: E402
from indicators.seeds import load_spec  # noqa: E402


def varied(data, rng):
    """A submission like the full-marks one, with rates, counts and expert scores shaken (strings, as from JSON)."""
    out = {}
    for key, value in data.items():
        if isinstance(value, bool):
            out[key] = rng.random() < 0.7
        elif isinstance(value, dict):
            out[key] = {y: str(Decimal(v) * Decimal(rng.randint(90, 110)) / 100) for y, v in value.items()}
        elif isinstance(value, int):  # counts stay whole
            out[key] = str(rng.randint(value // 2, max(value, 1)))
        elif isinstance(value, list):
            out[key] = [str(rng.randint(4, 30) * 10_000_000) for _ in range(rng.randint(0, 4))]
        else:
            out[key] = str(Decimal(str(value)) * Decimal(rng.randint(80, 100)) / 100)
    return out


def main():
    spec = load_spec("2022")
    t0 = time.perf_counter()
    system = engine.compile_system(spec)
    compile_ms = (time.perf_counter() - t0) * 1000
    data, benchmarks, context = full_marks(spec)
    assert len(system.indicators) == 41

    for _ in range(200):  # warm up
        engine.score(system, data, benchmarks, context)
    runs = []
    for _ in range(2000):
        t = time.perf_counter()
        engine.score(system, data, benchmarks, context)
        runs.append(time.perf_counter() - t)
    median_ms = statistics.median(runs) * 1000

    rng = random.Random(2026)
    submissions = [varied(data, rng) for _ in range(10_000)]
    t = time.perf_counter()
    decisions = {}
    for submission in submissions:
        result = engine.score(system, submission, benchmarks, context)
        decisions[result.decision] = decisions.get(result.decision, 0) + 1
    total_s = time.perf_counter() - t

    t = time.perf_counter()
    for submission in submissions[:1000]:
        engine.score(system, submission, benchmarks, context).as_dict()
    explain_ms = (time.perf_counter() - t)  # seconds for 1000 submissions = ms per submission

    print(f"compile 2022 system (41 indicators, once per version): {compile_ms:.2f} ms")
    print(f"one full 41-indicator submission, median of 2000 runs: {median_ms:.3f} ms")
    print(f"10,000 varied submissions: {total_s:.2f} s total, {total_s / 10:.3f} ms per submission "
          f"(decisions: {decisions})")
    print(f"score + full JSON explanation, 1000 submissions: {explain_ms:.3f} ms per submission")
    print("aim < 1 ms per submission:", "met" if total_s / 10 < 1 else "NOT met")


if __name__ == "__main__":
    main()
