"""Score-sheet API of a case, /api/cases/{id}/score-sheets/… (办法 第十二条–第十四条; evaluation/sheets.py has the
rules). Thin: reads through sheets.sheets_visible_to, writes through the sheet services.

Who may use what (deny by default; a case outside the caller's scope answers 404, and so does a sheet the caller
may not read):
- GET: applicants their self-assessment sheets; provincial reviewers the submitted self-assessment and the
  pre-review; SAMR experts only their own sheets; SAMR officers all;
- POST (open or continue a draft), PATCH, submit: the applicant (self-assessment), the provincial reviewer
  (pre-review), an assigned SAMR expert (their own sheet, after the conflict declaration);
- conflict: the sheet's own SAMR expert; finalise: SAMR officers;
- years (/score-sheets/years/): GET whoever may read the case; PUT SAMR officers (with a reason).
The public has no access.
"""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status as http_status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import CASE_ROLES, ERRORS, has_role
from cases.errors import InvalidPayload, NotFound
from cases.selectors import cases_visible_to
from demozone.fields import VersionField

from . import sheets
from .models import Aggregation


class SheetEntrySerializer(serializers.Serializer):
    number = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True,
                                     help_text=_("本表计入的得分；数据缺失时为空（缺失不按零分计）"))
    override = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True,
                                        help_text=_("初审人员或专家直接给出的本指标得分"))
    explanation = serializers.CharField()
    evidence = serializers.SerializerMethodField(help_text=_("佐证材料（本案材料编号）"))

    def get_evidence(self, entry) -> list[int]:
        return [d.pk for d in entry.evidence.all()]


class ScoreSheetSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    case = serializers.IntegerField(source="case_id")
    stage = serializers.CharField(help_text="self_assessment | pre_review | expert | final")
    stage_label = serializers.CharField(source="get_stage_display")
    round = serializers.IntegerField()
    attempt = serializers.IntegerField(help_text=_("同一轮同一阶段的第几张评分表（退回补正后重新填写）"))
    status = serializers.CharField(help_text="draft | submitted")
    system = serializers.CharField(source="system.code", help_text=_("所用指标体系版本"))
    draft_system = serializers.SerializerMethodField(help_text=_("所用指标体系为草稿（征求意见稿）"))
    author = serializers.CharField()
    expert = serializers.CharField(source="assignment.expert.username", allow_null=True, default=None)
    total_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    passed = serializers.BooleanField(allow_null=True)
    decision = serializers.SerializerMethodField(help_text="pass | fail | incomplete")
    reasons = serializers.SerializerMethodField()
    has_conflict = serializers.BooleanField(allow_null=True)
    conflict_statement = serializers.CharField()
    conflict_declared_at = serializers.DateTimeField(allow_null=True)
    aggregation = serializers.CharField(help_text="mean | median（仅评估结果）")
    divergence_margin = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    divergent = serializers.ListField(child=serializers.DictField(), help_text=_("专家评分相差超过分歧阈值的指标"))
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    entries = SheetEntrySerializer(many=True, source="entries.all")

    def get_draft_system(self, sheet) -> bool:
        return bool((sheet.result or {}).get("draft_system"))

    def get_decision(self, sheet) -> str | None:
        return (sheet.result or {}).get("decision")

    def get_reasons(self, sheet) -> list[str]:
        return list((sheet.result or {}).get("reasons") or [])


class ScoreSheetDetailSerializer(ScoreSheetSerializer):
    inputs = serializers.DictField()
    context = serializers.DictField(help_text=_("评估年份与地区"))
    benchmarks = serializers.DictField(help_text=_("计分时所用的全国数据 {键: {年份: 数值}}"))
    result = serializers.DictField(help_text=_("计分说明：每个指标、计分项的得分及其依据"))


class EntryChangeSerializer(serializers.Serializer):
    explanation = serializers.CharField(required=False, allow_blank=True)
    evidence = serializers.ListField(child=serializers.IntegerField(), required=False)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, required=False, allow_null=True,
                                     help_text=_("仅初审与专家评分：本指标得分（null 取消）"))


class SheetChangeSerializer(serializers.Serializer):
    inputs = serializers.DictField(required=False, help_text=_("输入数据（合并保存；null 清除某项）"))
    context = serializers.DictField(required=False, help_text=_(
        "评估年份由案件确定，不能在此填写（见 /score-sheets/years/）；照原样回传无妨，改动会被拒绝"))
    entries = serializers.DictField(child=EntryChangeSerializer(), required=False,
                                    help_text=_("按指标编号：说明、佐证材料、得分"))
    version = VersionField()


