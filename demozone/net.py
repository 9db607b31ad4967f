"""Which address a request really comes from.

The socket's address, unless TRUSTED_PROXY_COUNT proxies of ours stand in front: then the address the outermost of
them saw, i.e. that many entries from the right of X-Forwarded-For. Whatever a client writes into X-Forwarded-For
itself sits further left and is never believed — so a forged header cannot dodge a lockout or a throttle."""
from django.conf import settings


def client_ip(request):
    remote = request.META.get("REMOTE_ADDR", "") or ""
    hops = settings.TRUSTED_PROXY_COUNT
    if hops <= 0:
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if len(forwarded) < hops:
        return remote
    return forwarded[-hops]
