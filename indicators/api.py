"""Indicator-system API. Thin: reads come from selectors, scoring from the engine, writes from services.

Who may use what (deny by default):
- every signed-in role (applicant, provincial reviewer, SAMR officer, SAMR expert, admin): list and read published
  and retired versions, and score inputs against them without saving (what-if, readiness checks);
- SAMR officers and admins: also draft versions.
Score sheets of a case (/api/cases/{id}/score-sheets/…) are the evaluation's: evaluation/sheet_api.py.
The public has no access.
"""
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role

from . import engine, selectors
from .models import IndicatorSystem, SystemStatus

READER_ROLES = (Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER, Role.SAMR_EXPERT, Role.ADMIN)
DRAFT_READERS = (Role.SAMR_OFFICER, Role.ADMIN)


def has_role(*roles):
    from cases.api import has_role as case_has_role
    return case_has_role(*roles)


def visible_systems(user):
    systems = selectors.systems_visible()
    if getattr(user, "role", None) in DRAFT_READERS or getattr(user, "is_superuser", False):
        return systems
    return systems.exclude(status=SystemStatus.DRAFT)


class SystemSummarySerializer(serializers.ModelSerializer):
    total_threshold = serializers.DecimalField(max_digits=6, decimal_places=2, coerce_to_string=True)
    group_rate_threshold = serializers.DecimalField(max_digits=5, decimal_places=4, coerce_to_string=True)

    class Meta:
        model = IndicatorSystem
        fields = ["code", "title", "source_document", "status", "effective_date", "points", "total_threshold",
                  "group_rate_threshold", "pass_rule_text", "published_at"]


class SystemListView(generics.ListAPIView):
    """GET /api/indicator-systems/ — the versions the caller may read."""

    permission_classes = [has_role(*READER_ROLES)]
    serializer_class = SystemSummarySerializer
    filter_backends = []

    def get_queryset(self):
        return visible_systems(self.request.user)


TREE = inline_serializer("IndicatorSystemTree", fields={
    "code": serializers.CharField(), "title": serializers.CharField(), "status": serializers.CharField(),
    "pass_rule": serializers.DictField(), "groups": serializers.ListField(child=serializers.DictField()),
    "inputs": serializers.DictField(), "benchmarks": serializers.DictField(),
    "findings": serializers.ListField(child=serializers.DictField()),
    "rule_inputs": serializers.DictField(help_text="编号 → 各计分项的规则及其所需输入"),
})


def _system_or_404(user, code):
    system = visible_systems(user).filter(code=code).first()
    if system is None:
        raise Http404(_("没有该指标体系版本，或您无权查看。"))
    return system


class SystemDetailView(APIView):
    """GET /api/indicator-systems/{code}/ — the full tree: groups, indicators (text verbatim), scoring items with
    their rule and parameters, and the inputs each rule takes."""

    permission_classes = [has_role(*READER_ROLES)]

    @extend_schema(responses={200: TREE, 404: OpenApiResponse(description=_("没有该版本或无权查看"))})
    def get(self, request, code):
        system = _system_or_404(request.user, code)
        spec = system.spec()
        spec["findings"] = system.findings
        spec["rule_inputs"] = {str(k): v for k, v in engine.describe_inputs(spec).items()}
        return Response(spec)


class ScoreRequestSerializer(serializers.Serializer):
    inputs = serializers.DictField(help_text=_("输入数据：键见 inputs 目录；比率写小数（0.95 = 95%），逐年数据写 {年份: 数值}"))
    years = serializers.ListField(child=serializers.IntegerField(min_value=2000, max_value=2100), min_length=1,
                                  help_text=_("评估年份（近2年 / 创建期内各年），升序"))
    region = serializers.ChoiceField(choices=["east", "central", "west", "northeast"], required=False,
                                     help_text=_("经济区域，决定规模以上经营者门槛"))
    benchmarks = serializers.DictField(required=False,
                                       help_text=_("可选：覆盖全国数据 {键: {年份: 数值}}；缺省用管理员录入的数据"))


SCORE_RESULT = inline_serializer("ScoreResult", fields={
    "system": serializers.CharField(), "total": serializers.CharField(), "decision": serializers.CharField(),
    "passed": serializers.BooleanField(allow_null=True), "complete": serializers.BooleanField(),
    "reasons": serializers.ListField(child=serializers.CharField()),
    "missing": serializers.ListField(child=serializers.CharField()),
    "groups": serializers.ListField(child=serializers.DictField()),
    "indicators": serializers.ListField(child=serializers.DictField()),
    "benchmark_sources": serializers.ListField(child=serializers.DictField()),
})


class ScoreView(APIView):
    """POST /api/indicator-systems/{code}/score/ — score a set of inputs without saving anything, with the
    explanation of every point and every missing figure (missing is never scored as zero)."""

    permission_classes = [has_role(*READER_ROLES)]

    @extend_schema(request=ScoreRequestSerializer,
                   responses={200: SCORE_RESULT, 400: OpenApiResponse(description=_("输入格式有误")),
                              404: OpenApiResponse(description=_("没有该版本或无权查看"))})
    def post(self, request, code):
        system = _system_or_404(request.user, code)
        payload = ScoreRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        years = sorted(data["years"])
        keys = list(system.benchmark_catalogue)
        benchmarks = selectors.national_benchmarks(keys, years)
        for key, series in (data.get("benchmarks") or {}).items():
            if not isinstance(series, dict):
                raise serializers.ValidationError({"benchmarks": [f"{key}: 应为 {{年份: 数值}}"]})
            try:
                years_of = {int(y): v for y, v in series.items()}
            except (TypeError, ValueError):
                raise serializers.ValidationError({"benchmarks": [f"{key}: 年份应为整数"]}) from None
            if any(not 2000 <= y <= 2100 for y in years_of):
                raise serializers.ValidationError({"benchmarks": [f"{key}: 年份应在 2000–2100 之间"]})
            benchmarks[key] = years_of
        inputs = _yearly_keys(data["inputs"], system.input_catalogue)
        context = {"years": years}
        if data.get("region"):
            context["region"] = data["region"]
        result = engine.score(selectors.compiled_system(system), inputs, benchmarks, context).as_dict()
        result["benchmark_sources"] = [s for s in selectors.benchmark_sources(keys)
                                       if s["year"] in years and s["key"] not in (data.get("benchmarks") or {})]
        return Response(result)


def _yearly_keys(inputs, catalogue):
    """JSON keys are strings; yearly inputs are keyed by int years in the engine."""
    out = dict(inputs)
    for key, meta in catalogue.items():
        value = out.get(key)
        if meta.get("type") == "yearly" and isinstance(value, dict):
            try:
                out[key] = {int(y): v for y, v in value.items()}
            except (TypeError, ValueError, OverflowError):
                raise serializers.ValidationError({"inputs": [f"{key}: 年份应为整数"]}) from None
    return out
