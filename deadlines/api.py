"""Deadline API. Who may use what (deny by default; a case outside the caller's scope answers 404):
- applicants, provincial reviewers, SAMR officers and experts: read the deadlines of cases in their scope;
- SAMR officers: extend a creation period (a recorded decision)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api import CASE_ROLES, ERRORS, _visible_case, has_role
from cases.errors import InvalidPayload

from . import selectors, serializers as s, services


class CaseDeadlinesView(APIView):
    """GET the deadlines running for the case, soonest first, with the days left (Asia/Shanghai, inclusive)."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(responses={200: s.DeadlineSerializer(many=True), 404: ERRORS[404]}, tags=["deadlines"])
    def get(self, request, id):
        case = _visible_case(request, id)
        return Response(s.DeadlineSerializer(selectors.deadline_rows(case), many=True).data)


class CreationExtensionView(APIView):
    """GET the creation-period extensions of the case; POST (SAMR officers) a new one."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(responses={200: s.ExtensionSerializer(many=True), 404: ERRORS[404]}, tags=["deadlines"])
    def get(self, request, id):
        case = _visible_case(request, id)
        return Response(s.ExtensionSerializer(selectors.extensions_of(case), many=True).data)

    @extend_schema(request=s.ExtensionRequestSerializer, responses={201: s.ExtensionSerializer, **ERRORS},
                   tags=["deadlines"])
    def post(self, request, id):
        payload = s.ExtensionRequestSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        data = payload.validated_data
        extension = services.extend_creation_period(case_id=id, actor=request.user, new_end=data["new_end"],
                                                    reason=data["reason"], expected_version=data.get("version"))
        return Response(s.ExtensionSerializer(extension).data, status=status.HTTP_201_CREATED)

