"""API of experience reports (典型经验, 办法 第十九条、第二十条) and supervision visits (督促指导, 第二十二条).

Who may use what (deny by default): the city's applicants, its province's reviewers and SAMR officers read a case's
reports and visits; any other role is a 403, a case outside the caller's scope (or any case for a unit liaison) a
404. The writes are creation.experience's, which say who may call each. The public list shows published reports
only: title, city, day, text, and the attachment's link when SAMR published it."""
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, permissions, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.api import ERRORS, has_role
from cases.errors import InvalidPayload
from demozone.fields import BoundedDateField
from demozone.parsers import SafeJSONParser

from . import experience as services
from .models import ExperienceReport, SupervisionVisit

TAGS = ["creation"]


def _valid(serializer_class, data):
    payload = serializer_class(data=data)
    if not payload.is_valid():
        raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
    return payload.validated_data


# ── serializers ────────────────────────────────────────────────────────────────────────────────────────────────
class ExperienceReportSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    submitted_by = serializers.SerializerMethodField()
    document = serializers.IntegerField(source="document_id", allow_null=True, read_only=True)

    class Meta:
        model = ExperienceReport
        fields = ["id", "title", "body", "document", "status", "status_label", "submitted_by", "submitted_at",
                  "forwarded_at", "province_informed_at", "published_at", "attachment_public"]

    def get_submitted_by(self, report) -> str:
        return report.submitted_by.get_full_name() or report.submitted_by.username


class ExperienceReportRequestSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=services.TITLE_MAX, label=_("标题"))
    body = serializers.CharField(max_length=services.TEXT_MAX, label=_("正文"))
    document = serializers.IntegerField(required=False, min_value=1, label=_("附件（本案件已上传的材料 id）"))
    file = serializers.FileField(required=False, label=_("附件（上传）"))
    version = serializers.CharField(required=False, label=_("案件版本"))


class ForwardRequestSerializer(serializers.Serializer):
    comment = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.TEXT_MAX,
                                    label=_("审核意见"))
    version = serializers.CharField(required=False)


class PublishRequestSerializer(serializers.Serializer):
    attachment_public = serializers.BooleanField(required=False, default=False, label=_("同时公开附件"))
    version = serializers.CharField(required=False)


class CitingSanctionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    decided_at = serializers.DateTimeField()


class SupervisionVisitSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    cited_by = CitingSanctionSerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionVisit
        fields = ["id", "organisation", "visited_on", "findings", "follow_up", "follow_up_due", "follow_up_done_at",
                  "follow_up_note", "recorded_at", "cited_by"]


class SupervisionRequestSerializer(serializers.Serializer):
    visited_on = BoundedDateField(label=_("督导日期"))
    findings = serializers.CharField(max_length=services.TEXT_MAX, label=_("发现问题"))
    follow_up = serializers.CharField(required=False, allow_blank=True, default="", max_length=services.TEXT_MAX,
                                      label=_("整改要求"))
    follow_up_due = BoundedDateField(required=False, allow_null=True, default=None, label=_("整改期限"))
    version = serializers.CharField(required=False)


class FollowUpRequestSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=services.TEXT_MAX, label=_("整改情况"))
    version = serializers.CharField(required=False)


class PublicExperienceSerializer(serializers.ModelSerializer):
    city = serializers.CharField(source="case.creation_object.name")
    province = serializers.CharField(source="case.creation_object.province.name")
    date = serializers.SerializerMethodField()
    attachment = serializers.SerializerMethodField()

    class Meta:
        model = ExperienceReport
        fields = ["id", "title", "city", "province", "date", "body", "attachment"]

    def get_date(self, report) -> str:
        from django.utils import timezone

        return timezone.localtime(report.published_at).date().isoformat()

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_attachment(self, report):
        if not (report.attachment_public and report.document_id):
            return None
        return reverse("public-experience-attachment", args=[report.pk])


