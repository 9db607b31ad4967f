from django.contrib import admin

from .models import CreationObject, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "economic_region", "in_gb2260"]
    search_fields = ["code", "name"]


@admin.register(CreationObject)
class CreationObjectAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "province", "kind"]
    list_filter = ["kind", "province__economic_region", "province"]
    search_fields = ["code", "name"]
