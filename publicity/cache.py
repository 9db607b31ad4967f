"""The public pages and their APIs, cached until an act publishes something (issue 13).

The public portal (/public/notices/, a notice, /public/zones/, /public/announcements/ and GET /api/public/…) shows
only what SAMR has published (办法 第十五条 公示, 第十六条 向社会公布, 第二十二条): it changes when a notice list is
published or closed, an objection is decided, a zone is designated, sanctioned or revoked, an official document is
issued — and on announcement day it is read by many at once. So the answers are kept in the cache (Redis in
production) under a version number, and every write to what they show bumps the version (below, `WATCHED`): the
next request renders afresh. Nothing has to list which page shows what.

What is kept, and for whom:
- GET/HEAD answers 200 to requests without a session cookie (a signed-in user's page shows their name and queue:
  never shared) or a waiting message; keyed by the version, the language (zh-hans / en), the day in Beijing (the
  notice pages count the days left, and move a list to the archive), the path with its query, and the htmx
  headers (pages) or the Accept header (API: JSON or the browsable page).
- The notice page itself, which carries the objection form and its captcha, is not wrapped (publicity/web_urls.py):
  each visitor needs their own challenge. Any other cached page with a form carries a CSRF token: the token of the request that rendered it is replaced by a
  marker in the kept copy, and every request served from the cache gets its own token (and cookie) in its place.
- Not kept: an answer that sets any cookie other than the CSRF one or writes the session (per-visitor state, e.g.
  a challenge), or says `Cache-Control: private` / `no-store` / `no-cache` (a view opts out with `never_cache`),
  or is not a 200.
- The cache failing (Redis down) never fails a page: it is rendered as if there were no cache (fail open).
  `PUBLIC_CACHE_SECONDS` (default 600) bounds how long a copy lives even without a write.
"""
import functools
import hashlib
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

log = logging.getLogger(__name__)

VERSION_KEY = "publicity:public-cache:version"
CSRF_MARKER = "__demozone_public_cache_csrf__"
# The models whose rows the public pages and APIs show (app label, model name): a save or delete of any of them
# makes every kept answer stale.
WATCHED = [
    ("publicity", "NoticeList"), ("publicity", "Notice"), ("publicity", "Objection"),
    ("designation", "Announcement"), ("designation", "Designation"), ("designation", "Sanction"),
    ("official", "OfficialDocument"), ("cases", "Case"), ("regions", "CreationObject"), ("regions", "Province"),
]
_CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
_HEADERS_KEPT = ("Content-Type", "Content-Language", "Allow")


def version():
    try:
        value = cache.get(VERSION_KEY)
        if value is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            value = cache.get(VERSION_KEY, 1)
        return value
    except Exception:  # the cache is down: no caching
        log.warning("public cache unavailable", exc_info=True)
        return None


def bump():
    """Make every kept public answer stale. Safe to call any number of times; never raises."""
    try:
        try:
            cache.incr(VERSION_KEY)
        except ValueError:  # no version yet (or it was evicted)
            cache.add(VERSION_KEY, 1, timeout=None)
            cache.incr(VERSION_KEY)
    except Exception:
        log.warning("public cache: could not bump the version", exc_info=True)


def published(sender=None, **kwargs):
    """A watched row was written: stale now (a request in this transaction must not see the old copy) and again
    when the transaction commits (a request between the two may have kept a copy of the state before it)."""
    bump()
    transaction.on_commit(bump, robust=True)


def connect():
    """Called from publicity's AppConfig.ready()."""
    from django.apps import apps

    for app_label, model_name in WATCHED:
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        post_save.connect(published, sender=model, dispatch_uid=f"public-cache-{app_label}.{model_name}-save")
        post_delete.connect(published, sender=model, dispatch_uid=f"public-cache-{app_label}.{model_name}-delete")


def _key(request, current, vary):
    parts = [str(current), translation.get_language() or "", timezone.localdate().isoformat(), request.method,
             request.get_full_path(), *(request.headers.get(name, "") for name in vary)]
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()
    return f"publicity:public-cache:{current}:{digest}"


def _cacheable_request(request):
    # Nor a visitor with a message waiting in the messages cookie (contrib.messages): their page shows it.
    return (request.method in ("GET", "HEAD") and settings.SESSION_COOKIE_NAME not in request.COOKIES
            and "messages" not in request.COOKIES)


def _cacheable_response(request, response):
    if response.status_code != 200 or getattr(response, "streaming", False):
        return False
    control = response.get("Cache-Control", "")
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    if any(name != settings.CSRF_COOKIE_NAME for name in response.cookies):
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.modified)


def _store(request, response, key):
    content = response.content.decode(response.charset)
    uses_csrf = request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False)
    if uses_csrf:
        tokens = set(_CSRF_FIELD.findall(content))
        if not tokens:  # a token used somewhere we cannot see: not shareable
            return
        for token in tokens:
            content = content.replace(token, CSRF_MARKER)
    headers = {name: response[name] for name in _HEADERS_KEPT if name in response}
    try:
        # The bump drops copies; the timeout only bounds a copy whose bump was lost (the cache down at the time).
        cache.set(key, {"content": content, "headers": headers, "csrf": bool(uses_csrf)},
                  timeout=getattr(settings, "PUBLIC_CACHE_SECONDS", 600))
    except Exception:
        log.warning("public cache: could not keep a copy", exc_info=True)


def _replay(request, kept):
    content = kept["content"]
    if kept["csrf"]:
        content = content.replace(CSRF_MARKER, get_token(request))  # this visitor's own token (and cookie)
    response = HttpResponse(content, headers=kept["headers"])
    response["X-Public-Cache"] = "hit"
    return response


def _read_allowed(request):
    """A copy served from the cache is a read like any other: it counts against the address's read limit
    (publicity.throttle.PublicReadThrottle, issue #8 — the limit holds for cached pages too). Fails open."""
    from .throttle import PublicReadThrottle

    return PublicReadThrottle().allow_request(request, None)


def public_cache(view=None, *, vary=("HX-Request", "HX-Target")):
    """Wrap a public view (where its URL is declared): its answers are kept until the next publishing act.
    ``vary``: the request headers that change the answer besides language, day, path and query."""
    if view is None:
        return functools.partial(public_cache, vary=vary)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        current = version() if _cacheable_request(request) else None
        if current is None:
            return view(request, *args, **kwargs)
        key = _key(request, current, vary)
        try:
            kept = cache.get(key)
        except Exception:
            log.warning("public cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        if kept is not None and _read_allowed(request):
            response = _replay(request, kept)
        else:  # not kept, or this address is over its read limit: the view answers (its own limit: a 429)
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            if _cacheable_response(request, response):
                _store(request, response, key)
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        return response

    # DRF's and Django's flags on the view (csrf_exempt, cls, initkwargs) carry over through functools.wraps.
    return wrapper


def public_api_cache(view):
    """public_cache for a GET /api/public/… endpoint: the answer also depends on the Accept header."""
    return public_cache(view, vary=("Accept",))
