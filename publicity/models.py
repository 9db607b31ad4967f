"""Stage 8: 办法 第十五条 — the 15-day public notice and the objections filed during it."""
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class NoticeList(models.Model):
    """The 公示 as published: one list per round naming every city that passed, each with its evaluation summary
    (办法 第十五条 示范区建议名单; 试行办法 第十三条 合格创建对象名单和其评估情况), 15 days from its first day. Each
    city's entry (Notice) still moves its own case; an objection names the city it concerns."""

    round = models.ForeignKey("evaluation.Round", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="notices", verbose_name=_("评估批次"))
    text = models.TextField(_("公示内容"), blank=True)
    first_day = models.DateField(_("公示开始日"))
    last_day = models.DateField(_("公示截止日"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-first_day", "-pk"]
        verbose_name = _("公示名单")
        verbose_name_plural = _("公示名单")
        constraints = [models.CheckConstraint(name="notice_list_days_ordered",
                                              condition=Q(last_day__gte=F("first_day")))]

    def is_open_on(self, day):
        return self.first_day <= day <= self.last_day


class Notice(models.Model):
    """One city's entry in a notice list (公示名单): its case, its evaluation summary, its own closing."""

    listing = models.ForeignKey(NoticeList, null=True, on_delete=models.PROTECT, related_name="entries",
                                verbose_name=_("公示名单"))
    summary = models.TextField(_("评估情况"), blank=True)
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="notices")
    first_day = models.DateField(_("公示开始日"))
    last_day = models.DateField(_("公示截止日"))
    text = models.TextField(_("公示内容"), blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("期满处理时间"), null=True, blank=True)

    class Meta:
        ordering = ["-first_day"]
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        constraints = [models.CheckConstraint(name="notice_days_ordered", condition=Q(last_day__gte=F("first_day")))]

    def is_open_on(self, day):
        return self.first_day <= day <= self.last_day


class Objection(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("待核实")
        UPHELD = "upheld", _("异议成立")
        DISMISSED = "dismissed", _("异议不成立")

    notice = models.ForeignKey(Notice, on_delete=models.PROTECT, related_name="objections")
    # The city the objection concerns (its case): an objection upheld against one city does not hold the others.
    case = models.ForeignKey("cases.Case", null=True, on_delete=models.PROTECT, related_name="objections",
                             verbose_name=_("所涉城市"))
    # The receipt the objector keeps (shown and returned once); unguessable, so it reveals nothing about others.
    receipt = models.CharField(_("回执编号"), max_length=32, unique=True, null=True, editable=False)
    name = models.CharField(_("异议人"), max_length=100)
    contact = models.CharField(_("联系方式"), max_length=100)
    # Optional: where the receipt is e-mailed. Never shown to the public, like the name and the contact.
    email = models.EmailField(_("电子邮箱"), max_length=254, blank=True)
    content = models.TextField(_("异议内容"))
    filed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("核实结果"), max_length=16, choices=Status.choices, default=Status.OPEN)
    decision = models.TextField(_("核实意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["filed_at"]
        verbose_name = _("异议")
        verbose_name_plural = _("异议")


def _attachment_upload_to(attachment, filename):
    # Our name, not the objector's: the objection, a timestamp and a random part, the extension of the format the
    # bytes showed (the original name is kept in ``name``).
    return (f"objections/{attachment.objection_id}/"
            f"{timezone.now():%Y%m%d%H%M%S}-{uuid.uuid4().hex[:12]}.{filename}")


class ObjectionAttachment(models.Model):
    """A file the objector adds to the facts (optional). Its format is read from its bytes (documents.content);
    only SAMR officers can open it — it is never public."""

    objection = models.ForeignKey(Objection, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(_("文件"), upload_to=_attachment_upload_to, max_length=300)
    name = models.CharField(_("文件名"), max_length=200)
    content_format = models.CharField(_("格式"), max_length=8)
    size = models.PositiveBigIntegerField(_("大小（字节）"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["objection", "pk"]
        verbose_name = _("异议附件")
        verbose_name_plural = _("异议附件")

    def __str__(self):
        return self.name
