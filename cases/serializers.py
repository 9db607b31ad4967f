from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from applications.models import ApplicationCall, ApplicationForm
from demozone.fields import VersionField
from documents.models import Document

from .models import AuditEntry, Case
from .workflow import State


class CaseListSerializer(serializers.ModelSerializer):
    creation_object = serializers.CharField(source="creation_object.name", read_only=True)
    creation_object_code = serializers.CharField(source="creation_object.code", read_only=True)
    province = serializers.CharField(source="creation_object.province.name", read_only=True)
    province_code = serializers.CharField(source="creation_object.province.code", read_only=True)
    economic_region = serializers.CharField(source="creation_object.province.economic_region", read_only=True)
    rule_set = serializers.CharField(source="rule_set.code", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    lapse_decision_due = serializers.SerializerMethodField(
        help_text=_("创建期满未申请评估，待总局决定终止或延长（办法 第九条、第十二条）"))

    class Meta:
        model = Case
        fields = ["id", "reference", "title", "creation_object", "creation_object_code", "province",
                  "province_code", "economic_region", "rule_set", "state", "state_label", "version",
                  "submitted_at", "creation_start", "creation_end", "evaluation_failures", "designated_on",
                  "lapse_decision_due", "created_at"]
        read_only_fields = fields

    def get_lapse_decision_due(self, case) -> bool:
        return case.state == State.CREATING and case.lapse_flagged_for is not None \
            and case.lapse_flagged_for == case.creation_end

    def to_representation(self, case):
        """The same answer as DRF's field-by-field walk (tests/perf/test_api_fast_path.py compares the two), built
        directly: DRF's generic path costs ~0.2 ms a row, most of GET /api/cases/ (issue 13)."""
        if type(self) is not CaseListSerializer:  # CaseDetailSerializer and any other subclass: the generic path
            return super().to_representation(case)
        place = case.creation_object
        province = place.province
        region = province.economic_region
        return {
            "id": case.pk, "reference": case.reference, "title": case.title, "creation_object": place.name,
            "creation_object_code": place.code, "province": province.name, "province_code": province.code,
            "economic_region": None if region is None else str(region), "rule_set": case.rule_set.code,
            "state": case.state, "state_label": case.get_state_display(), "version": case.version,
            "submitted_at": _DATETIME.to_representation(case.submitted_at),
            "creation_start": _DATE.to_representation(case.creation_start),
            "creation_end": _DATE.to_representation(case.creation_end),
            "evaluation_failures": case.evaluation_failures,
            "designated_on": _DATE.to_representation(case.designated_on),
            "lapse_decision_due": self.get_lapse_decision_due(case),
            "created_at": _DATETIME.to_representation(case.created_at),
        }


_DATETIME, _DATE = serializers.DateTimeField(), serializers.DateField()


class ApplicationFormSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationForm
        # The sections of 《创建申请表》 in order (applications.models.ApplicationForm.SECTIONS): the page and the
        # API take the same fields with the same limits.
        fields = ["version", *ApplicationForm.field_names(), "saved_at"]
        read_only_fields = ["version", "saved_at"]


class DocumentSerializer(serializers.ModelSerializer):
    file = serializers.SerializerMethodField(help_text=_("下载地址（需登录或令牌，且在案件范围内）"))

    class Meta:
        model = Document
        fields = ["id", "kind", "title", "file", "content_format", "size", "sha256", "uploaded_at"]
        read_only_fields = ["id", "content_format", "size", "sha256", "uploaded_at"]

    def get_file(self, document) -> str:
        path = reverse("api-document-file", args=[document.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request is not None else path


class CaseDetailSerializer(CaseListSerializer):
    rule_set_title = serializers.CharField(source="rule_set.title", read_only=True)
    call = serializers.PrimaryKeyRelatedField(read_only=True)
    application_form = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True, read_only=True)

    class Meta(CaseListSerializer.Meta):
        fields = CaseListSerializer.Meta.fields + ["rule_set_title", "call", "application_form", "documents",
                                                   "evaluation_applied_at"]
        read_only_fields = fields

    def get_application_form(self, case) -> dict | None:
        form = case.application_forms.order_by("-version").first()
        return ApplicationFormSerializer(form).data if form else None


class CaseCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200, label=_("名称"))
    call = serializers.PrimaryKeyRelatedField(queryset=ApplicationCall.objects.all(), required=False,
                                              allow_null=True, label=_("申报通知"))


class CaseUpdateSerializer(serializers.Serializer):
    """PATCH: the draft's title and call, and/or a new version of the application form."""

    version = VersionField()
    title = serializers.CharField(max_length=200, required=False)
    call = serializers.PrimaryKeyRelatedField(queryset=ApplicationCall.objects.all(), required=False, allow_null=True)
    application_form = ApplicationFormSerializer(required=False)


class TransitionOptionSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    allowed = serializers.BooleanField(help_text=_("所有条件均已满足，现在即可执行"))
    blocked_by = serializers.ListField(child=serializers.CharField())
    comment_required = serializers.BooleanField()
    fields = serializers.ListField(child=serializers.CharField(), help_text=_("该操作接受的字段"))


class AuditEntrySerializer(serializers.ModelSerializer):
    attachments = serializers.SerializerMethodField()

    class Meta:
        model = AuditEntry
        fields = ["sequence", "at", "kind", "name", "label", "from_state", "to_state", "actor_name", "role",
                  "organisation_name", "article", "comment", "data", "attachments", "case_version"]

    def get_attachments(self, entry) -> list[dict]:
        return [{"id": a.document_id, "title": a.document.title, "sha256": a.document.sha256}
                for a in entry.attachments.all()]


class ErrorSerializer(serializers.Serializer):
    """Every answer that is not a success (demozone.api.exception_handler)."""

    code = serializers.CharField(help_text="invalid, not_authenticated, not_allowed, not_found, method_not_allowed, "
                                           "conflict, illegal_transition, conditions_not_met, throttled, …")
    detail = serializers.CharField(help_text=_("说明：出了什么问题、如何改正"))
    errors = serializers.DictField(required=False, help_text=_("逐字段的错误（请求内容有误时）"))
    wait = serializers.IntegerField(required=False, help_text=_("请求过于频繁时：多少秒后可重试"))
