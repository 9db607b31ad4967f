"""The limit on objections from one address (办法 第十五条 接受社会监督 — open to anyone, not to a flood).

One counter for the API (POST /api/public/notices/{id}/objections/) and the public notice page, keyed by the real
client address (demozone.net.client_ip: a forged X-Forwarded-For is not believed). If the cache cannot be reached
the objection is let through and the failure logged: a citizen's objection is never lost to a broken counter."""
import logging

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
