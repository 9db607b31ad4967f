from django.contrib import admin

from .models import RuleSet


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["code", "title", "effective_from", "repealed_on", "max_creation_years", "indicator_system_code"]

    def has_delete_permission(self, request, obj=None):
        return False  # cases are bound to their rule set for life
