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
