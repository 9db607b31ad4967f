"""The API of official documents (issue #11). Thin: reads through official.selectors, verification through
official.services.

Who may use what:
- GET /api/cases/{id}/official-documents/ — anyone who may see the case (404 outside the scope);
- GET /api/official-documents/{id}/file/ — the document's case scope; the 公示 and the 认定公告 anyone, no login;
- GET /api/cases/{id}/printouts/{kind}/ — anyone who may see the case;
- GET /api/public/documents/verify/?number=…&sha256=… — anyone, no login (throttled).
"""
from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, permissions, serializers
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from cases import selectors as case_selectors
from cases.api import CASE_ROLES, ERRORS, has_role
from cases.errors import InvalidPayload, NotFound

from . import selectors, services
from .models import OfficialDocument
from .printouts import PRINTOUTS, render_printout


class OfficialDocumentSerializer(serializers.ModelSerializer):
    issuer = serializers.CharField(source="issuer_name", read_only=True)
    file = serializers.SerializerMethodField()
    replaces = serializers.CharField(source="replaces.number", default=None, read_only=True)

    class Meta:
        model = OfficialDocument
        fields = ["id", "kind", "number", "title", "issued_at", "sha256", "issuer", "size", "pdf_variant", "move",
                  "replaces", "file"]

    def get_file(self, document) -> str:
        from django.urls import reverse

        return reverse("api-official-document-file", args=[document.pk])


class CaseOfficialDocumentsView(generics.ListAPIView):
    """GET the official documents of a case — its own and the lists (公示, 认定公告) naming it — in issue order."""

    permission_classes = [has_role(*CASE_ROLES)]
    serializer_class = OfficialDocumentSerializer
    pagination_class = None

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator
            return OfficialDocument.objects.none()
        case = case_selectors.cases_visible_to(self.request.user).filter(pk=self.kwargs["id"]).first()
        if case is None:
            raise NotFound()
        return selectors.documents_for_case(case, self.request.user).select_related("replaces")

    @extend_schema(responses={200: OfficialDocumentSerializer(many=True), 401: ERRORS[401], 403: ERRORS[403],
                              404: ERRORS[404]}, tags=["official documents"])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


def pdf_response(data, filename, *, download=False):
    response = HttpResponse(data, content_type="application/pdf")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'; frame-ancestors 'self'"
    response["X-Frame-Options"] = "SAMEORIGIN"
    response["Cache-Control"] = "private, no-store"
    return response


def _quote(name):
    from urllib.parse import quote

    return quote(name, safe="")


def document_response(document, *, download=False):
    try:
        with document.file.open("rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise NotFound(_("公文文件不存在。")) from None
    return pdf_response(data, f"{document.number}.pdf", download=download)


class OfficialDocumentFileView(APIView):
    """GET the PDF/A of an issued document: those who may see its case; the 公示 and the 认定公告 anyone.
    ``?download=1`` to save rather than open. Outside the scope: 404."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(parameters=[OpenApiParameter("download", OpenApiTypes.STR, required=False)],
                   responses={(200, "application/pdf"): OpenApiTypes.BINARY, 404: ERRORS[404]},
                   tags=["official documents"])
    def get(self, request, id):
        user = request.user
        if getattr(user, "is_authenticated", False) and getattr(user, "role", None) not in CASE_ROLES:
            user = None  # an admin reads only what the public reads
        document = selectors.document_for(user, id)
        if document is None:
            raise NotFound(_("未找到该公文。"))
        return document_response(document, download=request.query_params.get("download") == "1")


class PrintoutView(APIView):
    """GET a printout of the case (not numbered, not archived): ``application-form`` (申请表 and its materials),
    ``evaluation-application`` (评估申请表), ``self-assessment-report`` (自评报告 from the self-assessment sheet)."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY, 401: ERRORS[401], 403: ERRORS[403],
                              404: ERRORS[404]}, tags=["official documents"])
    def get(self, request, id, kind):
        if kind not in PRINTOUTS:
            raise NotFound(_("没有该打印件：%(kind)s（可选：%(kinds)s）。") % {"kind": kind, "kinds": "、".join(PRINTOUTS)})
        case = case_selectors.case_list(request.user).filter(pk=id).first()
        if case is None:
            raise NotFound()
        data, filename = render_printout(case, kind)
        return pdf_response(data, filename, download=request.query_params.get("download") == "1")


class CorrectionSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("更正事由"), max_length=services.REASON_MAX, allow_blank=True,
                                   help_text=_("必填：为何更正，印在更正文件的“更正说明”中"))


class CorrectionView(APIView):
    """POST: the issuing organisation corrects an issued document — a new numbered document naming the one it
    replaces, its content rendered again from the records, with the reason (required). Officers of the issuing
    organisation only (403 for others in scope, 404 outside it); 409 if it was corrected already, or for a 认定公告."""

    permission_classes = [has_role(*CASE_ROLES)]

    @extend_schema(request=CorrectionSerializer,
                   responses={201: OfficialDocumentSerializer, 400: ERRORS[400], 401: ERRORS[401], 403: ERRORS[403],
                              404: ERRORS[404], 409: ERRORS[409]}, tags=["official documents"])
    def post(self, request, id):
        payload = CorrectionSerializer(data=request.data)
        if not payload.is_valid():
            raise InvalidPayload(_("提交的内容有误，请按提示修改。"), errors=payload.errors)
        corrected = services.correct(actor=request.user, document_id=id, reason=payload.validated_data["reason"])
        corrected = OfficialDocument.objects.select_related("replaces").get(pk=corrected.pk)
        return Response(OfficialDocumentSerializer(corrected).data, status=201)


class VerifyQuerySerializer(serializers.Serializer):
    number = serializers.CharField(max_length=80, label=_("文号"))
    sha256 = serializers.RegexField(r"^\s*[0-9a-fA-F]{64}\s*$", label=_("SHA-256"),
                                    error_messages={"invalid": _("SHA-256 应为 64 位十六进制数。")})


class VerifyResultSerializer(serializers.Serializer):
    genuine = serializers.BooleanField()
    number = serializers.CharField()
    issuer = serializers.CharField(allow_null=True)
    issued_at = serializers.DateTimeField(allow_null=True)
    title = serializers.CharField(allow_null=True)
    superseded = serializers.BooleanField(help_text=_("真实但已被更正（由 replaced_by 所列文号的公文替代）"))
    replaced_by = serializers.CharField(allow_null=True, help_text=_("已被更正时，更正文件的文号"))
    replaces = serializers.CharField(allow_null=True, help_text=_("本文件为更正文件时，被更正公文的文号"))


class VerifyThrottle(AnonRateThrottle):
    rate = "120/hour"


class VerifyView(APIView):
    """Anyone: was a document with this 文号 and this SHA-256 issued — by whom, when, under which title? A printed
    or forwarded copy is checked by hashing the PDF (``sha256sum``) and asking here."""

    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    throttle_classes = [VerifyThrottle]

    @extend_schema(parameters=[VerifyQuerySerializer], responses={200: VerifyResultSerializer, 400: ERRORS[400]},
                   tags=["public"])
    def get(self, request):
        query = VerifyQuerySerializer(data=request.query_params)
        if not query.is_valid():
            raise InvalidPayload(_("请填写文号和 64 位的 SHA-256。"), errors=query.errors)
        result = services.verify(**query.validated_data)
        return Response(VerifyResultSerializer(result).data)


