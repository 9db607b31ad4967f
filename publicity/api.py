"""The public side of 办法 第十五条、第十六条: notices now running, objections, the designated zones; and SAMR's
verification of objections. The public endpoints need no login and show only what is published."""
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import ERRORS, has_role
from cases.errors import InvalidPayload, NotFound
from cases.models import Case
from cases.workflow import State
from demozone.fields import BoundedDateField

from . import services
from .models import Notice, NoticeList, Objection
from .throttle import ObjectionThrottle, PublicReadThrottle


class NoticeCitySerializer(serializers.ModelSerializer):
    case = serializers.IntegerField(source="case_id")
    creation_object = serializers.CharField(source="case.creation_object.name")
    province = serializers.CharField(source="case.creation_object.province.name")

    class Meta:
        model = Notice
        fields = ["case", "creation_object", "province", "summary"]


class PublicNoticeSerializer(serializers.ModelSerializer):
    """A notice list (公示名单) as the public reads it: its text, both days (inclusive, Asia/Shanghai), days left,
    and its cities with their evaluation summaries. Nothing about objectors."""

    round = serializers.CharField(source="round.title", default="", read_only=True)
    cities = NoticeCitySerializer(source="entries", many=True, read_only=True)
    days_left = serializers.SerializerMethodField()
    # The first city, for readers of the one-city notices of before (kept for compatibility).
    creation_object = serializers.SerializerMethodField()
    province = serializers.SerializerMethodField()

    class Meta:
        model = NoticeList
        fields = ["id", "round", "text", "first_day", "last_day", "days_left", "cities", "creation_object",
                  "province"]

    def get_days_left(self, listing) -> int:
        return (listing.last_day - timezone.localdate()).days

    def get_creation_object(self, listing) -> str:
        entries = list(listing.entries.all())
        return entries[0].case.creation_object.name if entries else ""

    def get_province(self, listing) -> str:
        entries = list(listing.entries.all())
        return entries[0].case.creation_object.province.name if entries else ""


def _public_notices():
    return NoticeList.objects.prefetch_related(
        Prefetch("entries", queryset=Notice.objects.select_related("case__creation_object__province")
                 .order_by("case__creation_object__code"))).select_related("round")


class NoticeListView(generics.ListAPIView):
    """Anyone: the notice lists running today (公示期内), with both dates and their cities; ``?archive=1`` for the
    ones that have ended."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [PublicReadThrottle]
    serializer_class = PublicNoticeSerializer

    def get_queryset(self):
        today = timezone.localdate()
        if self.request.query_params.get("archive") in ("1", "true"):
            return _public_notices().filter(last_day__lt=today).order_by("-last_day", "-pk")
        return (_public_notices().filter(first_day__lte=today, last_day__gte=today,
                                         entries__case__state=State.IN_PUBLICITY).distinct()
                .order_by("last_day", "pk"))

    @extend_schema(tags=["public"], parameters=[OpenApiParameter("archive", bool, description=_("往期公示"))])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class NoticeDetailView(generics.RetrieveAPIView):
    """Anyone: one notice list with its full text and cities."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [PublicReadThrottle]
    serializer_class = PublicNoticeSerializer
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return _public_notices()

    @extend_schema(tags=["public"], responses={200: PublicNoticeSerializer, 404: ERRORS[404]})
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class ObjectionSerializer(serializers.Serializer):
    case = serializers.IntegerField(required=False, min_value=1,
                                    help_text=_("异议所涉城市的案件编号（公示名单有多个城市时必填）"))
    name = serializers.CharField(max_length=100, label=_("异议人"))
    contact = serializers.CharField(max_length=100, label=_("联系方式"))
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True,
                                   help_text=_("选填：回执编号将发送到该邮箱"))
    content = serializers.CharField(max_length=10000, label=_("异议内容"))
    attachments = serializers.ListField(child=serializers.FileField(), required=False, max_length=10,
                                        help_text=_("选填附件（multipart/form-data）；按文件内容检查格式"))


