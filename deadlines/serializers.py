from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from demozone.fields import BoundedDateField, VersionField
from .models import CreationPeriodExtension, DeadlineKind


class DeadlineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeadlineKind.choices)
    label = serializers.CharField()
    due = serializers.DateField(help_text=_("截止日（北京时间，含当日）"))
    opens = serializers.DateField(allow_null=True, help_text=_("期间首日（公示首日、评估申请首日），无则为空"))
    days_left = serializers.IntegerField(help_text=_("剩余天数：0 为今天截止，负数为已逾期"))
    status = serializers.ChoiceField(choices=[("open", _("未到期")), ("last_day", _("今日截止")), ("passed", _("已逾期"))])
    article = serializers.CharField(help_text=_("依据条款"))
    responsible = serializers.ListField(child=serializers.CharField(), help_text=_("须办理的角色"))
    year = serializers.IntegerField(allow_null=True, help_text=_("年度工作情况的报告年度"))


class ExtensionSerializer(serializers.ModelSerializer):
    decided_by = serializers.CharField(source="decided_by.get_full_name", read_only=True)

    class Meta:
        model = CreationPeriodExtension
        fields = ["id", "previous_end", "new_end", "reason", "decided_by", "decided_at"]
        read_only_fields = fields


class ExtensionRequestSerializer(serializers.Serializer):
    new_end = BoundedDateField(label=_("延长后届满日"))
    reason = serializers.CharField(max_length=5000, label=_("理由"))
    version = VersionField(label=_("案件版本"))
