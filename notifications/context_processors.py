"""The navbar's unread badge: one COUNT query, and only on pages that show it to a signed-in user."""
from django.utils.functional import SimpleLazyObject

from . import selectors


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user))}