class ObjectionCreateView(APIView):
    """Anyone, while the notice runs: file an objection naming the city it concerns (接受社会监督). JSON, or
    multipart/form-data with attachments. The same service and rules as the page (refused outside the notice's
    dates, naming them; attachments checked by their bytes). No captcha here: a program calls the API, and the
    per-address limit (ObjectionThrottle, shared with the page) is its guard."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [ObjectionThrottle]

    @extend_schema(request={"application/json": ObjectionSerializer,
                            "application/x-www-form-urlencoded": ObjectionSerializer,
                            "multipart/form-data": ObjectionSerializer},
                   responses={201: inline_serializer("ObjectionReceipt", {
                       "id": serializers.IntegerField(), "receipt": serializers.CharField(),
                       "detail": serializers.CharField()}), 400: ERRORS[400], 404: ERRORS[404]},
                   tags=["public"])
    def post(self, request, id):
        payload = ObjectionSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        data = dict(payload.validated_data)
        objection = services.file_objection_on_list(listing_id=id, case_id=data.pop("case", None),
                                                    attachments=data.pop("attachments", []), **data)
        return Response({"id": objection.pk, "receipt": objection.receipt,
                         "detail": _("异议已收到，将由市场监管总局核实。回执编号：%(receipt)s") % {"receipt": objection.receipt}},
                        status=status.HTTP_201_CREATED)


class NoticePublishSerializer(serializers.Serializer):
    cases = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500,
                                  help_text=_("列入公示名单的城市（案件编号）"))
    text = serializers.CharField(max_length=20000, help_text=_("公示内容（向社会公布）"))
    first_day = BoundedDateField(required=False, help_text=_("公示开始日（缺省为今天）"))


class RoundNoticeView(APIView):
    """POST (SAMR officers): publish the round's notice list (办法 第十五条)."""

    permission_classes = [has_role(Role.SAMR_OFFICER)]

    @extend_schema(request=NoticePublishSerializer, responses={201: PublicNoticeSerializer, **ERRORS},
                   tags=["publicity"])
    def post(self, request, id):
        payload = NoticePublishSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        listing = services.publish_notice_list(round_id=id, actor=request.user, **payload.validated_data)
        return Response(PublicNoticeSerializer(_public_notices().get(pk=listing.pk)).data,
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
        fields = ["id", "receipt", "case", "name", "contact", "email", "content", "filed_at", "status", "decision",
                  "decided_at"]


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


class ZoneSerializer(serializers.Serializer):
    """A zone as the public reads it: designated, or revoked — kept and marked, with the day and the ground of
    the revocation (办法 第二十二条)."""

    id = serializers.IntegerField(source="case.pk", help_text=_("示范区（案件）编号，公开页面 /public/zones/{id}/"))
    creation_object = serializers.CharField(source="case.creation_object.name")
    creation_object_code = serializers.CharField(source="case.creation_object.code")
    province = serializers.CharField(source="case.creation_object.province.name")
    status = serializers.ChoiceField(choices=[("designated", _("已认定")), ("revoked", _("已取消示范区资格"))])
    designated_on = serializers.DateField(source="case.designated_on")
    announcement = serializers.SerializerMethodField(help_text=_("认定公告编号"))
    revoked_on = serializers.DateField(allow_null=True)
    revocation_ground = serializers.SerializerMethodField(help_text=_("取消资格的情形（第二十二条）"))

    def get_announcement(self, zone) -> str:
        return str(zone.announcement.number) if zone.announcement else ""

    def get_revocation_ground(self, zone) -> str:
        return zone.revocation.ground_text if zone.revocation else ""


class ZoneListView(generics.ListAPIView):
    """Anyone: the demonstration zones (办法 第十六条: 向社会公布) — designated, and revoked ones marked as revoked with
    the day and the ground (第二十二条), in the order of designation."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [PublicReadThrottle]
    serializer_class = ZoneSerializer

    def get_queryset(self):
        from designation.selectors import zones

        if getattr(self, "swagger_fake_view", False):  # schema generation
            return Case.objects.none()
        return zones()

    @extend_schema(tags=["public"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
