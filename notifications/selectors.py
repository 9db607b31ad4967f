"""Reads: a user's own notifications and preferences. Nobody reads another person's inbox — not even SAMR."""
from .models import Notification, Preference


def notifications_for(user, *, unread=None):
    """The user's notifications, newest first: one query for a page, whatever its size (the case's reference
    comes along in the same query)."""
    notifications = Notification.objects.filter(recipient=user).select_related("case")
    if unread is True:
        notifications = notifications.filter(read_at__isnull=True)
    elif unread is False:
        notifications = notifications.filter(read_at__isnull=False)
    return notifications


def notification_of(user, notification_id):
    """One of the user's own notifications, or None (another user's looks the same as a missing one)."""
    return notifications_for(user).filter(pk=notification_id).first()


def unread_count(user):
    """One COUNT over the (recipient, read_at) index, for the navbar badge."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preference_of(user):
    """The user's preference, or the defaults (Chinese, e-mail on) when they never changed them; not saved."""
    return Preference.objects.filter(user=user).first() or Preference(user=user)
