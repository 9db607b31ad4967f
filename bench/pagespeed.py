"""Page speed (issue 13): every page that matters, in-process and under load, side by side with a minimal Django app.

    .venv/bin/python bench/pagespeed.py                 # in-process figures, then the load run (wrk)
    .venv/bin/python bench/pagespeed.py --no-load       # in-process figures only (the targets); cheap
    LOAD_SECONDS=5 .venv/bin/python bench/pagespeed.py  # shorter load; LOAD_DATABASE_URL names another database

Per page it prints:
- server time in-process: Django's test client through the whole middleware stack, DEBUG off, PostgreSQL with the
  demo data (`seed_demo --sheets`, made the first time as bench/load.py does), the median of 10, and the number of
  queries one request makes — twice: the first view (rendered afresh, every cache emptied before each request: what
  the first reader after a write waits for) and the repeat view, warm (3 requests first, nothing written since: the
  signed-in page cache of demozone/pagecache.py and the public cache may answer) — the figure the targets are set on;
- under load: demozone under gunicorn (gunicorn.conf.py, the production configuration) and, in the same run, the
  minimal app (bench/minimal_app.py: one view, no database, same settings style) under the same gunicorn, each
  loaded in turn by wrk with the same connections and duration: requests/s, p50, p99 and the ratio to the minimal
  app's requests/s.
A target is marked met or NOT met; the exit status is 1 when one is not met.

Targets (issue 13): case page ≤ 8 ms; every list page and home page ≤ 5 ms; GET /api/cases/ (20 rows) ≤ 3 ms; a score
sheet ≤ 15 ms; the public pages (cached) ≥ 30 % of the minimal app's requests/s under load.
The machine's CPUs may be shared: the load figures move with what else runs; the in-process medians much less.
"""
import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("LOAD_PORT", "8766")

import load  # noqa: E402  (bench/load.py: database, wrk, logins)

MINIMAL_PORT = int(os.environ.get("MINIMAL_PORT", "8767"))
RUNS = 10
WARM = 3
MS_CASE, MS_LIST, MS_API, MS_SHEET, PUBLIC_RATIO = 8.0, 5.0, 3.0, 15.0, 0.30


def setup_django():
    for key, value in load.ENV.items():
        if key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "LOG_LEVEL", "AXES_")):
            os.environ[key] = value
    os.environ["DJANGO_SETTINGS_MODULE"] = "demozone.settings"
    import django

    django.setup()


def pages():
    """(label, user or None, path, auth, target) — auth is "session", "token" or None (anonymous)."""
    from cases.models import AuditEntry, Case
    from cases.workflow import State
    from django.db.models import Count
    from django.utils import timezone
    from evaluation.models import ScoreSheet, SheetStage, SheetStatus
    from publicity.models import NoticeList

    case = (Case.objects.annotate(n=Count("audit_entries")).order_by("-n", "pk").first()
            if hasattr(Case, "audit_entries") else None)
    if case is None:
        busiest = (AuditEntry.objects.values("case").annotate(n=Count("pk")).order_by("-n", "case").first())
        case = Case.objects.get(pk=busiest["case"])
    evaluated = Case.objects.filter(state=State.UNDER_EVALUATION).order_by("pk").first()
    sheet = (ScoreSheet.objects.filter(case=evaluated, stage=SheetStage.EXPERT, status=SheetStatus.SUBMITTED)
             .order_by("pk").first())
    # A notice still running: its page carries the objection form and a captcha challenge per visitor (one INSERT
    # each, also when served from the public cache); an ended one only if none runs.
    running = NoticeList.objects.filter(first_day__lte=timezone.localdate(), last_day__gte=timezone.localdate())
    listing = running.order_by("-pk").first() or NoticeList.objects.order_by("-pk").first()
    rows = [
        ("case page", "officer", f"/cases/{case.pk}/", "session", ("ms", MS_CASE)),
        ("case list", "officer", "/cases/", "session", ("ms", MS_LIST)),
        ("home: applicant", "applicant", "/", "session", ("ms", MS_LIST)),
        ("home: reviewer", "reviewer", "/", "session", ("ms", MS_LIST)),
        ("home: officer", "officer", "/", "session", ("ms", MS_LIST)),
        ("home: expert", "expert", "/", "session", ("ms", MS_LIST)),
        ("home: admin", "admin", "/", "session", ("ms", MS_LIST)),
        ("home: anonymous", None, "/", None, ("ms", MS_LIST)),
    ]
    if sheet:
        rows.append(("score sheet", "officer", f"/cases/{evaluated.pk}/score-sheets/{sheet.pk}/", "session",
                     ("ms", MS_SHEET)))
    if evaluated:
        rows.append(("finalise page", "officer", f"/cases/{evaluated.pk}/score-sheets/finalise/", "session", None))
    rows.append(("GET /api/cases/", "officer", "/api/cases/", "token", ("ms", MS_API)))
    rows.append(("public notices", None, "/public/notices/", None, ("ms", MS_LIST)))
    if listing:
        rows.append(("public notice", None, f"/public/notices/{listing.pk}/", None, ("ms", MS_LIST)))
    rows.append(("public zones", None, "/public/zones/", None, ("ms", MS_LIST)))
    rows.append(("public notices (API)", None, "/api/public/notices/", None, None))
    return rows


