"""Admin for indicator-system versions and national figures. Thin: import, publish, retire and export call
services / io. A published version is read-only here as everywhere (a change is a new version)."""
import json

from django import forms
from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _

from . import engine, io, services
from .models import Group, Indicator, IndicatorSystem, MissingNationalFigure, NationalFigure, ScoringItem


class FrozenAware:
    """Read-only once the version is published or retired."""

    def _frozen(self, obj):
        system = getattr(obj, "system", None) or getattr(getattr(obj, "indicator", None), "system", None) or obj
        return isinstance(system, IndicatorSystem) and system.is_frozen

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj and self._frozen(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj and self._frozen(obj))


class GroupInline(FrozenAware, admin.TabularInline):
    model = Group
    fields = ["parent", "code", "name", "points", "order"]
    extra = 0

    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_frozen)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("JSON 或 XLSX 文件"))
    compare_with = forms.ModelChoiceField(IndicatorSystem.objects.all(), required=False,
                                          label=_("与哪个版本比较"))


@admin.register(IndicatorSystem)
class IndicatorSystemAdmin(FrozenAware, admin.ModelAdmin):
    list_display = ["code", "title", "status", "effective_date", "total_threshold", "group_rate_threshold",
                    "published_at"]
    list_filter = ["status"]
    readonly_fields = ["status", "published_at", "published_by", "findings", "created_at"]
    inlines = [GroupInline]
    actions = ["publish", "retire"]
    change_list_template = "indicators/admin/system_changelist.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="indicators_system_import"),
            path("<int:pk>/export.<str:fmt>", self.admin_site.admin_view(self.export_view),
                 name="indicators_system_export"),
            path("<int:pk>/preview/", self.admin_site.admin_view(self.preview_view),
                 name="indicators_system_preview"),
        ] + super().get_urls()

    @admin.action(description=_("发布所选草稿（发布后不可修改）"))
    def publish(self, request, queryset):
        for system in queryset:
            try:
                services.publish_system(system=system, actor=request.user)
                self.message_user(request, f"{system.code} 已发布")
            except (io.ImportRejected, ValueError) as exc:
                self.message_user(request, f"{system.code}：{exc}", messages.ERROR)

    @admin.action(description=_("停用所选已发布版本"))
    def retire(self, request, queryset):
        for system in queryset:
            try:
                services.retire_system(system=system, actor=request.user)
            except ValueError as exc:
                self.message_user(request, f"{system.code}：{exc}", messages.ERROR)

    def export_view(self, request, pk, fmt):
        system = IndicatorSystem.objects.get(pk=pk)
        spec = system.spec()
        if fmt == "xlsx":
            response = HttpResponse(io.write_xlsx(spec), content_type=(
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
        else:
            response = HttpResponse(io.write_json(spec), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="indicators-{system.code}.{fmt}"'
        return response

    def preview_view(self, request, pk):
        system = IndicatorSystem.objects.get(pk=pk)
        other = IndicatorSystem.objects.exclude(pk=pk).filter(pk=request.GET.get("compare")).first()
        return self._preview(request, system.spec(), other, stored=system)

    def import_view(self, request):
        if request.method == "POST" and "spec" in request.POST:  # confirmed after the preview
            try:
                system, findings = services.import_system(spec=json.loads(request.POST["spec"]), actor=request.user)
            except io.ImportRejected as exc:
                for error in exc.errors:
                    self.message_user(request, error, messages.ERROR)
                return redirect("admin:indicators_system_import")
            for finding in findings:
                self.message_user(request, str(finding), messages.WARNING)
            self.message_user(request, f"{system.code} 已导入为草稿")
            return redirect(reverse("admin:indicators_indicatorsystem_change", args=[system.pk]))
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            try:
                spec = io.read_xlsx(data) if upload.name.lower().endswith(".xlsx") else io.read_json(data)
            except io.ImportRejected as exc:
                return TemplateResponse(request, "indicators/admin/import.html",
                                        {**self.admin_site.each_context(request), "form": form, "errors": exc.errors,
                                         "title": _("导入指标体系版本")})
            other = form.cleaned_data["compare_with"] or IndicatorSystem.objects.exclude(code=spec["code"]).first()
            return self._preview(request, spec, other)
        return TemplateResponse(request, "indicators/admin/import.html",
                                {**self.admin_site.each_context(request), "form": form, "title": _("导入指标体系版本")})

    def _preview(self, request, spec, other, stored=None):
        rows = [(group["name"], ind) for group, ind in engine.iter_indicators(spec)]
        context = {
            **self.admin_site.each_context(request), "title": f"{spec['title']}（{spec['code']}）",
            "spec": spec, "rows": rows, "findings": engine.validate_system(spec), "stored": stored,
            "other": other, "diff": services.diff_specs(other.spec(), spec) if other else None,
            "spec_json": json.dumps(spec, ensure_ascii=False), "versions": IndicatorSystem.objects.all(),
        }
        return TemplateResponse(request, "indicators/admin/preview.html", context)


@admin.register(Indicator)
class IndicatorAdmin(FrozenAware, admin.ModelAdmin):
    list_display = ["system", "number", "name", "points", "nature"]
    list_filter = ["system"]
    search_fields = ["name", "criteria"]

    class Items(FrozenAware, admin.TabularInline):
        model = ScoringItem
        extra = 0

    inlines = [Items]


@admin.register(NationalFigure)
class NationalFigureAdmin(admin.ModelAdmin):
    list_display = ["key", "label", "year", "value", "source", "is_demo", "entered_by", "entered_at"]
    list_filter = ["is_demo", "key", "year"]
    readonly_fields = ["entered_by", "entered_at"]

    def save_model(self, request, obj, form, change):
        obj.entered_by = request.user
        if obj.is_demo and "演示数据" not in obj.source:
            obj.source = f"演示数据：{obj.source}"
        super().save_model(request, obj, form, change)


@admin.register(MissingNationalFigure)
class MissingNationalFigureAdmin(admin.ModelAdmin):
    """National figures a score sheet needed before anyone entered them (the admins were told once). Read only:
    enter the figure itself under 全国基准数据."""

    list_display = ["label", "year", "key", "first_needed_by", "noticed_at"]
    list_filter = ["year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
