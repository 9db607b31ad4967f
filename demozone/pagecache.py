"""Signed-in pages kept until the database next changes (issue 13).

A user who opens the case page, their queue or a score sheet a second time, with nothing written anywhere in between,
gets the page they were given the first time — rendered by the same code, for the same user, from the same data —
without the 20 queries and the ~1,600 template nodes of the first view.

"Nothing written" is asked of PostgreSQL itself, not of a list of models and signals to keep up to date:
``pg_current_snapshot()`` names the transactions that have ended. Every commit of a transaction that wrote anything —
through a service, a queryset ``update()``, a migration, the admin, a sweep in another process, raw SQL — changes it,
so a copy kept under one snapshot is never served after a later write. The snapshot is read before anything else of
the request (the session, the user, the page's data), so a copy can only ever be newer than its key, never older.
That is a coarse rule — one write anywhere drops every copy — but it cannot be wrong; copies are a fast path for
repeat views, never a second source of truth.

What is kept, and for whom:
- GET/HEAD answers 200 (HTML or JSON) to a signed-in user — a session, or an API token checked here as DRF checks it
  (knox: unknown, expired or a disabled user's token → no copy; the view answers 401) — keyed by the snapshot, the
  user and their session or token, the language, the day in Beijing (guards and "days left" count days), the host,
  the path with its query, and the htmx and Accept headers. Never shared between users, sessions or tokens.
- Not kept: an answer that is streamed (a download), sets a cookie or writes the session, says
  ``Cache-Control: no-cache`` / ``no-store`` (a view opts out with ``never_cache``), or is not a 200; a request with a
  message waiting to be shown (contrib.messages), or inside a transaction (a test's, or a request that opened one:
  its own writes are not yet in the snapshot).
- The page's CSRF token is replaced by a marker in the kept copy; each serving puts in the request's own token.
- The cache failing (Redis down) never fails a page: it is rendered as if there were no cache. Other databases than
  PostgreSQL (SQLite in development) have no snapshot to ask: nothing is kept.
- ``PAGE_CACHE_SECONDS`` (default 300; 0 turns the cache off) bounds how long a copy lives even without a write.
"""
import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

log = logging.getLogger(__name__)

CSRF_MARKER = "__demozone_page_cache_csrf__"
# Where a page carries its CSRF token: a form's hidden field, or base.html's hx-headers for htmx requests.
_CSRF_TOKEN = re.compile(r'(?:name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")([A-Za-z0-9]{32,64})"')
# The request headers that change an answer besides the path and query: the API's Accept, and htmx's own (HX-Request,
# HX-Target, …) but HX-Current-URL, the browser's address, which no view reads.
_VARY_HTMX_IGNORED = "hx-current-url"
_KEPT_TYPES = ("text/html", "application/json")
_HOP_BY_HOP = {"set-cookie", "content-length"}


def commit_horizon():
    """PostgreSQL's current snapshot as text ("xmin:xmax:xip,…"): it changes whenever a transaction that wrote
    something ends. None when there is none to ask (another database) or the question failed."""
    if connection.vendor != "postgresql":
        return None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_snapshot()::text")
            return cursor.fetchone()[0]
    except Exception:
        log.warning("page cache: could not read the commit horizon", exc_info=True)
        return None


def _eligible(request):
    return (settings.PAGE_CACHE_SECONDS > 0 and request.method in ("GET", "HEAD")
            and (settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META)
            and not connection.in_atomic_block)


def _viewer(request):
    """Who asks, as the view will see them: (user id, their session or token) — or None for nobody signed in, a
    token the API would refuse, or a message waiting to be shown. A request with an Authorization header is the
    API's: its token is checked as DRF's first authentication class (knox) checks it; anything else, by the session."""
    if "HTTP_AUTHORIZATION" in request.META:
        from knox.auth import TokenAuthentication
        from rest_framework.exceptions import AuthenticationFailed

        try:
            found = TokenAuthentication().authenticate(request)
        except AuthenticationFailed:
            return None
        return None if found is None else (found[0].pk, "token:" + found[1].digest)
    if not request.user.is_authenticated or len(request._messages):
        return None
    return request.user.pk, "session:" + (request.session.session_key or "")


def _key(request, horizon, viewer):
    parts = [horizon, str(viewer[0]), viewer[1], translation.get_language() or "", timezone.localdate().isoformat(),
             request.method, request.get_host(), request.scheme, request.get_full_path(),
             request.headers.get("Accept", ""),
             *sorted(f"{name.lower()}={value}" for name, value in request.headers.items()
                     if name.lower().startswith("hx-") and name.lower() != _VARY_HTMX_IGNORED)]
    return "page-cache:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if not response.get("Content-Type", "").startswith(_KEPT_TYPES):
        return False
    control = response.get("Cache-Control", "")
    if any(word in control for word in ("no-store", "no-cache")):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _store(key, response):
    content = response.content.decode(response.charset)
    tokens = set(_CSRF_TOKEN.findall(content))
    for token in tokens:
        content = content.replace(token, CSRF_MARKER)
    headers = {name: value for name, value in response.headers.items() if name.lower() not in _HOP_BY_HOP}
    try:
        cache.set(key, (content, headers, bool(tokens)), timeout=settings.PAGE_CACHE_SECONDS)
    except Exception:
        log.warning("page cache: could not keep a copy", exc_info=True)


def _replay(request, kept):
    content, headers, has_token = kept
    if has_token:
        content = content.replace(CSRF_MARKER, get_token(request))  # this request's own token (and cookie)
    response = HttpResponse(content, headers=headers)
    response["X-Page-Cache"] = "hit"
    return response


class SignedInPageCacheMiddleware:
    """Last in MIDDLEWARE: the middleware around it (security headers, CSP, clickjacking, language, CSRF cookie)
    treats a kept page like a fresh one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not _eligible(request):
            return self.get_response(request)
        horizon = commit_horizon()  # before the session, the token and the user are read: see the module's docstring
        viewer = horizon and _viewer(request)
        if not viewer:
            return self.get_response(request)
        key = _key(request, horizon, viewer)
        try:
            kept = cache.get(key)
        except Exception:
            log.warning("page cache unavailable", exc_info=True)
            return self.get_response(request)
        if kept is not None:
            return _replay(request, kept)
        response = self.get_response(request)
        if _storable(request, response):
            _store(key, response)
        return response