def in_process(rows):
    """{label: (first view, repeat view)}, each (median ms, median CPU ms of this process, queries, status), through
    Django's test client. The first view is rendered afresh (the cache emptied before each request: what the first
    visitor after a write waits for); the repeat view is the same request again with nothing written in between (the
    page and public caches, demozone/pagecache.py and publicity/cache.py, may answer). The CPU figure leaves out the
    time spent waiting — on PostgreSQL, and on other processes when the cores are shared."""
    from django.core.cache import cache
    from django.test import Client
    from accounts.models import User
    from knox.models import AuthToken

    results, tokens = {}, []
    try:
        for label, username, path, auth, _target in rows:
            client, extra = Client(HTTP_HOST="127.0.0.1"), {}
            if auth == "session":
                client.force_login(User.objects.get(username=username))
            elif auth == "token":
                instance, token = AuthToken.objects.create(User.objects.get(username=username))
                tokens.append(instance.pk)
                extra = {"HTTP_AUTHORIZATION": f"Token {token}"}
            for _ in range(WARM):
                client.get(path, **extra)
            results[label] = (_timed(client, path, extra, before=cache.clear), _timed(client, path, extra))
    finally:
        AuthToken.objects.filter(pk__in=tokens).delete()
    return results


def _timed(client, path, extra, before=None):
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    if before:
        before()
    reset_queries()  # the handler clears the log at each request's start (request_started)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, **extra)
    count = len(queries)
    times, cpu = [], []
    for _ in range(RUNS):
        if before:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        client.get(path, **extra)
        times.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return statistics.median(times), statistics.median(cpu), count, response.status_code