class ConflictSerializer(serializers.Serializer):
    has_conflict = serializers.BooleanField()
    statement = serializers.CharField(required=False, allow_blank=True, default="")
    version = VersionField()


class WeighingSerializer(serializers.Serializer):
    representativeness = serializers.CharField(max_length=5000, required=False, allow_blank=True,
                                               help_text=_("示范区创建代表性"))
    regional_role = serializers.CharField(max_length=5000, required=False, allow_blank=True,
                                          help_text=_("区域引领带动作用"))
    platform_results = serializers.CharField(max_length=5000, required=False, allow_blank=True,
                                             help_text=_("平台经济发展质效"))


class FinaliseSerializer(serializers.Serializer):
    aggregation = serializers.ChoiceField(choices=Aggregation.choices, default=Aggregation.MEAN)
    divergence_margin = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0,
                                                 default=sheets.DEFAULT_DIVERGENCE_MARGIN,
                                                 help_text=_("专家评分相差超过该分值的指标标记为分歧"))
    # 办法 第十四条 综合考虑 (required under the current measures; the 2022 trial measures take the score alone).
    weighing = WeighingSerializer(required=False, help_text=_("综合考虑：代表性、区域引领带动作用、平台经济发展质效"))
    conclusion = serializers.ChoiceField(choices=[("passed", _("合格")), ("not_passed", _("不合格"))],
                                         required=False, allow_null=True, default=None)
    reasons = serializers.CharField(max_length=10000, required=False, allow_blank=True, default="",
                                    help_text=_("结论理由（得分合格而结论不合格时必填）"))
    version = VersionField()


class VersionSerializer(serializers.Serializer):
    version = VersionField()


def _payload(serializer_class, request):
    payload = serializer_class(data=request.data)
    if not payload.is_valid():
        raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
    data = dict(payload.validated_data)
    data["expected_version"] = data.pop("version") if "version" in data else request.headers.get("If-Match")
    return data


def _case_in_scope(request, case_id):
    if not cases_visible_to(request.user).filter(pk=case_id).exists():
        raise NotFound()


def _sheet(request, case_id, sheet_id, detail=True):
    sheet = sheets.sheets_visible_to(request.user, case_id).filter(pk=sheet_id).first()
    if sheet is None:
        raise NotFound(_("未找到该评分表。"))
    sheet.result = sheets.localized(sheet.result)  # the engine's words in the caller's language (read only)
    return (ScoreSheetDetailSerializer if detail else ScoreSheetSerializer)(sheet).data


TAGS = ["score sheets"]


class ScoreSheetListView(APIView):
    """GET the case's score sheets you may read; POST opens (or continues) your stage's draft and saves changes."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(responses={200: ScoreSheetSerializer(many=True), 404: ERRORS[404]}, tags=TAGS)
    def get(self, request, id):
        _case_in_scope(request, id)
        rows = list(sheets.sheets_visible_to(request.user, id))
        for sheet in rows:
            sheet.result = sheets.localized(sheet.result)  # read only: never saved
        return Response(ScoreSheetSerializer(rows, many=True).data)

    @extend_schema(request=SheetChangeSerializer,
                   responses={200: ScoreSheetDetailSerializer, 201: ScoreSheetDetailSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id):
        data = _payload(SheetChangeSerializer, request)
        sheet, created = sheets.save_sheet(case_id=id, actor=request.user, **data)
        return Response(_sheet(request, id, sheet.pk),
                        status=http_status.HTTP_201_CREATED if created else http_status.HTTP_200_OK)


class ScoreSheetDetailView(APIView):
    """GET one sheet with its inputs and the explanation of every point; PATCH changes a draft of yours."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(responses={200: ScoreSheetDetailSerializer, 404: ERRORS[404]}, tags=TAGS)
    def get(self, request, id, sheet_id):
        _case_in_scope(request, id)
        return Response(_sheet(request, id, sheet_id))

    @extend_schema(request=SheetChangeSerializer, responses={200: ScoreSheetDetailSerializer, **ERRORS}, tags=TAGS)
    def patch(self, request, id, sheet_id):
        data = _payload(SheetChangeSerializer, request)
        sheets.update_sheet(case_id=id, actor=request.user, sheet_id=sheet_id, **data)
        return Response(_sheet(request, id, sheet_id))


