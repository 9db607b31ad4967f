from django.contrib import admin

from .models import AuditEntry, Case


class ReadOnlyAdmin(admin.ModelAdmin):
    """Cases move only through the state machine's services; the audit trail never changes. The admin reads."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ["reference", "creation_object", "rule_set", "state", "creation_end"]
    list_filter = ["state", "rule_set", "creation_object__province"]
    search_fields = ["reference", "creation_object__name"]
    list_select_related = ["creation_object__province", "rule_set"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["case", "sequence", "at", "name", "from_state", "to_state", "actor_name", "organisation_name"]
    list_filter = ["kind", "name"]
    list_select_related = ["case"]
