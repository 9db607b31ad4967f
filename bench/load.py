"""Load: the app under gunicorn on PostgreSQL with the demo data, driven by wrk. Prints, per page, requests/s,
p50, p99 and errors (non-2xx/3xx answers and socket errors). 0 errors is the bar.

    .venv/bin/python bench/load.py                    # PostgreSQL at 127.0.0.1:5432, database demozone_bench
    LOAD_SECONDS=20 LOAD_CONNECTIONS=50 .venv/bin/python bench/load.py

Needs wrk (Debian package `wrk`; installed with apt-get when missing and running as root). The database is
created, migrated and filled with `seed_demo` the first time; gunicorn runs with DEBUG off, 2 workers × 2 threads
on 127.0.0.1 only, and is stopped at the end. Requests go to the loopback address only."""
import http.cookiejar
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PORT = int(os.environ.get("LOAD_PORT", "8765"))
BASE = f"http://127.0.0.1:{PORT}"
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/demozone_bench")
SECONDS = int(os.environ.get("LOAD_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("LOAD_CONNECTIONS", "20"))
TIMEOUT = int(os.environ.get("LOAD_TIMEOUT", "10"))
WORKERS = os.environ.get("LOAD_WORKERS", "2")
THREADS = os.environ.get("LOAD_THREADS", "2")
ENV = {**os.environ, "DATABASE_URL": DATABASE_URL, "DJANGO_DEBUG": "0", "DJANGO_HTTPS": "0",
       "DJANGO_SECRET_KEY": "load-test-only-not-a-secret", "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
       "REDIS_URL": "", "LOG_LEVEL": "WARNING", "AXES_FAILURE_LIMIT": "1000",
       # wrk sends every request from one address, standing for the many visitors of announcement day: with the
       # per-address read limit (publicity/throttle.py, 300/min in production) it would be answered 429 after its
       # first few hundred requests, and the run would measure the refusal page, not the serving. The limit is still
       # checked on every request (its cost is measured), it is just never reached. Per second, so the counter's
       # history (one entry per request in the window) stays short.
       "PUBLIC_READ_RATE": "1000000/s",
       # Static files as production serves them (collected, hashed, compressed), kept out of the work tree.
       "DJANGO_STATIC_ROOT": os.environ.get("LOAD_STATIC_ROOT", "/tmp/demozone-bench-static")}


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL)
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")


def ensure_database():
    import psycopg

    parts = urllib.parse.urlparse(DATABASE_URL)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    manage("migrate", "--no-input", "-v0")
    manage("collectstatic", "--no-input", "-v0")
    check = subprocess.run([PYTHON, "manage.py", "shell", "-c", "from cases.models import Case; print(Case.objects.count())"],
                           cwd=ROOT, env=ENV, capture_output=True, text=True, check=True)
    if int(check.stdout.split()[-1] or 0) == 0:
        manage("seed_demo", "--sheets")  # the score sheets too: bench/pagespeed.py times one


def manage(*args):
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=True, stdout=subprocess.DEVNULL)


def start_gunicorn():
    server = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "demozone.wsgi:application", "-c", str(ROOT / "gunicorn.conf.py"),
         "--bind", f"127.0.0.1:{PORT}", "--workers", WORKERS, "--threads", THREADS, "--log-level", "warning",
         "--access-logfile", "/dev/null"], cwd=ROOT, env=ENV, start_new_session=True)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/login/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    os.killpg(server.pid, signal.SIGTERM)
    sys.exit("gunicorn did not start")


def session_cookie(username, password="demo-pass-2026"):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{BASE}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode({"username": username, "password": password, "csrfmiddlewaretoken": token}).encode()
    opener.open(urllib.request.Request(f"{BASE}/login/", data=data, headers={"Referer": f"{BASE}/login/"}))
    return "; ".join(f"{c.name}={c.value}" for c in jar)


def api_token(username, password="demo-pass-2026"):
    request = urllib.request.Request(f"{BASE}/api/auth/token/", data=json.dumps(
        {"username": username, "password": password}).encode(), headers={"Content-Type": "application/json"})
    return json.loads(urllib.request.urlopen(request).read())["token"]


def a_case_id(token):
    request = urllib.request.Request(f"{BASE}/api/cases/?page_size=1", headers={"Authorization": f"Token {token}"})
    return json.loads(urllib.request.urlopen(request).read())["results"][0]["id"]


def wrk(path, header=None):
    # A request is an error when it answers non-2xx/3xx or not at all within LOAD_TIMEOUT seconds (default 10: a
    # slow answer is slow, not wrong — p99 shows it).
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", f"--timeout={TIMEOUT}s", "--latency"]
    if header:
        command += ["-H", header]
    out = subprocess.run([*command, BASE + path], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = dict(re.findall(r"\s(50|99)%\s+([\d.]+\w+)", out))
    non_2xx = int((re.search(r"Non-2xx or 3xx responses: (\d+)", out) or [0, 0])[1])
    socket = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    total = int(re.search(r"(\d+) requests in", out).group(1))
    if non_2xx or socket:
        print(f"  {path}: {non_2xx} answers not 2xx/3xx, {socket} socket errors or timeouts")
    return rps, latency.get("50", "?"), latency.get("99", "?"), non_2xx + socket, total


def main():
    ensure_wrk()
    ensure_database()
    server = start_gunicorn()
    try:
        cookie = "Cookie: " + session_cookie("officer")
        token = api_token("officer")
        case_id = a_case_id(token)
        pages = [
            ("case list (page)", "/cases/", cookie),
            ("case page", f"/cases/{case_id}/", cookie),
            ("GET /api/cases/", "/api/cases/", f"Authorization: Token {token}"),
            ("public notices (API)", "/api/public/notices/", None),
        ]
        print(f"gunicorn {WORKERS} workers × {THREADS} threads, PostgreSQL, DEBUG off; wrk {CONNECTIONS} connections, "
              f"{SECONDS} s per page, on {os.cpu_count()} cores")
        print(f"{'page':<24}{'req/s':>9}{'p50':>11}{'p99':>11}{'requests':>10}{'errors':>8}")
        failed = 0
        for label, path, header in pages:
            rps, p50, p99, errors, total = wrk(path, header)
            failed += errors
            print(f"{label:<24}{rps:>9.1f}{p50:>11}{p99:>11}{total:>10}{errors:>8}")
        print("errors: 0 — the bar is met" if failed == 0 else f"errors: {failed} — the bar (0) is NOT met")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
