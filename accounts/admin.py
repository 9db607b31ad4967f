from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organisation, User


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "province", "creation_object"]
    list_filter = ["kind"]
    search_fields = ["name"]
    autocomplete_fields = ["province", "creation_object"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "last_name", "first_name", "organisation", "role", "is_active"]
    list_filter = ["role", "is_active"]
    autocomplete_fields = ["organisation"]
    fieldsets = BaseUserAdmin.fieldsets + ((_("机构与角色"), {"fields": ["organisation", "role"]}),)


# ── the sign-in audit and API tokens (issue #12) ─────────────────────────────────────────────────────────────
# django-axes keeps the sign-in audit: successes and logouts (AccessLog), each failure (AccessFailureLog). Here it
# is read-only — no one edits or deletes what happened. Lockouts (AccessAttempt) stay deletable: that is how an
# admin lifts one. API tokens (django-rest-knox) are listed by their prefix and expiry only — never in clear —
# and may be deleted (revoked), never added here.
from axes.admin import AccessFailureLogAdmin, AccessLogAdmin  # noqa: E402
from axes.models import AccessFailureLog, AccessLog  # noqa: E402
from knox.admin import AuthTokenAdmin  # noqa: E402
from knox.models import AuthToken  # noqa: E402


class ReadOnly:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model, base in ((AccessLog, AccessLogAdmin), (AccessFailureLog, AccessFailureLogAdmin)):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(f"Audited{base.__name__}", (ReadOnly, base), {}))


class RevocableTokenAdmin(AuthTokenAdmin):
    list_display = ["token_key", "user", "created", "expiry"]
    fields = ["token_key", "user", "created", "expiry"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


if admin.site.is_registered(AuthToken):
    admin.site.unregister(AuthToken)
admin.site.register(AuthToken, RevocableTokenAdmin)
