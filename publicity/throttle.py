"""The limits on the public endpoints, per real client address (办法 第十五条 接受社会监督 — open to anyone, not to a
flood): objections (ObjectionThrottle) and reads of the public pages and API (PublicReadThrottle, generous).

For objections: one counter for the API (POST /api/public/notices/{id}/objections/) and the public notice page, keyed by the real
client address (demozone.net.client_ip: a forged X-Forwarded-For is not believed). If the cache cannot be reached
the objection is let through and the failure logged: a citizen's objection is never lost to a broken counter."""
import functools
import logging

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.throttling import SimpleRateThrottle

from demozone.net import client_ip

log = logging.getLogger(__name__)


class ObjectionThrottle(SimpleRateThrottle):
    scope = "objection"
    rate = "20/hour"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_ip(request)}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except Exception:  # the cache is down: fail open, and say so
            log.exception("objection throttle: cache unreachable, objection let through")
            return True


def objection_allowed(request):
    """For the page: (allowed, seconds to wait). Uses the API's counter."""
    throttle = ObjectionThrottle()
    if throttle.allow_request(request, None):
        return True, 0
    wait = throttle.wait()
    return False, int(wait or 0) + 1


class PublicReadThrottle(ObjectionThrottle):
    """Reads of the public pages and API (notices, zones, announcements) per real client address: generous for a
    person, a wall for a scraper loop (PUBLIC_READ_RATE). Fails open like the objection counter."""

    scope = "public_read"

    def __init__(self):
        self.rate = settings.PUBLIC_READ_RATE
        super().__init__()

    def allow_request(self, request, view):
        try:
            self.key = self.get_cache_key(request, view)
            return self.allow_with_history(self.cache.get(self.key, []))
        except Exception:  # the cache is down: the pages stay readable, and the failure is logged
            log.exception("public read throttle: cache unreachable, request let through")
            return True

    def allow_with_history(self, history):
        """DRF's sliding window (SimpleRateThrottle.allow_request) on the address's history of reads (the times of
        its reads within the window, newest first) when it has been read already — publicity.cache reads it in the
        same round trip as the page. Counts this read when allowed. ``self.key`` is the counter's key."""
        self.history, self.now = history, self.timer()
        while self.history and self.history[-1] <= self.now - self.duration:
            self.history.pop()
        if len(self.history) >= self.num_requests:
            return self.throttle_failure()
        return self.throttle_success()


def public_read_limited(view):
    """A public page's reads counted per real client address; over the limit, a 429 page naming the wait. Posts
    (an objection) are not counted here: they have their own limit, whose refusal keeps what was typed."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        throttle = PublicReadThrottle()
        if request.method in ("GET", "HEAD") and not throttle.allow_request(request, None):
            wait = int(throttle.wait() or 0) + 1
            response = render(request, "publicity/public_throttled.html",
                              {"message": _("访问过于频繁，请在 %(wait)s 秒后再试。") % {"wait": wait}}, status=429)
            response["Retry-After"] = str(wait)
            return response
        return view(request, *args, **kwargs)

    return wrapped
