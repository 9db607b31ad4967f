"""The case API — a contract for other government systems (issue #2). Thin: every write calls a service.

Who may use what (deny by default; a case outside the caller's scope answers 404):
- applicants, provincial reviewers, SAMR officers and SAMR experts: case reads within their scope;
- applicants: create and edit their own drafts, upload their materials;
- SAMR officers: assign experts;
(the self-assessment and the evaluation result come only from submitted score sheets: evaluation/sheet_api.py);
- each move: the roles its transition declares (cases/workflow.py).
Admins configure the system and see no cases; the public sees no case API.
"""
import django_filters
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from applications import services as application_services
from demozone.fields import BoundedDateField, VersionField
from demozone.parsers import SafeJSONParser
from documents import services as document_services
from documents.models import Document
from evaluation import services as evaluation_services

from . import selectors, serializers as s, services
from .errors import InvalidPayload, NotFound
from .payloads import BasePayload
from .workflow import State

CASE_ROLES = (Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER, Role.SAMR_EXPERT)
ERRORS = {
    400: OpenApiResponse(s.ErrorSerializer, description=_("请求内容有误")),
    401: OpenApiResponse(s.ErrorSerializer, description=_("未登录或令牌无效")),
    403: OpenApiResponse(s.ErrorSerializer, description=_("您的角色不能执行该操作")),
    404: OpenApiResponse(s.ErrorSerializer, description=_("案件不存在或不在您的范围内")),
    409: OpenApiResponse(s.ErrorSerializer, description=_("当前状态不允许、条件未满足，或与他人同时操作")),
}


def has_role(*roles):
    """A DRF permission: authenticated, with one of ``roles``."""
    allowed = frozenset(roles)

    class HasRole(permissions.BasePermission):
        message = _("您的角色不能使用该功能。")

        def has_permission(self, request, view):
            return bool(request.user and request.user.is_authenticated and request.user.role in allowed)

    HasRole.__name__ = "HasRole_" + "_".join(sorted(allowed))
    return HasRole


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})


class ObtainTokenView(APIView):
    """POST {username, password} → {token, expiry}. Anyone may call it.

    The token (django-rest-knox) is kept only as a hash and expires after API_TOKEN_HOURS; POST /api/auth/logout/
    revokes it. Failed attempts count towards django-axes' lockout of the account and of the address (429)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    parser_classes = [SafeJSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                            "expiry": serializers.DateTimeField()}),
                   400: ERRORS[400], 429: OpenApiResponse(s.ErrorSerializer, description=_("登录失败次数过多，已暂时锁定"))},
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        from axes.handlers.proxy import AxesProxyHandler
        from django.contrib.auth import authenticate, user_logged_in
        from knox.models import AuthToken

        from accounts.signin import lockout_response

        payload = TokenRequestSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("请填写用户名和密码。"), errors=payload.errors)
        credentials = dict(payload.validated_data)
        django_request = request._request
        if AxesProxyHandler.is_locked(django_request, {"username": credentials["username"]}):
            return lockout_response(django_request)
        user = authenticate(request=django_request, **credentials)
        if user is None:
            if getattr(django_request, "axes_locked_out", False):
                return lockout_response(django_request)
            raise InvalidPayload(_("用户名或密码不正确。"), errors={"non_field_errors": [_("用户名或密码不正确。")]})
        instance, token = AuthToken.objects.create(user)
        user_logged_in.send(sender=user.__class__, request=django_request, user=user)  # the sign-in audit
        return Response({"token": token, "expiry": instance.expiry})


class LogoutView(APIView):
    """POST: revoke the token this request carries (or, with ``all``, every token of the caller)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={204: None, 401: ERRORS[401]}, tags=["auth"])
    def post(self, request, *args, **kwargs):
        from django.contrib.auth import user_logged_out

        if kwargs.get("everywhere"):
            request.user.auth_token_set.all().delete()
        elif request.auth is not None and hasattr(request.auth, "delete"):
            request.auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request._request, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class CaseFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(choices=State.choices)
    province = django_filters.CharFilter(field_name="creation_object__province__code", help_text=_("省级区划代码"))
    rule_set = django_filters.CharFilter(field_name="rule_set__code", help_text=_("管理办法版本代码"))
    call = django_filters.NumberFilter(field_name="call_id", help_text=_("申报通知编号"))
    q = django_filters.CharFilter(method="filter_text", max_length=100,
                                  help_text=_("按案件编号、名称、创建对象或省级单位检索（多个词须同时出现）"))
    # 办法 第九条、第十二条: SAMR's queue of terminations to decide — the sweep flagged them, SAMR terminates or extends.
    lapse_decision_due = django_filters.BooleanFilter(method="filter_lapse_decision_due",
                                                      help_text=_("创建期满未申请评估、待总局决定终止或延长的案件"))

    def filter_text(self, queryset, name, value):
        return selectors.search(queryset, value)

    def filter_lapse_decision_due(self, queryset, name, value):
        from django.db.models import F

        due = Q(state=State.CREATING, lapse_flagged_for=F("creation_end"))
        return queryset.filter(due) if value else queryset.exclude(due)