# ── views ──────────────────────────────────────────────────────────────────────────────────────────────────────
class ExperienceReportListView(APIView):
    """GET the case's experience reports, newest first; POST (the city's applicants) a report: {title, body,
    document} or multipart {title, body, file}. Under the 2022 trial measures it waits for the province; under the
    current ones it goes to SAMR, the province informed (RuleSet.experience_route)."""

    permission_classes = [has_role(*services.EXPERIENCE_ROLES)]
    parser_classes = [SafeJSONParser, MultiPartParser, FormParser]

    @extend_schema(responses={200: ExperienceReportSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
                   tags=TAGS)
    def get(self, request, id):
        case = services.experience_case(request.user, id)
        return Response(ExperienceReportSerializer(services.reports_of(case), many=True).data)

    @extend_schema(request=ExperienceReportRequestSerializer, responses={201: ExperienceReportSerializer, **ERRORS},
                   tags=TAGS)
    def post(self, request, id):
        services.experience_case(request.user, id)
        data = _valid(ExperienceReportRequestSerializer, request.data)
        report = services.submit_report(case_id=id, actor=request.user, title=data["title"], body=data["body"],
                                        file=data.get("file"), document_id=data.get("document"),
                                        expected_version=data.get("version"))
        return Response(ExperienceReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ExperienceReportForwardView(APIView):
    """POST (the province's reviewers): forward a report waiting for them to SAMR (试行办法 第十九条)."""

    permission_classes = [has_role(*services.EXPERIENCE_ROLES)]

    @extend_schema(request=ForwardRequestSerializer, responses={200: ExperienceReportSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id, rid):
        services.experience_case(request.user, id)
        data = _valid(ForwardRequestSerializer, request.data)
        report = services.forward_report(case_id=id, report_id=rid, actor=request.user, comment=data["comment"],
                                         expected_version=data.get("version"))
        return Response(ExperienceReportSerializer(report).data)


class ExperienceReportPublishView(APIView):
    """POST (SAMR officers): publish a report on the public portal, the attachment too if ``attachment_public``
    (办法 第二十条)."""

    permission_classes = [has_role(*services.EXPERIENCE_ROLES)]

    @extend_schema(request=PublishRequestSerializer, responses={200: ExperienceReportSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id, rid):
        services.experience_case(request.user, id)
        data = _valid(PublishRequestSerializer, request.data)
        report = services.publish_report(case_id=id, report_id=rid, actor=request.user,
                                         attachment_public=data["attachment_public"],
                                         expected_version=data.get("version"))
        return Response(ExperienceReportSerializer(report).data)


class SupervisionListView(APIView):
    """GET the case's supervision visits, newest first, with the sanctions citing each; POST (SAMR officers, the
    province's reviewers) a visit: {visited_on, findings, follow_up, follow_up_due} (办法 第二十二条)."""

    permission_classes = [has_role(*services.EXPERIENCE_ROLES)]

    @extend_schema(responses={200: SupervisionVisitSerializer(many=True), 403: ERRORS[403], 404: ERRORS[404]},
                   tags=TAGS)
    def get(self, request, id):
        case = services.experience_case(request.user, id)
        return Response(SupervisionVisitSerializer(services.visits_of(case), many=True).data)

    @extend_schema(request=SupervisionRequestSerializer, responses={201: SupervisionVisitSerializer, **ERRORS},
                   tags=TAGS)
    def post(self, request, id):
        services.experience_case(request.user, id)
        data = _valid(SupervisionRequestSerializer, request.data)
        visit = services.record_visit(case_id=id, actor=request.user, visited_on=data["visited_on"],
                                      findings=data["findings"], follow_up=data["follow_up"],
                                      follow_up_due=data["follow_up_due"], expected_version=data.get("version"))
        visit = next(v for v in services.visits_of(visit.case) if v.pk == visit.pk)
        return Response(SupervisionVisitSerializer(visit).data, status=status.HTTP_201_CREATED)


class SupervisionFollowUpView(APIView):
    """POST (the city's applicants): the follow-up a visit required, done: {note}."""

    permission_classes = [has_role(*services.EXPERIENCE_ROLES)]

    @extend_schema(request=FollowUpRequestSerializer, responses={200: SupervisionVisitSerializer, **ERRORS}, tags=TAGS)
    def post(self, request, id, vid):
        services.experience_case(request.user, id)
        data = _valid(FollowUpRequestSerializer, request.data)
        visit = services.record_follow_up(case_id=id, visit_id=vid, actor=request.user, note=data["note"],
                                          expected_version=data.get("version"))
        visit = next(v for v in services.visits_of(visit.case) if v.pk == visit.pk)
        return Response(SupervisionVisitSerializer(visit).data)


class PublicExperienceListView(generics.ListAPIView):
    """Anyone: the typical experiences SAMR published (办法 第二十条), newest first — title, city, day, text and the
    attachment's link when it was published with them. Nothing unpublished, no supervision."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = PublicExperienceSerializer

    def get_queryset(self):
        return services.published_reports()

    @extend_schema(tags=["public"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class PublicExperienceDetailView(generics.RetrieveAPIView):
    """Anyone: one published typical experience (404 for any other)."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    serializer_class = PublicExperienceSerializer
    lookup_field = "pk"
    lookup_url_kwarg = "id"

    def get_queryset(self):
        return services.published_reports()

    @extend_schema(tags=["public"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
