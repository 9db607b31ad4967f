"""Who may open a page: a signed-in user in one of the named roles. Anyone else signed in gets the branded 403
(a page that exists but is not theirs); a visitor is sent to the login page. Case pages check the case's scope
themselves first (outside it: 404)."""
import functools

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(*roles):
    allowed = frozenset(roles)

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(request, *args, **kwargs):
            if getattr(request.user, "role", None) not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
