"""The province's recommendation list for a call, as an API (办法 第八条 择优推荐; the page: applications/review_views.py).

Who may use it: provincial reviewers, for their own province (anyone else 403; a call with no city of their
province under measures that rank is a 404). Thin: reads and writes through applications.recommendations.
"""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import ERRORS, has_role
from cases.errors import InvalidPayload, NotFound

from . import recommendations


class ListedCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    reference = serializers.CharField(source="case.reference")
    creation_object = serializers.CharField(source="case.creation_object.name")
    submitted_at = serializers.DateTimeField(source="case.submitted_at")
    position = serializers.IntegerField(help_text=_("名单中的位置（1 起）"))
    rank = serializers.IntegerField(help_text=_("报送时获得的推荐排序"))


class RecommendedCaseSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="case.pk")
    reference = serializers.CharField(source="case.reference")
    creation_object = serializers.CharField(source="case.creation_object.name")
    rank = serializers.IntegerField()
    reviewed_at = serializers.DateTimeField()


class RecommendationListSerializer(serializers.Serializer):
    call = serializers.IntegerField(source="call.pk")
    province = serializers.CharField(source="province.code")
    entries = ListedCaseSerializer(many=True, help_text=_("待推荐的城市，按推荐顺序"))
    recommended = RecommendedCaseSerializer(many=True, help_text=_("本通知中已推荐的城市，按推荐排序"))


class MoveRequest(serializers.Serializer):
    case = serializers.IntegerField(label=_("案件"))
    direction = serializers.ChoiceField(choices=[("up", _("上移")), ("down", _("下移"))], label=_("方向"))


class SubmitRequest(serializers.Serializer):
    order = serializers.ListField(child=serializers.IntegerField(), allow_empty=False, max_length=500,
                                  label=_("名单顺序（案件编号）"),
                                  help_text=_("您看到的名单（案件 id，按顺序）；与当前名单不一致时不报送（409）"))
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000,
                                    label=_("推荐意见"))


def _call(request, call_id):
    call = recommendations.calls_for(request.user).filter(pk=call_id).first()
    if call is None:
        raise NotFound(_("没有该申报通知，或本省在该通知中没有申报的城市。"))
    return call


def _body(request, call):
    province = recommendations.province_of(request.user)
    return RecommendationListSerializer({
        "call": call, "province": province, "entries": recommendations.current_list(request.user, call),
        "recommended": recommendations.recommended(province, call)}).data


def _valid(serializer_class, data):
    serializer = serializer_class(data=data)
    if not serializer.is_valid():
        raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=serializer.errors)
    return serializer.validated_data


class RecommendationListView(APIView):
    """GET the province's list for a call: the cities awaiting review in the order they will be recommended, with
    the rank each will get, and the cities already recommended in the call."""

    permission_classes = [has_role(Role.PROVINCIAL_REVIEWER)]

    @extend_schema(responses={200: RecommendationListSerializer, **ERRORS}, tags=["calls"])
    def get(self, request, id):
        return Response(_body(request, _call(request, id)))


class RecommendationListMoveView(APIView):
    """POST {case, direction: up|down}: move one city a place in the list. Returns the list."""

    permission_classes = [has_role(Role.PROVINCIAL_REVIEWER)]

    @extend_schema(request=MoveRequest, responses={200: RecommendationListSerializer, **ERRORS}, tags=["calls"])
    def post(self, request, id):
        call = _call(request, id)
        data = _valid(MoveRequest, request.data)
        recommendations.move_in_list(actor=request.user, call_id=call.pk, case_id=data["case"],
                                     direction=data["direction"])
        return Response(_body(request, call))


class RecommendationListSubmitView(APIView):
    """POST {order, comment}: recommend every city of the list in its order, each with its rank, in one act — all
    or none (办法 第八条). 409 when the list is no longer the one sent, or a city's recommendation is refused."""

    permission_classes = [has_role(Role.PROVINCIAL_REVIEWER)]

    @extend_schema(request=SubmitRequest, responses={200: RecommendationListSerializer, **ERRORS}, tags=["calls"])
    def post(self, request, id):
        call = _call(request, id)
        data = _valid(SubmitRequest, request.data)
        recommendations.submit_list(actor=request.user, call_id=call.pk, order=data["order"], comment=data["comment"])
        return Response(_body(request, call))
