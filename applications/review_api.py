"""《创建申请表》 as the province reads it, as an API (the page: applications/review_views.application_form).

Who may use it: provincial reviewers (their province's cases, from submission on) and SAMR officers; anyone else
403, a case outside the caller's scope 404. Read only: the versions saved up to the latest submission, one of them
with its fields in their sections, and the changes from an earlier one (applications/review.py, applications/diff.py).
"""
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Role
from cases import selectors as case_selectors
from cases.api import ERRORS, has_role
from cases.errors import NotFound

from . import diff, review


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(source="number")
    saved_at = serializers.DateTimeField(source="form.saved_at")
    submissions = serializers.ListField(child=serializers.IntegerField(), source="submitted",
                                        help_text=_("该版本作为现行版本提交的次序（1 为首次提交）"))


class FieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    note = serializers.CharField()
    value = serializers.CharField()
    before = serializers.CharField(allow_null=True, help_text=_("对比版本中的值；不对比时为 null"))
    changed = serializers.BooleanField()


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    fields = FieldSerializer(many=True, source="rows")


class ApplicationFormReviewSerializer(serializers.Serializer):
    versions = VersionSerializer(many=True)
    version = serializers.IntegerField(allow_null=True)
    base = serializers.IntegerField(allow_null=True)
    changed = serializers.ListField(child=serializers.CharField(), help_text=_("修改过的字段（名称）"))
    sections = SectionSerializer(many=True)


class ApplicationFormReviewView(APIView):
    """GET the submitted 申请表: ?version= (default the current) and ?base= (default the version the province read at
    the previous submission, else the one before; empty: no comparison)."""

    permission_classes = [has_role(Role.PROVINCIAL_REVIEWER, Role.SAMR_OFFICER)]

    @extend_schema(parameters=[OpenApiParameter("version", OpenApiTypes.INT, required=False),
                               OpenApiParameter("base", OpenApiTypes.INT, required=False)],
                   responses={200: ApplicationFormReviewSerializer, **ERRORS}, tags=["cases"])
    def get(self, request, id):
        case = case_selectors.case_list(request.user).filter(pk=id).first()
        if case is None:
            raise NotFound()
        versions = review.readable_versions(case)
        current, base = review.choose(versions, request.query_params)
        sections = diff.compare(current.form, base.form if base else None) if current else []
        return Response(ApplicationFormReviewSerializer({
            "versions": versions, "version": current.number if current else None,
            "base": base.number if base else None,
            "changed": [row.name for s in sections for row in s.rows if row.changed],
            "sections": sections,
        }).data)