class CaseListView(generics.ListAPIView):
    """GET the cases in your scope (paginated, filterable); POST (applicants) opens a draft."""

    permission_classes = [has_role(*CASE_ROLES)]
    serializer_class = s.CaseListSerializer
    filterset_class = CaseFilter

    def get_queryset(self):
        return selectors.case_list(self.request.user)

    @extend_schema(request=s.CaseCreateSerializer, responses={201: s.CaseDetailSerializer, **ERRORS}, tags=["cases"])
    def post(self, request):
        payload = s.CaseCreateSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        case = services.create_case(actor=request.user, **payload.validated_data)
        return Response(s.CaseDetailSerializer(case, context={"request": request}).data, status=status.HTTP_201_CREATED)

    @extend_schema(tags=["cases"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def _visible_case(request, case_id):
    case = selectors.case_list(request.user).filter(pk=case_id).first()
    if case is None:
        raise NotFound()
    return case


class CaseDetailView(APIView):
    """GET one case in your scope; PATCH (applicants, draft or returned) its title, call and application form."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(responses={200: s.CaseDetailSerializer, 404: ERRORS[404]}, tags=["cases"])
    def get(self, request, id):
        case_id = id  # the contract's path parameter is {id}
        case = _visible_case(request, case_id)
        return Response(s.CaseDetailSerializer(case, context={"request": request}).data)

    @extend_schema(request=s.CaseUpdateSerializer, responses={200: s.CaseDetailSerializer, **ERRORS}, tags=["cases"])
    def patch(self, request, id):
        case_id = id  # the contract's path parameter is {id}
        payload = s.CaseUpdateSerializer(data=request.data, partial=True)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        data = dict(payload.validated_data)
        version = data.pop("version", None)
        form = data.pop("application_form", None)
        with transaction.atomic():  # the case fields and the form: one action, all or nothing
            services.update_case(case_id=case_id, actor=request.user, expected_version=version, **data)
            if form is not None:
                application_services.save_application_form(case_id=case_id, actor=request.user, **form)
        return Response(s.CaseDetailSerializer(_visible_case(request, case_id), context={"request": request}).data)


class TransitionListView(APIView):
    """GET the moves your role may make from the case's current state, and whether their conditions hold now."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(responses={200: s.TransitionOptionSerializer(many=True), 404: ERRORS[404]}, tags=["cases"])
    def get(self, request, id):
        case_id = id  # the contract's path parameter is {id}
        case = _visible_case(request, case_id)
        options = []
        for move, reasons in services.available_moves(case, request.user):
            payload_class = move.payload_class()
            fields = list((payload_class or BasePayload)().fields)
            options.append({"name": move.name, "label": str(move.label), "allowed": not reasons,
                            "blocked_by": reasons, "comment_required": move.comment_required, "fields": fields})
        return Response(s.TransitionOptionSerializer(options, many=True).data)


class TransitionView(APIView):
    """POST a move: {comment, attachments, version, …the move's own fields}. Returns the case after the move."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(
        request=inline_serializer("TransitionRequest", {
            "comment": serializers.CharField(required=False),
            "attachments": serializers.ListField(child=serializers.IntegerField(), required=False),
            "version": VersionField(),
            "rank": serializers.IntegerField(required=False), "creation_start": BoundedDateField(required=False),
            "round": serializers.IntegerField(required=False, help_text=_("评估批次（提交评估申请、再次申请评估时）")),
            "first_day": BoundedDateField(required=False), "text": serializers.CharField(required=False),
            "ground": serializers.CharField(required=False),
            "documents_checked": serializers.BooleanField(required=False),
            "data_compared": serializers.BooleanField(required=False),
            "site_checked": serializers.BooleanField(required=False),
        }),
        responses={200: s.CaseDetailSerializer, **ERRORS}, tags=["cases"],
    )
    def post(self, request, id, name):
        case_id = id  # the contract's path parameter is {id}
        payload = dict(request.data)
        version = payload.pop("version") if "version" in payload else request.headers.get("If-Match")
        case = services.perform_transition(case_id=case_id, name=name, actor=request.user, payload=payload,
                                           expected_version=version)
        return Response(s.CaseDetailSerializer(_visible_case(request, case.pk), context={"request": request}).data)


class HistoryView(generics.ListAPIView):
    """GET the case's audit trail, oldest first."""

    permission_classes = [has_role(*CASE_ROLES)]
    serializer_class = s.AuditEntrySerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return selectors.history(None)
        return selectors.history(_visible_case(self.request, self.kwargs["id"]))

    @extend_schema(tags=["cases"], responses={200: s.AuditEntrySerializer(many=True), 404: ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DocumentUploadSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=Document.Kind.choices, label=_("类别"))
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", label=_("标题"))
    file = serializers.FileField(label=_("文件"), help_text=_("PDF、OFD、Word、Excel、JPEG 或 PNG，按类别而定"))


class DocumentView(APIView):
    """GET the case's documents; POST (multipart: kind, title, file) uploads a new one."""

    permission_classes = [has_role(*CASE_ROLES)]
    parser_classes = [MultiPartParser, FormParser, SafeJSONParser]

    @extend_schema(responses={200: s.DocumentSerializer(many=True), 404: ERRORS[404]}, tags=["documents"])
    def get(self, request, id):
        case_id = id  # the contract's path parameter is {id}
        case = _visible_case(request, case_id)
        return Response(s.DocumentSerializer(case.documents.all(), many=True, context={"request": request}).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: s.DocumentSerializer, **ERRORS}, tags=["documents"],
    )
    def post(self, request, id):
        case_id = id  # the contract's path parameter is {id}
        payload = DocumentUploadSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        data = payload.validated_data
        document = document_services.upload_document(case_id=case_id, actor=request.user, kind=data["kind"],
                                                     title=data.get("title", ""), file=data["file"])
        return Response(s.DocumentSerializer(document, context={"request": request}).data,
                        status=status.HTTP_201_CREATED)


class DocumentFileView(APIView):
    """GET a document's file: anyone who may see its case (token or session); 404 outside the scope."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, 401: ERRORS[401],
                              404: ERRORS[404]}, tags=["documents"])
    def get(self, request, id):
        from documents.serving import file_response

        document = Document.objects.filter(pk=id, case__in=selectors.cases_visible_to(request.user)).first()
        if document is None:
            raise NotFound(_("未找到该材料。"))
        return file_response(document, download=request.query_params.get("download") == "1")


class ExpertAssignmentRequest(serializers.Serializer):
    expert = serializers.CharField(max_length=150, help_text=_("专家的用户名"))
    replaces = serializers.CharField(max_length=150, required=False,
                                     help_text=_("改派时：本轮声明存在利益冲突、被替换的专家的用户名"))


class ExpertAssignmentRowSerializer(serializers.Serializer):
    expert = serializers.CharField(source="expert.username")
    expert_name = serializers.CharField()
    round = serializers.IntegerField()
    assigned_at = serializers.DateTimeField()
    has_conflict = serializers.BooleanField(allow_null=True, help_text=_("利益冲突声明：空为尚未声明"))
    conflict_statement = serializers.CharField()
    conflict_declared_at = serializers.DateTimeField(allow_null=True)
    sheet_status = serializers.CharField(allow_null=True, help_text=_("评分表状态：空为尚未开始评分"))


class ExpertAssignmentView(APIView):
    """GET (SAMR officers) the case's expert assignments with each expert's conflict-of-interest declaration;
    POST {expert: username} assigns an expert to the current evaluation round, or {expert, replaces} assigns one
    in place of an expert who declared a conflict (办法 第十四条)."""

    permission_classes = [has_role(Role.SAMR_OFFICER)]

    @extend_schema(responses={200: ExpertAssignmentRowSerializer(many=True), 404: ERRORS[404]}, tags=["evaluation"])
    def get(self, request, id):
        from evaluation.selectors import assignment_rows

        case = _visible_case(request, id)
        return Response(ExpertAssignmentRowSerializer(assignment_rows(case), many=True).data)

    @extend_schema(request=ExpertAssignmentRequest, responses={201: s.CaseDetailSerializer, **ERRORS}, tags=["evaluation"])
    def post(self, request, id):
        case_id = id  # the contract's path parameter is {id}
        payload = ExpertAssignmentRequest(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("请选择一位评估专家。"), errors=payload.errors)
        experts = get_user_model().objects.filter(role=Role.SAMR_EXPERT)
        expert = experts.filter(username=payload.validated_data["expert"]).first()
        if expert is None:
            raise InvalidPayload(_("请选择一位评估专家。"), errors={"expert": [_("没有该评估专家。")]})
        if "replaces" in payload.validated_data:
            replaced = experts.filter(username=payload.validated_data["replaces"]).first()
            if replaced is None:
                raise InvalidPayload(_("请选择被替换的专家。"), errors={"replaces": [_("没有该评估专家。")]})
            evaluation_services.replace_expert(case_id=case_id, actor=request.user, replaced=replaced, expert=expert)
        else:
            evaluation_services.assign_expert(case_id=case_id, actor=request.user, expert=expert)
        return Response(s.CaseDetailSerializer(_visible_case(request, case_id), context={"request": request}).data,
                        status=status.HTTP_201_CREATED)
