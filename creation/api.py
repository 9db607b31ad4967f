"""The creation workspace's API (issue #9, part 9): units, liaisons, the plan and its tasks. Thin: every write calls
creation.services (or creation.xlsx for the workbook).

Who may use what (deny by default; a case outside the caller's workspace scope — creation.selectors — is a 404):
- the city's office (applicants of the creation object): everything below, writes included;
- a member unit's liaison: GET the plan, the units, and only their own unit's tasks (another unit's task: 404);
  PATCH status / POST progress on those tasks;
- provincial reviewers (their province) and SAMR officers: read everything;
- experts, admins: 403. The optimistic lock: ``version`` in the body, or an If-Match header (409 when stale)."""
from django.db.models import Count, Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import ERRORS, has_role
from cases.errors import InvalidPayload, NotFound
from demozone.parsers import SafeJSONParser

from . import selectors, serializers as s, services, xlsx
from .models import Liaison, Plan, Task, TaskProgress, Unit

WORKSPACE_ROLES = (Role.APPLICANT, Role.MEMBER_LIAISON, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER)
TAGS = ["creation"]


def _valid(serializer_class, request, **kwargs):
    payload = serializer_class(data=request.data, **kwargs)
    if not payload.is_valid():
        raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
    data = dict(payload.validated_data)
    data["expected_version"] = data.pop("version", None) or request.headers.get("If-Match")
    return data


def units_of(case):
    return (Unit.objects.filter(creation_object_id=case.creation_object_id)
            .prefetch_related(Prefetch("liaisons", queryset=Liaison.objects.select_related("user"))))


def plan_of(case):
    return (Plan.objects.filter(case=case).annotate(task_count=Count("tasks"))
            .prefetch_related("phases").first())


class UnitListView(APIView):
    """GET the city's member units (departments, counties) with their liaisons; POST (the office) a new unit."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [SafeJSONParser, FormParser]

    @extend_schema(responses={200: s.UnitSerializer(many=True), **ERRORS}, tags=TAGS)
    def get(self, request, id):
        case = selectors.workspace_case(request.user, id)
        return Response(s.UnitSerializer(units_of(case), many=True).data)

    @extend_schema(request=s.UnitRequestSerializer, responses={201: s.UnitSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id):
        data = _valid(s.UnitRequestSerializer, request)
        unit = services.add_unit(case_id=id, actor=request.user, name=data["name"], kind=data["kind"])
        return Response(s.UnitSerializer(unit).data, status=status.HTTP_201_CREATED)


class UnitDetailView(APIView):
    """PATCH (the office): rename a unit, change its kind, retire it (active=false) or bring it back."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [SafeJSONParser, FormParser]

    @extend_schema(request=s.UnitChangeSerializer, responses={200: s.UnitSerializer, **ERRORS}, tags=TAGS)
    def patch(self, request, id, unit_id):
        data = _valid(s.UnitChangeSerializer, request)
        data.pop("expected_version", None)
        unit = services.change_unit(case_id=id, actor=request.user, unit_id=unit_id, **data)
        return Response(s.UnitSerializer(unit).data)


