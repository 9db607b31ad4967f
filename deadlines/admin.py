from django.contrib import admin

from .models import CreationPeriodExtension, Reminder


class ReadOnly(admin.ModelAdmin):
    """Decisions and logs are written by services only (deadlines.services); the admin reads them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CreationPeriodExtension)
class CreationPeriodExtensionAdmin(ReadOnly):
    list_display = ["case", "previous_end", "new_end", "decided_by", "decided_at"]
    list_select_related = ["case", "decided_by"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnly):
    list_display = ["case", "kind", "due_on", "days_before", "sent_at"]
    list_filter = ["kind", "days_before"]
    list_select_related = ["case"]
