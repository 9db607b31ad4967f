"""Admin for the evaluation's score sheets: read-only (the sheet services are their only writers)."""
from django.contrib import admin

from .models import ScoreSheet


@admin.register(ScoreSheet)
class ScoreSheetAdmin(admin.ModelAdmin):
    """Score sheets are written by their stage's people through services; the admin only looks."""

    list_display = ["case", "stage", "round", "author", "status", "total_score", "passed", "submitted_at"]
    list_filter = ["stage", "status"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