def start_minimal():
    env = {**load.ENV, "DJANGO_SETTINGS_MODULE": ""}
    server = subprocess.Popen(
        [load.PYTHON, "-m", "gunicorn", "bench.minimal_app:application", "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{MINIMAL_PORT}", "--workers", load.WORKERS, "--threads", load.THREADS,
         "--log-level", "warning", "--access-logfile", "/dev/null"], cwd=ROOT, env=env, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{MINIMAL_PORT}/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit("the minimal app did not start under gunicorn")


def stop(server):
    os.killpg(server.pid, signal.SIGTERM)
    server.wait(timeout=30)


def under_load(rows):
    """{label: (rps, p50, p99, errors)} and the minimal app's (rps, p50, p99, errors)."""
    minimal = start_minimal()
    try:
        base, load.BASE = load.BASE, f"http://127.0.0.1:{MINIMAL_PORT}"
        rps, p50, p99, errors, _ = load.wrk("/")
        load.BASE = base
        yardstick = (rps, p50, p99, errors)
    finally:
        stop(minimal)
    server = load.start_gunicorn()
    results = {}
    try:
        cookies = {}
        token = load.api_token("officer")
        for label, username, path, auth, _target in rows:
            if auth == "session" and username not in cookies:
                cookies[username] = "Cookie: " + load.session_cookie(username)
            header = (cookies[username] if auth == "session" else
                      f"Authorization: Token {token}" if auth == "token" else None)
            rps, p50, p99, errors, _ = load.wrk(path, header)
            results[label] = (rps, p50, p99, errors)
    finally:
        stop(server)
    return results, yardstick


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--no-load", action="store_true", help="in-process figures only (no gunicorn, no wrk)")
    parser.add_argument("--only", help="only the pages whose label contains this text")
    args = parser.parse_args()
    if not args.no_load:
        load.ensure_wrk()
    load.ensure_database()
    setup_django()
    rows = [row for row in pages() if not args.only or args.only in row[0]]
    from captcha.models import CaptchaStore

    # Every read of a running notice's page makes a captcha challenge (a row): the run's own are removed after it
    # (they would expire in CAPTCHA_TIMEOUT minutes anyway), leaving the database as it found it.
    last_challenge = CaptchaStore.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        timed = in_process(rows)
        loaded, yardstick = ({}, None) if args.no_load else under_load(rows)
    finally:
        CaptchaStore.objects.filter(pk__gt=last_challenge).delete()

    print(f"demozone on PostgreSQL ({load.DATABASE_URL.rsplit('/', 1)[-1]}), demo data, DEBUG off; "
          f"in-process: test client, warm, median of {RUNS}")
    if yardstick:
        print(f"under load: gunicorn {load.WORKERS} workers × {load.THREADS} threads, wrk {load.CONNECTIONS} "
              f"connections × {load.SECONDS} s per page, {os.cpu_count()} cores; minimal app: "
              f"{yardstick[0]:.0f} req/s, p50 {yardstick[1]}, p99 {yardstick[2]}")
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (above the core count, every wall-clock "
          f"figure is inflated by waiting for a core: see the CPU column)")
    print("first view: rendered afresh (nothing kept); repeat: the same request again, nothing written since — the "
          "targets are on the repeat view (warm)")
    print(f"{'':<22}{'---- first view ----':>22}  {'------ repeat ------':>22}")
    print(f"{'page':<22}{'ms':>7}{'cpu ms':>7}{'queries':>8}  {'ms':>7}{'cpu ms':>7}{'queries':>8}{'req/s':>9}{'p50':>10}"
          f"{'p99':>10}{'ratio':>7}  target")
    unmet = 0
    for label, _user, path, _auth, target in rows:
        (first_ms, first_cpu, first_queries, _status), (ms, cpu, queries, status) = timed[label]
        rps, p50, p99, errors = loaded.get(label, (None, "", "", 0))
        ratio = rps / yardstick[0] if rps is not None and yardstick else None
        verdicts = []
        if status != 200:
            verdicts.append(f"answered {status} — NOT met")
            unmet += 1
        if target:
            ok = ms <= target[1]
            verdicts.append(f"≤ {target[1]:g} ms {'met' if ok else 'NOT met'}")
            unmet += not ok
        if label.startswith("public") and "API" not in label and yardstick:
            ok = ratio >= PUBLIC_RATIO
            verdicts.append(f"≥ {PUBLIC_RATIO:.0%} of minimal {'met' if ok else 'NOT met'}")
            unmet += not ok
        if errors:
            verdicts.append(f"{errors} errors under load")
            unmet += 1
        print(f"{label:<22}{first_ms:>7.1f}{first_cpu:>7.1f}{first_queries:>8}  {ms:>7.1f}{cpu:>7.1f}{queries:>8}"
              f"{'' if rps is None else f'{rps:.0f}':>9}{p50:>10}{p99:>10}"
              f"{'' if ratio is None else f'{ratio:.1%}':>7}  {'; '.join(verdicts) or '—'}")
    print("every target met" if not unmet else f"{unmet} target(s) NOT met")
    return 1 if unmet else 0


if __name__ == "__main__":
    sys.exit(main())
