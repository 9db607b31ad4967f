"""The public pages and their APIs, cached until an act publishes something (issue 13).

The public portal (/ and /public/ for a visitor, /public/notices/, a notice, /public/zones/, /public/announcements/
and GET /api/public/…) shows only what SAMR has published (办法 第十五条 公示, 第十六条 向社会公布, 第二十二条): it
changes when a notice list is published or closed, an objection is decided, a zone is designated, sanctioned or
revoked, an official document is issued — and on announcement day it is read by many at once. So the answers are
kept in the cache (Redis in production) with the version number they were rendered at, and every write to what they
show bumps the version (below, `WATCHED`): a copy of another version is not served, the next request renders
afresh and keeps its copy in place of the stale one. Nothing has to list which page shows what.

What is kept, and for whom:
- GET/HEAD answers 200 to requests without a session cookie (a signed-in user's page shows their name and queue:
  never shared — the home page `/` goes through the cache only in its anonymous branch, cases.views.home) or a
  waiting message; keyed by the language (zh-hans / en), the day in Beijing (the notice pages count the days left,
  and move a list to the archive), the path with its query, and the htmx headers (pages) or the Accept header
  (API: JSON or the browsable page).
- Per-visitor parts are cut out of the kept copy and made afresh for every request served from it:
  the CSRF token (a page with a form) is replaced by a marker, and each visitor gets their own token (and cookie);
  the captcha challenge of the notice page's objection form (django-simple-captcha: the hidden key, and the image
  and audio URLs, which carry the key) is replaced by a marker, and each visitor gets a new challenge of their own
  (`Challenges`: one INSERT per visitor on a quiet page, one per batch of visitors under load), so no two
  visitors share one and a spent one is never handed out again.
  Objections are POSTs: never served from the cache, the view answers them as always.
- Not kept: an answer that sets any cookie other than the CSRF one or writes the session (per-visitor state), or
  says `Cache-Control: private` / `no-store` / `no-cache` (a view opts out with `never_cache`), or is not a 200, or
  shows a CSRF token or a captcha image where the markers cannot be put (not shareable).
- Reads served from the cache count against the address's read limit like any other (throttle.PublicReadThrottle).
- A hit is cheap: one round trip to the cache reads the version, the copy and the address's read counter together
  (`get_many`), one more writes the counter; the copy is kept as bytes (no decoding, no re-encoding) with its
  headers (Vary included), and the markers are replaced only in the pages that have them.
- The cache failing (Redis down) never fails a page: it is rendered as if there were no cache (fail open).
  `PUBLIC_CACHE_SECONDS` (default 600) bounds how long a copy lives even without a write.
"""
import collections
import datetime
import functools
import hashlib
import logging
import os
import re
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections, router, transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import patch_vary_headers

from .throttle import PublicReadThrottle

log = logging.getLogger(__name__)

VERSION_KEY = "publicity:public-cache:version"
CSRF_MARKER = b"__demozone_public_cache_csrf__"
# The models whose rows the public pages and APIs show (app label, model name): a save or delete of any of them
# makes every kept answer stale.
WATCHED = [
    ("publicity", "NoticeList"), ("publicity", "Notice"), ("publicity", "Objection"),
    ("designation", "Announcement"), ("designation", "Designation"), ("designation", "Sanction"),
    ("official", "OfficialDocument"), ("cases", "Case"), ("regions", "CreationObject"), ("regions", "Province"),
]
_CSRF_FIELD = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
# django-simple-captcha's hidden key (the field's first subwidget: "<name>_0"), a SHA-1 in hex.
_CAPTCHA_FIELD = re.compile(rb'name="[\w-]*captcha_0" value="([0-9a-f]{40})"')
_HEADERS_KEPT = ("Content-Type", "Content-Language", "Allow", "Vary")


def captcha_marker(index):
    """The marker of the kept copy's ``index``-th captcha challenge."""
    return b"__demozone_public_cache_captcha_%d__" % index


def _new_version():
    # Not 1: after the version key is lost (evicted, the cache restarted) the new number must not be one that copies
    # still in the cache were rendered at.
    return time.time_ns() // 1000


