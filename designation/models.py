"""Stage 9–10: designation (办法 第十六条) and dynamic management (办法 第十九条、第二十二条)."""
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Announcement(models.Model):
    """认定公告 (办法 第十六条 向社会公布; 试行办法 第十四条): the list of cities designated together, numbered per
    year (2026年第1号), published to the public."""

    round = models.ForeignKey("evaluation.Round", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="announcements", verbose_name=_("评估批次"))
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    sequence = models.PositiveIntegerField(_("序号"))
    text = models.TextField(_("公告内容"), blank=True)
    published_on = models.DateField(_("公告日期"))
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    # A 更正公告 (issue #11: a correction of an announcement is a new announcement of the year, numbered next): the
    # announcement it corrects, and the original one at the head of the chain — whose designations it lists. The
    # cities' designations stay linked to the original; a correction has none of its own.
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="corrected_by", verbose_name=_("更正的公告"))
    original = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections",
                                 verbose_name=_("原公告"))

    class Meta:
        ordering = ["-year", "-sequence"]
        verbose_name = _("认定公告")
        verbose_name_plural = _("认定公告")
        constraints = [models.UniqueConstraint(fields=["year", "sequence"], name="announcement_number_per_year")]

    @property
    def number(self):
        return _("%(year)s年第%(n)s号") % {"year": self.year, "n": self.sequence}

    def __str__(self):
        return str(self.number)

    @property
    def is_correction(self):
        return self.corrects_id is not None

    @property
    def listed(self):
        """The announcement whose designations this one lists: itself, or for a 更正公告 the original."""
        return self.original if self.original_id else self


class Designation(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="designations")
    # The announcement that published it (a designation only; a refusal is not announced).
    announcement = models.ForeignKey(Announcement, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="designations", verbose_name=_("认定公告"))
    designated = models.BooleanField(_("认定"))
    decided_on = models.DateField(_("决定日期"))
    comment = models.TextField(_("意见"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("认定决定")
        verbose_name_plural = _("认定决定")


class Ground(models.TextChoices):
    """第二十二条's three grounds, by key; their exact words are each rule set's own (RuleSet.sanction_grounds:
    试行办法 （一） names 食品药品重大安全事故, 办法 （一） 重大违法案件)."""

    MAJOR_INCIDENT = "major_incident", _("（一）重大事件")
    FRAUD = "fraud", _("（二）骗取认定")
    DECLINE = "decline", _("（三）工作明显下滑")


class Sanction(models.Model):
    class Kind(models.TextChoices):
        INTERVIEW = "interview", _("约谈")
        WARNING = "warn", _("警示")
        REVOCATION = "revoke", _("取消资格")

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(_("措施"), max_length=16, choices=Kind.choices)
    ground = models.CharField(_("情形"), max_length=24, choices=Ground.choices)
    # The ground in the words of the measures the zone was designated under, as the decision quoted it.
    ground_text = models.CharField(_("情形（原文）"), max_length=200, blank=True)
    comment = models.TextField(_("说明"))
    # 第二十二条（三） 检查指导中发现: the supervision visits (creation.SupervisionVisit) the decision relies on.
    visits = models.ManyToManyField("creation.SupervisionVisit", blank=True, related_name="cited_by",
                                    verbose_name=_("所依据的督促指导"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "decided_at"]
        verbose_name = _("动态管理措施")
        verbose_name_plural = _("动态管理措施")


class AnnualReport(models.Model):
    """试行办法 第十八条: 示范区每年3月底前将年度工作情况报送市场监管总局和所在地省级市场监管部门.

    One row per designated zone and reported year (the year the work was done; due the rule set's month/day of
    the following year). A row appears when the zone reports, or when the sweep flags the report as overdue —
    whichever comes first; a late report fills the flagged row and keeps the flag. The current measures set no
    date (办法 第十九条: experience reports as they arise), so their rule set has no annual report."""

    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("报告年度"))
    due_on = models.DateField(_("报送截止日"))
    summary = models.TextField(_("年度工作情况"), blank=True)
    document = models.ForeignKey("documents.Document", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("报告文件"))
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    overdue_flagged_at = models.DateTimeField(_("逾期标记时间"), null=True, blank=True)

    class Meta:
        ordering = ["case", "year"]
        verbose_name = _("年度工作情况报告")
        verbose_name_plural = _("年度工作情况报告")
        constraints = [
            models.UniqueConstraint(fields=["case", "year"], name="annual_report_once_per_year"),
            # A row is either a report or an overdue flag (or both: a late report).
            models.CheckConstraint(name="annual_report_submitted_or_flagged",
                                   condition=Q(submitted_at__isnull=False) | Q(overdue_flagged_at__isnull=False)),
        ]

    def __str__(self):
        return f"{self.case_id} {self.year}"

    @property
    def late(self):
        """Flagged by the sweep, or reported after the due day (Beijing time) before any sweep flagged it."""
        if self.overdue_flagged_at is not None:
            return True
        return self.submitted_at is not None and timezone.localtime(self.submitted_at).date() > self.due_on
