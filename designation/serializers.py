from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from demozone.fields import VersionField, YearField

STATUSES = [("open", _("待报送")), ("submitted", _("已按时报送")), ("late", _("逾期报送")), ("overdue", _("逾期未报送"))]


class AnnualReportDocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()


class AnnualReportRowSerializer(serializers.Serializer):
    """One reported year of a designated zone (试行办法 第十八条); built from designation.selectors rows."""

    year = serializers.IntegerField(help_text=_("报告年度（开展工作的年度）"))
    due_on = serializers.DateField(help_text=_("报送截止日（次年3月31日，北京时间，含当日）"))
    status = serializers.ChoiceField(choices=STATUSES)
    days_left = serializers.IntegerField(help_text=_("距截止日的天数；负数为已逾期"))
    late = serializers.BooleanField(help_text=_("逾期报送或逾期未报送"))
    summary = serializers.CharField(allow_blank=True)
    document = AnnualReportDocumentSerializer(allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    submitted_by = serializers.CharField(allow_null=True)
    overdue_flagged_at = serializers.DateTimeField(allow_null=True, help_text=_("逾期标记时间（定期任务标记）"))

    def to_representation(self, row):
        report = row.report
        document = report.document if report else None
        user = report.submitted_by if report else None
        return super().to_representation({
            "year": row.year, "due_on": row.due_on, "status": row.status, "days_left": row.days_left,
            "late": row.status in ("late", "overdue"), "summary": report.summary if report else "",
            "document": {"id": document.pk, "title": document.title} if document else None,
            "submitted_at": report.submitted_at if report else None,
            "submitted_by": (user.get_full_name() or user.username) if user else None,
            "overdue_flagged_at": report.overdue_flagged_at if report else None,
        })


class AnnualReportRequestSerializer(serializers.Serializer):
    """JSON or multipart. The report is the text, a document (an uploaded one of the case, or a new file), or both."""

    year = YearField(help_text=_("报告年度"))
    summary = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("年度工作情况"))
    document = serializers.IntegerField(required=False, allow_null=True,
                                        help_text=_("本案件已上传材料的 id（报告文件）"))
    file = serializers.FileField(required=False, help_text=_("或：随本次报送上传报告文件（multipart）"))
    version = VersionField()
