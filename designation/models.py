"""Stage 9–10: designation (办法 第十六条) and dynamic management (办法 第十九条、第二十二条)."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Designation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="designations")
    designated = models.BooleanField(_("认定"))
    decided_on = models.DateField(_("决定日期"))
    comment = models.TextField(_("意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("认定决定")
        verbose_name_plural = _("认定决定")


class Ground(models.TextChoices):
    """办法 第二十二条's three grounds."""

    MAJOR_INCIDENT = "major_incident", _("（一）发生扰乱网络市场秩序的重大事件或重大违法案件，社会影响特别恶劣")
    FRAUD = "fraud", _("（二）提供虚假材料或者采取其他手段骗取示范区认定")
    DECLINE = "decline", _("（三）工作明显下滑、不再具备示范引领作用，或者存在其他突出问题")


class Sanction(models.Model):
    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("约谈")
        WARNING = "warn", _("警示")
        REVOCATION = "revoke", _("取消资格")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("措施"), max_length=16, choices=Kind.choices)
    ground = models.CharField(_("情形"), max_length=24, choices=Ground.choices)
    comment = models.TextField(_("说明"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "decided_at"]
        verbose_name = _("动态管理措施")
        verbose_name_plural = _("动态管理措施")
