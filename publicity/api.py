"""The public side of 办法 第十五条、第十六条: notices now running, objections, the designated zones; and SAMR's
verification of objections. The public endpoints need no login and show only what is published."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import ERRORS, has_role
from cases.errors import InvalidPayload, NotFound
from cases.models import Case
from cases.workflow import State

from . import services
from .models import Notice, Objection


class PublicNoticeSerializer(serializers.ModelSerializer):
    creation_object = serializers.CharField(source="case.creation_object.name")
    province = serializers.CharField(source="case.creation_object.province.name")

    class Meta:
        model = Notice
        fields = ["id", "creation_object", "province", "first_day", "last_day", "text"]


class NoticeListView(generics.ListAPIView):
    """Anyone: the notices running today (公示期内), with both dates."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = PublicNoticeSerializer

    def get_queryset(self):
        today = timezone.localdate()
        return (Notice.objects.filter(case__state=State.IN_PUBLICITY, first_day__lte=today, last_day__gte=today)
                .select_related("case__creation_object__province").order_by("last_day", "pk"))

    @extend_schema(tags=["public"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ObjectionSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, label=_("异议人"))
    contact = serializers.CharField(max_length=100, label=_("联系方式"))
    content = serializers.CharField(max_length=10000, label=_("异议内容"))


class ObjectionThrottle(AnonRateThrottle):
    rate = "20/hour"


class ObjectionCreateView(APIView):
    """Anyone, while the notice runs: file an objection (接受社会监督)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ObjectionThrottle]

    @extend_schema(request=ObjectionSerializer, responses={201: None, 400: ERRORS[400], 404: ERRORS[404]},
                   tags=["public"])
    def post(self, request, id):
        payload = ObjectionSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        objection = services.file_objection(notice_id=id, **payload.validated_data)
        return Response({"id": objection.pk, "receipt": objection.receipt,
                         "detail": _("异议已收到，将由市场监管总局核实。回执编号：%(receipt)s") % {"receipt": objection.receipt}},
                        status=status.HTTP_201_CREATED)


class ObjectionDecisionSerializer(serializers.Serializer):
    upheld = serializers.BooleanField(label=_("异议成立"))
    decision = serializers.CharField(max_length=10000, label=_("核实意见"))


class ObjectionDecisionView(APIView):
    """SAMR officers: record whether a verified objection stands (办法 第十六条)."""

    permission_classes = [has_role(Role.SAMR_OFFICER)]

    @extend_schema(request=ObjectionDecisionSerializer, responses={200: None, **ERRORS}, tags=["publicity"])
    def post(self, request, id):
        payload = ObjectionDecisionSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        objection = services.decide_objection(objection_id=id, actor=request.user, **payload.validated_data)
        return Response({"id": objection.pk, "status": objection.status})


class ObjectionListSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = ["id", "receipt", "name", "contact", "content", "filed_at", "status", "decision", "decided_at"]


class CaseObjectionListView(generics.ListAPIView):
    """SAMR officers: the objections to a case's notices."""

    permission_classes = [has_role(Role.SAMR_OFFICER)]
    serializer_class = ObjectionListSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Objection.objects.none()
        if not Case.objects.filter(pk=self.kwargs["id"]).exists():
            raise NotFound()
        return Objection.objects.filter(notice__case_id=self.kwargs["id"]).order_by("filed_at")

    @extend_schema(tags=["publicity"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ZoneSerializer(serializers.ModelSerializer):
    creation_object = serializers.CharField(source="creation_object.name")
    creation_object_code = serializers.CharField(source="creation_object.code")
    province = serializers.CharField(source="creation_object.province.name")

    class Meta:
        model = Case
        fields = ["creation_object", "creation_object_code", "province", "designated_on"]


class ZoneListView(generics.ListAPIView):
    """Anyone: the designated demonstration zones (办法 第十六条: 向社会公布)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = ZoneSerializer

    def get_queryset(self):
        return (Case.objects.filter(state=State.DESIGNATED).select_related("creation_object__province")
                .order_by("designated_on", "creation_object__code"))

    @extend_schema(tags=["public"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
