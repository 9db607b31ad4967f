"""Annual reports of designated zones (试行办法 第十八条). Who may use what (deny by default; a case outside the
caller's scope answers 404):
- applicants of the zone, provincial reviewers of its province, SAMR officers: read the reports owed, submitted
  and late;
- applicants of the zone: submit a year's report (designation.services.submit_annual_report).
Experts and admins have no business with them (403)."""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, MultiPartParser

from demozone.parsers import SafeJSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases.api import ERRORS, _visible_case, has_role
from cases.errors import InvalidPayload

from . import selectors, serializers as s, services

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
