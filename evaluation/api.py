"""Evaluation rounds (评估批次, 办法 第十二条–第十七条) over the API. Who may use what: every case role reads the
rounds (they are SAMR's public schedule for evaluation applications); SAMR officers open and correct them."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import CASE_ROLES, ERRORS, has_role
from cases.errors import InvalidPayload, NotFound
from demozone.fields import BoundedDateField
from indicators.models import IndicatorSystem

from . import services
from .models import Round


class RoundSerializer(serializers.ModelSerializer):
    opens_on = BoundedDateField(label=_("受理开始日"))
    closes_on = BoundedDateField(label=_("受理截止日"))
    indicator_system = serializers.SlugRelatedField(slug_field="code", queryset=IndicatorSystem.objects.all(),
                                                    help_text=_("评估指标体系版本的代码，如 draft-current"))

    class Meta:
        model = Round
        fields = ["id", "title", "document_number", "opens_on", "closes_on", "indicator_system", "created_at"]
        read_only_fields = ["id", "created_at"]


def _roles(request):
    return (Role.SAMR_OFFICER,) if request.method in ("POST", "PATCH") else CASE_ROLES


class RoundListView(generics.ListAPIView):
    """GET the rounds (every case role); POST opens one (SAMR officers)."""

    serializer_class = RoundSerializer
    queryset = Round.objects.select_related("indicator_system").order_by("-opens_on", "-pk")

    def get_permissions(self):
        return [has_role(*_roles(self.request))()]

    @extend_schema(tags=["evaluation"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(request=RoundSerializer, responses={201: RoundSerializer, **ERRORS}, tags=["evaluation"])
    def post(self, request):
        payload = RoundSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        round_ = services.open_round(actor=request.user, **payload.validated_data)
        return Response(RoundSerializer(round_).data, status=status.HTTP_201_CREATED)


class RoundDetailView(APIView):
    """GET one round (every case role); PATCH corrects it (SAMR officers; days and version only before it opens)."""

    def get_permissions(self):
        return [has_role(*_roles(self.request))()]

    def _round(self, id):
        round_ = Round.objects.select_related("indicator_system").filter(pk=id).first()
        if round_ is None:
            raise NotFound(_("未找到该评估批次。"))
        return round_

    @extend_schema(responses={200: RoundSerializer, **ERRORS}, tags=["evaluation"])
    def get(self, request, id):
        return Response(RoundSerializer(self._round(id)).data)

    @extend_schema(request=RoundSerializer, responses={200: RoundSerializer, **ERRORS}, tags=["evaluation"])
    def patch(self, request, id):
        self._round(id)
        payload = RoundSerializer(data=request.data, partial=True)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        round_ = services.update_round(round_id=id, actor=request.user, **payload.validated_data)
        return Response(RoundSerializer(round_).data)