def version():
    try:
        value = cache.get(VERSION_KEY)
        if value is None:
            cache.add(VERSION_KEY, _new_version(), timeout=None)
            value = cache.get(VERSION_KEY)
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
            cache.add(VERSION_KEY, _new_version(), timeout=None)
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


def _key(request, vary):
    # Not the version: it is kept in the copy, so the version, the copy and the read counter are read in one go.
    parts = [translation.get_language() or "", timezone.localdate().isoformat(), request.method,
             request.get_full_path(), *(request.headers.get(name, "") for name in vary)]
    return "publicity:public-cache:page:" + hashlib.sha256("\n".join(parts).encode()).hexdigest()


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


def _without_captchas(content):
    """(content with each captcha challenge's key replaced by its marker, how many), or (None, 0) when a challenge
    shows where its key cannot be found (not shareable)."""
    keys = list(dict.fromkeys(_CAPTCHA_FIELD.findall(content)))
    for index, key in enumerate(keys):
        content = content.replace(key, captcha_marker(index))
    image = reverse("captcha-image", kwargs={"key": "0"})[:-2].encode()  # "/captcha/image/"
    if re.search(re.escape(image) + rb"[0-9a-f]{40}", content):  # an image whose key is not in a form's field
        return None, 0
    return content, len(keys)


class Challenges:
    """The captcha challenges handed to the visitors served from the cache: each one to one visitor only, made a
    few at a time.

    Made one by one, every reader of a running notice would cost a database write — on announcement day, when
    many read at once, the write is most of the page's cost. So a quiet page makes one per visitor (one INSERT),
    and while visitors come faster than one a second each batch is twice the last (up to MOST rows, one INSERT for
    all): one write for many readers. A challenge made ahead waits at most WAIT seconds to be handed out — then it
    is dropped, and its row expires in CAPTCHA_TIMEOUT minutes like any unanswered one — so a visitor gets nearly
    the whole validity. A forked process (gunicorn's workers) never hands out its parent's. Rows are written in
    their own transaction, on PostgreSQL committed without waiting for the disk (synchronous_commit off for that
    transaction only): a challenge need not outlive a database crash — a lost one is answered "wrong" and the form
    shows a new one — and the page does not wait for an fsync. Inside a transaction (a test's), or with
    django-simple-captcha's pool configured, each is made as the form's widget makes it (`CaptchaStore.pick()`)."""

    MOST = 32
    WAIT = 60  # seconds
    QUICK = 1  # seconds: a batch used up within this makes the next one twice as large

    def __init__(self):
        self.lock = threading.Lock()
        self.ready = collections.deque()  # (key, made at)
        self.size, self.made_at = 1, float("-inf")
        os.register_at_fork(after_in_child=self.ready.clear)

    def reset(self):
        """Forget the challenges made ahead (the tests: they are rows of one test's database)."""
        with self.lock:
            self.ready.clear()
            self.size, self.made_at = 1, float("-inf")

    def take(self):
        """A challenge's key for one visitor."""
        from captcha.conf import settings as captcha_settings
        from captcha.models import CaptchaStore

        connection = connections[router.db_for_write(CaptchaStore)]
        if connection.in_atomic_block or captcha_settings.CAPTCHA_GET_FROM_POOL:
            return CaptchaStore.pick()
        while True:
            try:
                key, made_at = self.ready.popleft()  # atomic: never the same key to two threads
            except IndexError:
                self._make(connection)
                continue
            if time.monotonic() - made_at < self.WAIT:
                return key

    def _make(self, connection):
        with self.lock:
            if self.ready:  # another thread has just made some
                return
            now = time.monotonic()
            self.size = min(self.size * 2, self.MOST) if now - self.made_at < self.QUICK else 1
            self.made_at = now
            with transaction.atomic(using=connection.alias):
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL synchronous_commit TO OFF")
                keys = _insert_challenges(self.size, connection.alias)
            self.ready.extend((key, now) for key in keys)