class ScoreSheetSubmitView(APIView):
    """POST: submit your draft; it is rescored and locked for good (a self-assessment also records the decision
    the evaluation application needs)."""

    permission_classes = [has_role(Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_EXPERT)]

    @extend_schema(request=VersionSerializer, responses={200: ScoreSheetDetailSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id, sheet_id):
        data = _payload(VersionSerializer, request)
        sheets.submit_sheet(case_id=id, actor=request.user, sheet_id=sheet_id, **data)
        return Response(_sheet(request, id, sheet_id))


class ScoreSheetConflictView(APIView):
    """POST (the sheet's expert): declare whether you have a conflict of interest, once, before scoring."""

    permission_classes = [has_role(Role.SAMR_EXPERT)]

    @extend_schema(request=ConflictSerializer, responses={200: ScoreSheetDetailSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id, sheet_id):
        data = _payload(ConflictSerializer, request)
        sheets.declare_conflict(case_id=id, actor=request.user, sheet_id=sheet_id, **data)
        return Response(_sheet(request, id, sheet_id))


class ScoringYearsOverrideSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField())
    reason = serializers.CharField()
    set_by = serializers.CharField()
    set_at = serializers.DateTimeField()


class ScoringYearsSerializer(serializers.Serializer):
    round = serializers.IntegerField()
    years = serializers.ListField(child=serializers.IntegerField(), help_text=_("本轮评分表所评的年份"))
    computed = serializers.ListField(child=serializers.IntegerField(), help_text=_("按案件日期计算的年份"))
    basis = serializers.CharField(help_text="before_application | creation_period | ''")
    text = serializers.CharField(help_text=_("指标体系原文：近2年／创建期内"))
    article = serializers.CharField()
    explanation = serializers.CharField()
    provisional = serializers.BooleanField(help_text=_("尚未申请评估，暂按今日计算"))
    override = ScoringYearsOverrideSerializer(allow_null=True, help_text=_("总局的调整（最近一次）"))


class SetScoringYearsSerializer(serializers.Serializer):
    years = serializers.ListField(child=serializers.IntegerField(min_value=2000, max_value=2100), min_length=1,
                                 max_length=sheets.MAX_SCORING_YEARS)
    reason = serializers.CharField(max_length=5000, help_text=_("调整理由（记入案件记录）"))
    version = VersionField()


def _years_body(case_id, user):
    case = cases_visible_to(user).select_related("rule_set", "creation_object__province").filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    info = sheets.case_years(case)
    override = info.override
    return {"round": sheets.current_round(case), "years": info.years, "computed": info.computed,
            "basis": info.basis, "text": info.text, "article": info.article, "explanation": info.explanation,
            "provisional": info.provisional,
            "override": None if override is None else {
                "years": override.years, "reason": override.reason, "set_by": override.set_by.username,
                "set_at": override.set_at}}


class ScoringYearsView(APIView):
    """The years the case's score sheets score (issue 10 item 5): the case's own — the full calendar years before
    the evaluation application (2022 system, 近2年) or the years of the creation period (current draft, 创建期内).
    GET: whoever may read the case. PUT (SAMR officers): set other years, with a reason kept in the audit trail;
    the round's drafts are rescored."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(responses={200: ScoringYearsSerializer, 404: ERRORS[404], 409: ERRORS[409]}, tags=TAGS)
    def get(self, request, id):
        return Response(ScoringYearsSerializer(_years_body(id, request.user)).data)

    @extend_schema(request=SetScoringYearsSerializer, responses={200: ScoringYearsSerializer, **ERRORS}, tags=TAGS)
    def put(self, request, id):
        if getattr(request.user, "role", None) != Role.SAMR_OFFICER:
            _case_in_scope(request, id)  # outside the caller's scope: 404, as everywhere
        data = _payload(SetScoringYearsSerializer, request)
        sheets.set_scoring_years(case_id=id, actor=request.user, **data)
        return Response(ScoringYearsSerializer(_years_body(id, request.user)).data)


class ScoreSheetFinaliseView(APIView):
    """POST (SAMR officers): aggregate the submitted expert sheets of this round into the evaluation result."""

    permission_classes = [has_role(Role.SAMR_OFFICER)]

    @extend_schema(request=FinaliseSerializer, responses={201: ScoreSheetDetailSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id):
        data = _payload(FinaliseSerializer, request)
        sheet = sheets.finalise(case_id=id, actor=request.user, **data)
        return Response(_sheet(request, id, sheet.pk), status=http_status.HTTP_201_CREATED)

