"""API of the creation period's milestones, progress reports and checks (issue 9, parts 6 and 9). Who may use what
(deny by default; a case outside the caller's workspace scope answers 404 — creation.selectors):
- GET, POST /api/cases/{id}/progress-reports/ — the office submits ({period, body} as JSON, or multipart with a
  ``file``); the office and the readers (province, SAMR) list them, each with its reading receipts; a liaison: 403.
- GET /api/cases/{id}/progress-reports/{report_id}/ — one report with its text; a reader's first GET for their
  organisation is the reading receipt.
- GET, POST /api/cases/{id}/checks/ — unit self-checks (the unit's liaison, or the office for a unit) and the
  acceptance check (the office); a liaison lists only its own unit's self-checks and the acceptance check.
- GET /api/cases/{id}/milestones/ — the plan's phases and the tasks the user sees, with due days and overdue flags.
Experts and admins: 403."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import ERRORS, has_role
from cases.errors import InvalidPayload, NotFound
from demozone.parsers import SafeJSONParser

from . import milestones, reports, selectors
from .models import Check

REPORT_ROLES = (Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER)
WORKSPACE_ROLES = REPORT_ROLES + (Role.MEMBER_LIAISON,)


def _case(request, id):
    from django.http import Http404

    try:
        return selectors.workspace_case(request.user, id)
    except Http404:
        raise NotFound() from None


class ReceiptSerializer(serializers.Serializer):
    organisation = serializers.CharField(source="organisation.name")
    reader = serializers.CharField(source="reader.__str__")
    read_at = serializers.DateTimeField()


class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(serializers.CharField())
    def get_url(self, document):
        return reverse("creation-record-file", args=[document.case_id, document.pk])


class ProgressReportRowSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    period = serializers.CharField(help_text=_("报告期（自由填写，如“2026年第3季度”）"))
    submitted_by = serializers.CharField(source="submitted_by.__str__")
    submitted_at = serializers.DateTimeField()
    document = AttachmentSerializer(allow_null=True)
    receipts = ReceiptSerializer(many=True, help_text=_("阅读回执：每个机构首次阅读的人和时间"))
    read_by_us = serializers.BooleanField(required=False, allow_null=True,
                                          help_text=_("省级或总局用户：本机构是否已阅读（仅对阅读方给出）"))


class ProgressReportSerializer(ProgressReportRowSerializer):
    body = serializers.CharField()


class ProgressReportRequestSerializer(serializers.Serializer):
    period = serializers.CharField(max_length=reports.PERIOD_MAX, help_text=_("报告期，如“2026年第3季度”"))
    body = serializers.CharField(max_length=reports.TEXT_MAX)
    file = serializers.FileField(required=False, help_text=_("附件（multipart）：PDF、OFD、Word、Excel、JPEG、PNG"))


class CheckSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=Check.Kind.choices)
    unit = serializers.IntegerField(source="unit_id", allow_null=True)
    unit_name = serializers.CharField(source="unit.name", allow_null=True, default=None)
    conclusion = serializers.CharField()
    document = AttachmentSerializer(allow_null=True)
    recorded_by = serializers.CharField(source="recorded_by.__str__")
    recorded_at = serializers.DateTimeField()


class CheckRequestSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Check.Kind.choices)
    unit = serializers.IntegerField(required=False, allow_null=True,
                                    help_text=_("成员单位自查：单位 id（联络员可省略，即本单位）"))
    conclusion = serializers.CharField(max_length=reports.TEXT_MAX)
    file = serializers.FileField(required=False)


class MilestoneRowSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("task", "task"), ("phase", "phase")])
    id = serializers.IntegerField()
    number = serializers.IntegerField(allow_null=True)
    title = serializers.CharField()
    due = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()
    status = serializers.CharField(allow_null=True)


def _invalid(payload):
    raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)


class ProgressReportListView(APIView):
    """GET the case's progress reports (newest first) with their reading receipts; POST (the office) a report."""

    permission_classes = [has_role(*REPORT_ROLES)]
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(responses={200: ProgressReportRowSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
                   tags=["creation"])
    def get(self, request, id):
        case = _case(request, id)
        return Response(ProgressReportRowSerializer(reports.reports_of(request.user, case), many=True).data)

    @extend_schema(request=ProgressReportRequestSerializer, responses={201: ProgressReportSerializer, **ERRORS},
                   tags=["creation"])
    def post(self, request, id):
        payload = ProgressReportRequestSerializer(data=request.data)
        if not payload.is_valid():
            _invalid(payload)
        data = payload.validated_data
        report = reports.submit_progress_report(case_id=id, actor=request.user, period=data["period"],
                                                body=data["body"], file=data.get("file"))
        report = reports.progress_report(request.user, report.case, report.pk)
        return Response(ProgressReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ProgressReportDetailView(APIView):
    """GET one progress report with its text; a provincial reviewer's or SAMR officer's first reading for their
    organisation leaves the reading receipt."""

    permission_classes = [has_role(*REPORT_ROLES)]

    @extend_schema(responses={200: ProgressReportSerializer, 403: ERRORS[403], 404: ERRORS[404]}, tags=["creation"])
    def get(self, request, id, report_id):
        case = _case(request, id)
        report, _created = reports.read_progress_report(user=request.user, case=case, report_id=report_id)
        return Response(ProgressReportSerializer(report).data)


class CheckListView(APIView):
    """GET the unit self-checks and acceptance checks the caller may see (newest first); POST one: a unit's
    self-check (its liaison, or the office naming the unit) or the acceptance check (the office)."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(responses={200: CheckSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]}, tags=["creation"])
    def get(self, request, id):
        case = _case(request, id)
        return Response(CheckSerializer(reports.checks_of(request.user, case), many=True).data)

    @extend_schema(request=CheckRequestSerializer, responses={201: CheckSerializer, **ERRORS}, tags=["creation"])
    def post(self, request, id):
        payload = CheckRequestSerializer(data=request.data)
        if not payload.is_valid():
            _invalid(payload)
        data = payload.validated_data
        check = reports.record_check(case_id=id, actor=request.user, kind=data["kind"], unit_id=data.get("unit"),
                                     conclusion=data["conclusion"], file=data.get("file"))
        return Response(CheckSerializer(check).data, status=status.HTTP_201_CREATED)


class MilestoneListView(APIView):
    """GET the plan's phases and the tasks the caller sees, with due days, days left and overdue flags (Beijing
    days). A liaison sees its own unit's tasks."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]

    @extend_schema(responses={200: MilestoneRowSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
                   tags=["creation"])
    def get(self, request, id):
        case = _case(request, id)
        rows = []
        plan = getattr(case, "plan", None)  # a case without a structured plan has no milestones
        if plan is not None:
            overview = milestones.case_overview(case, selectors.tasks_visible(request.user, plan))
            rows += [{"kind": "phase", "id": r["phase"].pk, "number": r["phase"].order, "title": r["phase"].name,
                      "due": r["due"], "days_left": r["days_left"], "overdue": r["overdue"], "status": None}
                     for r in overview["phases"]]
            rows += [{"kind": "task", "id": r["task"].pk, "number": r["task"].number, "title": r["task"].title,
                      "due": r["due"], "days_left": r["days_left"], "overdue": r["overdue"],
                      "status": r["task"].status} for r in overview["tasks"]]
        return Response(MilestoneRowSerializer(rows, many=True).data)
