from django.contrib import admin

from deadlines.admin import ReadOnly

from .models import Delivery, Notification, Preference


@admin.register(Notification)
class NotificationAdmin(ReadOnly):
    list_display = ["created_at", "recipient", "event", "subject", "language", "read_at"]
    list_filter = ["event", "language"]
    list_select_related = ["recipient"]


@admin.register(Delivery)
class DeliveryAdmin(ReadOnly):
    """The delivery log: what went to whom, when, by which channel, and how it went."""

    list_display = ["created_at", "channel", "address", "status", "attempts", "sent_at", "notification"]
    list_filter = ["channel", "status"]
    list_select_related = ["notification"]


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "language", "email"]