def _insert_challenges(count, using):
    """``count`` new challenges in one INSERT; their keys. bulk_create does not call CaptchaStore.save(), so the
    row is filled here as save() fills it: the answer in lower case, the expiry CAPTCHA_TIMEOUT minutes ahead, a
    random 40-hex key (secrets: unguessable)."""
    from captcha.conf import settings as captcha_settings
    from captcha.models import CaptchaStore

    expiration = timezone.now() + datetime.timedelta(minutes=int(captcha_settings.CAPTCHA_TIMEOUT))
    stores = []
    for _ in range(count):
        challenge, response = captcha_settings.get_challenge()()
        stores.append(CaptchaStore(challenge=challenge, response=response.lower(), hashkey=secrets.token_hex(20),
                                   expiration=expiration))
    CaptchaStore.objects.using(using).bulk_create(stores)
    return [store.hashkey for store in stores]


challenges = Challenges()


def _store(request, response, key, current):
    content = response.content
    uses_csrf = bool(request.META.get("CSRF_COOKIE_NEEDS_UPDATE", False))
    if uses_csrf:
        tokens = set(_CSRF_FIELD.findall(content))
        if not tokens:  # a token used somewhere we cannot see: not shareable
            return
        for token in tokens:
            content = content.replace(token, CSRF_MARKER)
    content, captchas = _without_captchas(content)
    if content is None:
        return
    headers = {name: response[name] for name in _HEADERS_KEPT if name in response}
    try:
        # The bump makes copies stale; the timeout only bounds a copy whose bump was lost (the cache down then).
        cache.set(key, (current, content, headers, uses_csrf, captchas),
                  timeout=getattr(settings, "PUBLIC_CACHE_SECONDS", 600))
    except Exception:
        log.warning("public cache: could not keep a copy", exc_info=True)


def _replay(request, kept):
    _version, content, headers, uses_csrf, captchas = kept
    if uses_csrf:
        content = content.replace(CSRF_MARKER, get_token(request).encode())  # this visitor's own token (and cookie)
    for index in range(captchas):  # this visitor's own challenge
        content = content.replace(captcha_marker(index), challenges.take().encode())
    response = HttpResponse(content, headers=headers)
    response["X-Public-Cache"] = "hit"
    return response


def public_cache(view=None, *, vary=("HX-Request", "HX-Target")):
    """Wrap a public view (where its URL is declared): its answers are kept until the next publishing act.
    ``vary``: the request headers that change the answer besides language, day, path and query."""
    if view is None:
        return functools.partial(public_cache, vary=vary)

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        key = _key(request, vary)
        # A copy served from the cache is a read like any other: it counts against the address's read limit
        # (issue #8 — the limit holds for cached pages too).
        throttle = PublicReadThrottle()
        throttle.key = throttle.get_cache_key(request, None)
        try:
            found = cache.get_many([VERSION_KEY, key, throttle.key])
        except Exception:
            log.warning("public cache unavailable", exc_info=True)
            return view(request, *args, **kwargs)
        current, kept = found.get(VERSION_KEY), found.get(key)
        if current is not None and kept is not None and kept[0] == current and _read_allowed(throttle, found):
            return _replay(request, kept)
        # Not kept, stale, or this address is over its read limit: the view answers (its own limit: a 429).
        if current is None:  # the first request (or the version was lost): start one
            current = version()
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response = response.render()
        patch_vary_headers(response, ["Cookie", "Accept-Language"])
        if current is not None and _cacheable_response(request, response):
            _store(request, response, key, current)
        return response

    # DRF's and Django's flags on the view (csrf_exempt, cls, initkwargs) carry over through functools.wraps.
    return wrapper


def _read_allowed(throttle, found):
    try:
        return throttle.allow_with_history(found.get(throttle.key, []))
    except Exception:  # the counter could not be written: the page stays readable (fail open, as the throttle)
        log.warning("public read throttle: cache unreachable, request let through", exc_info=True)
        return True


def public_api_cache(view):
    """public_cache for a GET /api/public/… endpoint: the answer also depends on the Accept header."""
    return public_cache(view, vary=("Accept",))
