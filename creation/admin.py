from django.contrib import admin

from . import models


@admin.register(models.Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "creation_object", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["name", "creation_object__name"]


@admin.register(models.Liaison)
class LiaisonAdmin(admin.ModelAdmin):
    list_display = ["user", "unit"]
    search_fields = ["user__username", "unit__name"]
