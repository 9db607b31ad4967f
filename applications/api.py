"""SAMR's calls for applications (办法 第七条). Anyone signed in with a case role reads them; SAMR officers open them."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from django.db import models
from rest_framework import generics, serializers, status
from rest_framework.views import APIView

from rest_framework.response import Response

from accounts.models import Role
from cases.api import CASE_ROLES, ERRORS, has_role
from cases.errors import InvalidPayload, NotFound
from demozone.fields import BoundedDateField, YearField

from . import services
from .models import ApplicationCall


class CallSerializer(serializers.ModelSerializer):
    # Dates a user sends stay within the window around today (demozone.fields); the year is a real year.
    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping,
                                models.DateField: BoundedDateField}
    year = YearField(label=_("年度"))

    class Meta:
        model = ApplicationCall
        fields = ["id", "title", "document_number", "year", "opens_on", "submission_deadline",
                  "recommendation_deadline"]

    def validate(self, data):
        if self.partial:  # a PATCH: the service checks the order against the call's other dates
            return data
        if not data["opens_on"] <= data["submission_deadline"] <= data["recommendation_deadline"]:
            raise serializers.ValidationError(_("日期须依次为：开始受理 ≤ 报送截止 ≤ 省级推荐截止。"))
        return data


class CallListView(generics.ListAPIView):
    """GET the calls (all case roles); POST opens a new one (SAMR officers)."""

    serializer_class = CallSerializer
    queryset = ApplicationCall.objects.all()

    def get_permissions(self):
        roles = (Role.SAMR_OFFICER,) if self.request.method == "POST" else CASE_ROLES
        return [has_role(*roles)()]

    @extend_schema(tags=["calls"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=CallSerializer, responses={201: CallSerializer, **ERRORS}, tags=["calls"])
    def post(self, request):
        payload = CallSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        call = services.create_call(actor=request.user, **payload.validated_data)
        return Response(CallSerializer(call).data, status=status.HTTP_201_CREATED)


class CallDetailView(APIView):
    """GET one call (all case roles); PATCH corrects it (SAMR officers) — only before it opens (办法 第七条)."""

    def get_permissions(self):
        roles = (Role.SAMR_OFFICER,) if self.request.method == "PATCH" else CASE_ROLES
        return [has_role(*roles)()]

    def _call(self, id):
        call = ApplicationCall.objects.filter(pk=id).first()
        if call is None:
            raise NotFound(_("未找到该申报通知。"))
        return call

    @extend_schema(responses={200: CallSerializer, **ERRORS}, tags=["calls"])
    def get(self, request, id):
        return Response(CallSerializer(self._call(id)).data)

    @extend_schema(request=CallSerializer, responses={200: CallSerializer, **ERRORS}, tags=["calls"])
    def patch(self, request, id):
        self._call(id)
        payload = CallSerializer(data=request.data, partial=True)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        call = services.update_call(call_id=id, actor=request.user, **payload.validated_data)
        return Response(CallSerializer(call).data)
