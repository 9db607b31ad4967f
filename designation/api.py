"""Annual reports of designated zones (试行办法 第十八条). Who may use what (deny by default; a case outside the
caller's scope answers 404):
- applicants of the zone, provincial reviewers of its province, SAMR officers: read the reports owed, submitted
  and late;
- applicants of the zone: submit a year's report (designation.services.submit_annual_report).
Experts and admins have no business with them (403)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import ERRORS, _visible_case, has_role
from cases.errors import InvalidPayload
from demozone.parsers import SafeJSONParser

from . import selectors, serializers as s, services
from .models import Announcement

READERS = (Role.APPLICANT, Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER)


class AnnualReportView(APIView):
    """GET the zone's reported years, oldest first, each open / submitted / late / overdue with its due day;
    POST (the zone's applicants) a year's report: {year, summary, document} or multipart {year, summary, file}."""

    permission_classes = [has_role(*READERS)]
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(responses={200: s.AnnualReportRowSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
                   tags=["designation"])
    def get(self, request, id):
        case = _visible_case(request, id)
        return Response(s.AnnualReportRowSerializer(selectors.annual_report_rows(case), many=True).data)

    @extend_schema(request=s.AnnualReportRequestSerializer, responses={201: s.AnnualReportRowSerializer, **ERRORS},
                   tags=["designation"])
    def post(self, request, id):
        payload = s.AnnualReportRequestSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        data = payload.validated_data
        report = services.report_annual_work(case_id=id, actor=request.user, year=data["year"],
                                             summary=data["summary"], document_id=data.get("document"),
                                             file=data.get("file"), expected_version=data.get("version"))
        row = next(r for r in selectors.annual_report_rows(report.case) if r.year == report.year)
        return Response(s.AnnualReportRowSerializer(row).data, status=status.HTTP_201_CREATED)


# ── 认定公告 (办法 第十六条 向社会公布) ──────────────────────────────────────────────────────────────────────────
class AnnouncementCitySerializer(serializers.Serializer):
    case = serializers.IntegerField(source="case_id")
    creation_object = serializers.CharField(source="case.creation_object.name")
    province = serializers.CharField(source="case.creation_object.province.name")


class AnnouncementSerializer(serializers.ModelSerializer):
    number = serializers.CharField(read_only=True, help_text=_("公告编号，如 2026年第1号"))
    round = serializers.CharField(source="round.title", default="", read_only=True)
    # A 更正公告 lists its original's cities (issue #11) and names the announcement it corrects.
    cities = AnnouncementCitySerializer(source="listed.designations", many=True, read_only=True)
    corrects = serializers.CharField(source="corrects.number", default=None, read_only=True, allow_null=True,
                                     help_text=_("更正公告所更正的公告编号；认定公告为空"))
    corrected_by = serializers.SerializerMethodField(help_text=_("更正本公告的更正公告编号；未更正为空"))

    class Meta:
        model = Announcement
        fields = ["id", "number", "round", "text", "published_on", "cities", "corrects", "corrected_by"]

    def get_corrected_by(self, announcement) -> str | None:
        correction = getattr(announcement, "corrected_by", None)
        return str(correction.number) if correction is not None else None


def _announcements():
    return selectors.announcements()


class PublicAnnouncementListView(generics.ListAPIView):
    """Anyone: the designation announcements, newest first, each with its number and cities."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = AnnouncementSerializer

    def get_queryset(self):
        return _announcements().order_by("-published_on", "-year", "-sequence")

    @extend_schema(tags=["public"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class AnnouncementPublishSerializer(serializers.Serializer):
    cases = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=500,
                                  help_text=_("认定的城市（案件编号）"))
    text = serializers.CharField(max_length=20000, help_text=_("公告内容（向社会公布）"))


class RoundAnnouncementView(APIView):
    """POST (SAMR officers): designate the round's cities together and publish the numbered announcement."""

    permission_classes = [has_role(Role.SAMR_OFFICER)]

    @extend_schema(request=AnnouncementPublishSerializer, responses={201: AnnouncementSerializer, **ERRORS},
                   tags=["designation"])
    def post(self, request, id):
        payload = AnnouncementPublishSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        announcement = services.publish_announcement(round_id=id, actor=request.user, **payload.validated_data)
        return Response(AnnouncementSerializer(_announcements().get(pk=announcement.pk)).data,
                        status=status.HTTP_201_CREATED)
