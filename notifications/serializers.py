from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import Notification, Preference


class NotificationSerializer(serializers.ModelSerializer):
    case_reference = serializers.CharField(source="case.reference", read_only=True, allow_null=True, default=None)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "subject", "body", "language", "case", "case_reference", "created_at", "read_at",
                  "read"]
        read_only_fields = fields

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class ReadAllSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text=_("本次标为已读的通知数"))


class PreferenceSerializer(serializers.ModelSerializer):
    language = serializers.ChoiceField(choices=settings.LANGUAGES, required=False,
                                       help_text=_("通知语言：zh-hans 简体中文，en 英文"))
    email = serializers.BooleanField(required=False, help_text=_("是否同时接收邮件通知（须有邮箱地址）"))
    email_address = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Preference
        fields = ["language", "email", "email_address"]
