"""gunicorn's configuration for demozone (read by `gunicorn -c gunicorn.conf.py`; the Dockerfile and bench/ use it).

Workers and threads for the machine (issue 13): the app is CPU-bound in Python (templates, serializers) with short
waits on PostgreSQL, so one worker process per core does the work and two threads per worker fill the waits on the
database without multiplying memory. On the 2-core reference machine that is 2 workers × 2 threads; on a bigger
one, one per core. Override with WEB_CONCURRENCY (gunicorn's own name for it) / GUNICORN_THREADS, or --workers /
--threads on the command line, which win.
With threads, each thread keeps its own persistent database connection (CONN_MAX_AGE in settings.py): at most
workers × threads connections per web container.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("GUNICORN_THREADS", 2))
worker_class = "gthread"
# Idle keep-alive connections from the reverse proxy: held a few seconds, so a page's next request reuses them.
keepalive = 5
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))  # PDF rendering (official documents) is the slowest request
graceful_timeout = 30
# A worker is replaced after this many requests (plus jitter, so they do not all restart at once): bounds any leak.
max_requests = 2000
max_requests_jitter = 200
# Load the app before forking: workers share its memory and a broken import fails at start, not on the first request.
preload_app = True


def when_ready(server):
    # The app is loaded (preload_app): move everything it allocated so far out of the garbage collector's sight.
    # Forked workers then neither scan nor copy those pages (each collection of the oldest generation walked the
    # ~150,000 objects of Django, DRF and the translations for nothing).
    import gc

    gc.freeze()
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
