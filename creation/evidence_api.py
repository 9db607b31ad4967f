"""Evidence and readiness API of a case's creation workspace (issue 9 item 9):
``GET, POST /api/cases/{id}/evidence/`` and ``GET /api/cases/{id}/readiness/``. Thin: scope through
creation.selectors, writes through creation.evidence.add_evidence, reads through creation.readiness.

Who may use what (deny by default; a case outside the workspace scope answers 404):
- GET evidence: the city's office, the province and SAMR all of it; a member unit's liaison their unit's
  indicators only;
- POST evidence: the office (any indicator), a liaison (their unit's indicators; another one is a 404), while the
  case is being worked; the province and SAMR read only (403);
- GET readiness: the same readers; a liaison sees their indicators and suggestions (and the city's total)."""
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status as http_status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import ERRORS, has_role
from demozone.parsers import SafeJSONParser

from . import evidence, readiness, selectors
from .models import Evidence

WORKSPACE_ROLES = (Role.APPLICANT, Role.MEMBER_LIAISON, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER)


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField(help_text=_("指标序号"))
    key = serializers.CharField(help_text=_("数据项（指标体系的输入项）；上传评分要点材料时为空"))
    year = serializers.IntegerField(allow_null=True, help_text=_("年度（逐年数据）"))
    value = serializers.JSONField(allow_null=True, help_text=_("数值；更正为空表示撤回该数据"))
    item = serializers.CharField(help_text=_("评分要点（计分项）；录入数据时为空"))
    source = serializers.CharField(help_text=_("数据来源"))
    note = serializers.CharField()
    document = serializers.IntegerField(source="document_id", allow_null=True, help_text=_("附件（本案材料编号）"))
    document_title = serializers.SerializerMethodField()
    corrects = serializers.IntegerField(source="corrects_id", allow_null=True, help_text=_("本条更正的记录"))
    corrected = serializers.BooleanField(help_text=_("已被其后的记录更正"))
    current = serializers.SerializerMethodField(help_text=_("现行有效（该数据项该年度最新且未被更正的记录）"))
    unit = serializers.SerializerMethodField(help_text=_("报送单位；创建办录入时为空"))
    entered_by = serializers.CharField(source="entered_by.username")
    entered_at = serializers.DateTimeField()

    def get_document_title(self, entry) -> str | None:
        return entry.document.title if entry.document_id else None

    def get_unit(self, entry) -> str | None:
        return entry.unit.name if entry.unit_id else None

    def get_current(self, entry) -> bool:
        return entry.pk in self.context.get("current_ids", ())


class EvidencePageSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = EvidenceSerializer(many=True)


