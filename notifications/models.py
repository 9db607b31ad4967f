"""Notifications: one per recipient and event, rendered in the recipient's language, in the app and by e-mail.

Written in the same transaction as whatever caused them where the cause is ours (reminders, overdue flags), or
right after the cause's commit (case moves: cases.services._notify_on_commit). E-mail goes out only after commit,
through the delivery log below, so a broker that is down delays an e-mail but never loses it."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    event = models.CharField(_("事件"), max_length=48)
    subject = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    language = models.CharField(_("语言"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self):
        return self.subject


class Preference(models.Model):
    """How a user wants to hear from us. No row: Chinese, in the app and by e-mail (if they have an address)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preference")
    language = models.CharField(_("通知语言"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE)
    email = models.BooleanField(_("接收邮件通知"), default=True)

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")


class Delivery(models.Model):
    """The log of what went to whom, when, by which channel, and how it went. In-app deliveries are complete when
    written; e-mail ones wait as PENDING until a worker (or the next sweep) sends them after commit."""

    class Channel(models.TextChoices):
        IN_APP = "in_app", _("站内")
        EMAIL = "email", _("邮件")

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("未发送")

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("渠道"), max_length=16, choices=Channel.choices)
    address = models.CharField(_("地址"), max_length=254, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    created_at = models.DateTimeField(_("生成时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    error = models.TextField(_("错误信息"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("送达记录")
        verbose_name_plural = _("送达记录")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], name="one_delivery_per_channel"),
            models.CheckConstraint(name="sent_deliveries_have_a_time",
                                   condition=~Q(status="sent") | Q(sent_at__isnull=False)),
        ]
        indexes = [models.Index(fields=["status", "channel"], name="delivery_status")]

    def __str__(self):
        return f"{self.channel} → {self.address or self.notification.recipient_id}: {self.status}"