class LiaisonView(APIView):
    """POST (the office): a liaison login for the unit — {username, name, password}; Django's password rules apply.
    The liaison belongs to the city's organisation and sees only this unit's tasks and indicators."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [SafeJSONParser, FormParser]

    @extend_schema(request=s.LiaisonRequestSerializer, responses={201: s.LiaisonSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id, unit_id):
        data = _valid(s.LiaisonRequestSerializer, request)
        liaison = services.create_liaison(case_id=id, actor=request.user, unit_id=unit_id, username=data["username"],
                                          name=data["name"], password=data["password"])
        return Response(s.LiaisonSerializer(liaison).data, status=status.HTTP_201_CREATED)


class PlanView(APIView):
    """GET the plan (goals, link to the 创建方案, phases, the responsibility per indicator — a liaison: their unit's —,
    the number of tasks, its version); POST (the office) goals, document and phases: creates the plan or writes a
    new version (send the version you read)."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [SafeJSONParser]

    @extend_schema(responses={200: s.PlanSerializer, **ERRORS}, tags=TAGS)
    def get(self, request, id):
        case = selectors.workspace_case(request.user, id)
        plan = plan_of(case)
        if plan is None:
            raise NotFound(_("尚未建立创建工作方案。"))
        rows = selectors.responsibilities_visible(request.user, plan).select_related("lead_unit").prefetch_related(
            "co_units")
        return Response(s.PlanSerializer(plan, context={"responsibilities": rows}).data)

    @extend_schema(request=s.PlanRequestSerializer, responses={201: s.PlanSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id):
        data = _valid(s.PlanRequestSerializer, request)
        services.save_plan(case_id=id, actor=request.user, goals=data.get("goals"),
                           # null unlinks the 创建方案; leaving the field out keeps the link
                           document_id=(data["document"] or "") if "document" in data else None,
                           phases=data.get("phases"), expected_version=data["expected_version"])
        plan = plan_of(selectors.workspace_case(request.user, id))
        return Response(s.PlanSerializer(plan).data, status=status.HTTP_201_CREATED)


class ResponsibilityView(APIView):
    """POST (the office): the unit responsible for one indicator of the case's indicator version, and its co-units
    (002 附件2). A new plan version."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [SafeJSONParser]

    @extend_schema(request=s.ResponsibilityRequestSerializer, responses={201: s.ResponsibilitySerializer, **ERRORS},
                   tags=TAGS)
    def post(self, request, id):
        data = _valid(s.ResponsibilityRequestSerializer, request)
        row = services.set_responsibility(case_id=id, actor=request.user, number=data["number"],
                                          lead_unit=data["lead_unit"], co_units=data.get("co_units", ()),
                                          expected_version=data["expected_version"])
        return Response(s.ResponsibilitySerializer(row).data, status=status.HTTP_201_CREATED)


class RevisionListView(APIView):
    """GET the plan's versions, newest first, each with its snapshot."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]

    @extend_schema(responses={200: s.PlanRevisionSerializer(many=True), **ERRORS}, tags=TAGS)
    def get(self, request, id):
        case = selectors.workspace_case(request.user, id)
        if not (selectors.is_office(request.user, case) or selectors.is_reader(request.user)):
            raise NotFound()  # a liaison sees their own part, not the whole plan's history
        revisions = selectors_revisions(case)
        return Response(s.PlanRevisionSerializer(revisions, many=True).data)


def selectors_revisions(case):
    from .models import PlanRevision

    return PlanRevision.objects.filter(plan__case=case).select_related("created_by").order_by("-number")


def tasks_for(user, case, plan):
    return (selectors.tasks_visible(user, plan).select_related("phase", "lead_unit").prefetch_related("co_units")
            .order_by("number"))


class TaskListView(APIView):
    """GET the plan's tasks (a liaison: their unit's, as lead or co-unit); POST (the office) a new task."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [SafeJSONParser]

    @extend_schema(responses={200: s.TaskSerializer(many=True), **ERRORS}, tags=TAGS)
    def get(self, request, id):
        case = selectors.workspace_case(request.user, id)
        plan = Plan.objects.filter(case=case).first()
        if plan is None:
            return Response([])
        return Response(s.TaskSerializer(tasks_for(request.user, case, plan), many=True).data)

    @extend_schema(request=s.TaskRequestSerializer, responses={201: s.TaskSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id):
        data = _valid(s.TaskRequestSerializer, request)
        task = services.create_task(case_id=id, actor=request.user, **data)
        return Response(s.TaskSerializer(task).data, status=status.HTTP_201_CREATED)


def _task_detail(user, case_id, task_id):
    case = selectors.workspace_case(user, case_id)
    plan = Plan.objects.filter(case=case).first()
    task = None
    if plan is not None:
        task = (tasks_for(user, case, plan).prefetch_related(
            Prefetch("progress", queryset=TaskProgress.objects.select_related("author", "unit")
                     .prefetch_related("attachments"))).filter(pk=task_id).first())
    if task is None:
        raise NotFound(_("没有这个任务。"))
    return task


class TaskDetailView(APIView):
    """GET a task with its progress notes; PATCH it — the office its definition (title, content, phase, lead_unit,
    co_units, due_on: a new plan version), the office or a liaison of its lead or a co-unit its status, with an
    optional progress note. ``version``: the task's version you read."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [SafeJSONParser]

    @extend_schema(responses={200: s.TaskDetailSerializer, **ERRORS}, tags=TAGS)
    def get(self, request, id, task_id):
        return Response(s.TaskDetailSerializer(_task_detail(request.user, id, task_id)).data)

    @extend_schema(request=s.TaskPatchSerializer, responses={200: s.TaskDetailSerializer, **ERRORS}, tags=TAGS)
    def patch(self, request, id, task_id):
        data = _valid(s.TaskPatchSerializer, request)
        services.update_task(case_id=id, actor=request.user, task_id=task_id, **data)
        return Response(s.TaskDetailSerializer(_task_detail(request.user, id, task_id)).data)


class TaskProgressView(APIView):
    """POST (the office, or a liaison of the task's lead or a co-unit): a progress note — multipart {text, status,
    files…} — dated and attributed, its attachments checked by their content."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [MultiPartParser, FormParser, SafeJSONParser]

    @extend_schema(request={"multipart/form-data": s.ProgressRequestSerializer},
                   responses={201: s.TaskProgressSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id, task_id):
        data = _valid(s.ProgressRequestSerializer, request)
        note = services.add_progress(case_id=id, actor=request.user, task_id=task_id, text=data["text"],
                                     status=data.get("status"), files_=data.get("files", ()),
                                     expected_version=data["expected_version"])
        return Response(s.TaskProgressSerializer(note).data, status=status.HTTP_201_CREATED)


class PlanWorkbookView(APIView):
    """GET the plan as the XLSX workbook officials keep (?template=1: the empty template with the indicators);
    POST (the office) a workbook to import — every error with its sheet, row and column; nothing written unless
    all rows are good."""

    permission_classes = [has_role(*WORKSPACE_ROLES)]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(responses={(200, xlsx.CONTENT_TYPE): OpenApiTypes.BINARY, 403: ERRORS[403], 404: ERRORS[404]},
                   tags=TAGS)
    def get(self, request, id):
        case = selectors.workspace_case(request.user, id)
        if not (selectors.is_office(request.user, case) or selectors.is_reader(request.user)):
            raise NotFound()
        template = request.query_params.get("template") == "1"
        return workbook_response(case, template=template)

    @extend_schema(request={"multipart/form-data": s.ImportRequestSerializer},
                   responses={201: s.ImportResultSerializer,
                              400: OpenApiResponse(description=_("工作簿有错误：errors.file 逐条列出（工作表、行、列）")),
                              **{k: v for k, v in ERRORS.items() if k != 400}}, tags=TAGS)
    def post(self, request, id):
        data = _valid(s.ImportRequestSerializer, request)
        plan, created = xlsx.import_plan(case_id=id, actor=request.user, data=data["file"].read(),
                                         create_units=data["create_units"], expected_version=data["expected_version"])
        return Response({"version": plan.version, "created_units": [u.name for u in created]},
                        status=status.HTTP_201_CREATED)


def workbook_response(case, *, template=False):
    plan = Plan.objects.filter(case=case).first()
    body = xlsx.export_workbook(case, plan, template=template or plan is None)
    name = f"plan-{case.reference}{'-template' if template else ''}.xlsx"
    response = HttpResponse(body, content_type=xlsx.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
