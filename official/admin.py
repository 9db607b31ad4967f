from django.contrib import admin

from .models import NumberingRule, OfficialDocument


@admin.register(NumberingRule)
class NumberingRuleAdmin(admin.ModelAdmin):
    """Admins correct a bureau's 发文机关代字 here (the data comes from fixtures/official_numbering.json)."""

    list_display = ["issuer_kind", "province", "kind", "prefix", "pattern"]
    list_filter = ["issuer_kind", "kind"]


@admin.register(OfficialDocument)
class OfficialDocumentAdmin(admin.ModelAdmin):
    """Read only: an issued document is never changed (issue #11)."""

    list_display = ["number", "title", "issuer_name", "issued_at", "kind"]
    list_filter = ["kind"]
    search_fields = ["number", "title", "sha256"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
