"""What the deadline sweeps record: SAMR's decisions to extend a creation period, and the reminder log that makes
every reminder go out once. A case's deadlines themselves are not stored: they are computed from its rule set and
its recorded acts (deadlines.calendar), so they can never disagree with the guards that enforce them."""
from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DeadlineKind(models.TextChoices):
    APPLICATION = "application", _("创建申请报送截止")
    CORRECTION = "correction", _("补正材料截止")
    PROVINCE_REVIEW = "province_review", _("省级初审报送截止")
    CREATION_END = "creation_end", _("创建期届满")
    EVALUATION_APPLICATION = "evaluation_application", _("评估申请截止")
    NOTICE = "notice", _("公示期满")
    ANNUAL_REPORT = "annual_report", _("年度工作情况报送截止")


class CreationPeriodExtension(models.Model):
    """A SAMR decision to extend a creation period (办法 第九条: 创建活动周期「一般」不超过3年 — 'generally' leaves
    SAMR room to decide otherwise; 试行办法 第八条: 2年). Appended, never edited: each extension is a new row."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="creation_extensions")
    previous_end = models.DateField(_("原届满日"))
    new_end = models.DateField(_("延长后届满日"))
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "decided_at"]
        verbose_name = _("创建期延长决定")
        verbose_name_plural = _("创建期延长决定")
        constraints = [
            models.CheckConstraint(name="extension_moves_the_end_later", condition=Q(new_end__gt=F("previous_end"))),
        ]

    def __str__(self):
        return f"{self.case_id}: {self.previous_end} → {self.new_end}"


class Reminder(models.Model):
    """One reminder sent: for this case, this deadline (kind and due day), this many days before.
    The unique constraint is what makes the reminder sweep idempotent — twice, or twice at once, it sends once."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="deadline_reminders")
    kind = models.CharField(_("期限类别"), max_length=32, choices=DeadlineKind.choices)
    due_on = models.DateField(_("截止日"))
    days_before = models.PositiveSmallIntegerField(_("提前天数"))
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("期限提醒")
        verbose_name_plural = _("期限提醒")
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "due_on", "days_before"], name="reminder_once"),
        ]
        indexes = [models.Index(fields=["due_on"], name="reminder_due_on")]

    def __str__(self):
        return f"{self.case_id} {self.kind} {self.due_on} −{self.days_before}"