class EvidenceInputSerializer(serializers.Serializer):
    number = serializers.IntegerField(required=False, help_text=_("指标序号（更正时可省略）"))
    key = serializers.CharField(required=False, allow_blank=True)
    year = serializers.IntegerField(required=False, allow_null=True)
    value = serializers.JSONField(required=False, allow_null=True,
                                  help_text=_("数值：数字、是/否，或（规模以上经营者）金额列表"))
    item = serializers.CharField(required=False, allow_blank=True)
    source = serializers.CharField(required=False, allow_blank=True, max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    corrects = serializers.IntegerField(required=False, allow_null=True, help_text=_("更正的记录编号"))
    file = serializers.FileField(required=False, help_text=_("附件（PDF、OFD、Word、Excel、JPEG、PNG）"))
    title = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ReadinessGroupSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()
    score = serializers.CharField()
    points = serializers.CharField()
    rate = serializers.CharField()
    threshold = serializers.CharField(help_text=_("得分率合格线"))
    required = serializers.CharField()
    passed = serializers.BooleanField()


class ReadinessIndicatorSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.CharField()
    points = serializers.CharField()
    missing = serializers.ListField(child=serializers.CharField(), help_text=_("缺失的数据项（键）"))
    missing_names = serializers.ListField(child=serializers.CharField())
    status = serializers.CharField()
    unit = serializers.CharField(help_text=_("责任单位"))


class SuggestionSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    item = serializers.CharField()
    points_gained = serializers.CharField(help_text=_("按引擎重新计分验证的增加分值"))
    action = serializers.CharField(help_text=_("须达到的门槛或须完成的事项"))
    unit = serializers.CharField(help_text=_("责任单位"))
    changes = serializers.DictField(help_text=_("验证所用的数据变化"))


class ReadinessSerializer(serializers.Serializer):
    system = serializers.CharField()
    years = serializers.ListField(child=serializers.IntegerField())
    total = serializers.CharField()
    points = serializers.CharField()
    total_threshold = serializers.CharField()
    passes = serializers.BooleanField()
    decision = serializers.CharField(help_text="pass | fail | incomplete")
    reasons = serializers.ListField(child=serializers.CharField())
    groups = ReadinessGroupSerializer(many=True)
    indicators = ReadinessIndicatorSerializer(many=True)
    suggestions = SuggestionSerializer(many=True)
    history = serializers.ListField(child=serializers.DictField(), required=False,
                                    help_text=_("各月末的预测总分（?history=true 时）"))


def _entries(user, case):
    numbers = evidence.visible_numbers(user, case)
    return (evidence.entries_of(case, numbers=numbers)
            .annotate(corrected=Exists(Evidence.objects.filter(corrects=OuterRef("pk")))))


class EvidenceListView(generics.GenericAPIView):
    """The evidence entries of the case (newest first within each indicator, data item and year)."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]
    serializer_class = EvidenceSerializer
    queryset = Evidence.objects.none()  # for the schema; get() reads through creation.evidence

    @extend_schema(operation_id="cases_evidence_list", responses={200: EvidencePageSerializer, **ERRORS},
                   parameters=[OpenApiParameter("number", int, description="指标序号"),
                               OpenApiParameter("current", bool, description="只列现行有效的记录")])
    def get(self, request, case_id):
        case = selectors.workspace_case(request.user, case_id)
        rows = _entries(request.user, case)
        number = request.query_params.get("number", "")
        if number.isdigit():
            rows = rows.filter(number=number)
        figures, documents = evidence.current_entries(
            rows.values("id", "key", "year", "value", "corrects_id", "entered_at"))
        current = {e["id"] for e in figures.values()} | {e["id"] for e in documents}
        if request.query_params.get("current") in ("true", "1"):
            rows = rows.filter(pk__in=current)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(EvidenceSerializer(page, many=True, context={"current_ids": current}).data)

    @extend_schema(operation_id="cases_evidence_create", request=EvidenceInputSerializer,
                   responses={201: EvidenceSerializer, **ERRORS})
    def post(self, request, case_id):
        given = EvidenceInputSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        data = dict(given.validated_data)
        entry = evidence.add_evidence(case_id=case_id, actor=request.user, number=data.pop("number", None), **data)
        entry = _entries(request.user, entry.case).get(pk=entry.pk)
        return Response(EvidenceSerializer(entry, context={"current_ids": {entry.pk}}).data,
                        status=http_status.HTTP_201_CREATED)


class ReadinessView(APIView):
    """The predicted score from the evidence so far, per indicator and group, with what is missing and what would
    earn the next points (verified with the engine)."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]

    @extend_schema(operation_id="cases_readiness", responses={200: ReadinessSerializer, **ERRORS},
                   parameters=[OpenApiParameter("history", bool, description="附各月末的预测总分")])
    def get(self, request, case_id):
        case = selectors.workspace_case(request.user, case_id)
        answer = readiness.readiness(case, numbers=evidence.visible_numbers(request.user, case))
        if request.query_params.get("history") in ("true", "1"):
            answer["history"] = readiness.history(case)
        return Response(ReadinessSerializer(answer).data)
